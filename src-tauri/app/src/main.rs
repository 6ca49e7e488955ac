//! Evidence Tracker's desktop shell. It opens the portfolio store (the same per-user data directory
//! as the `evidence` command, or `--data-dir DIR` / `EVIDENCE_DATA_DIR`), registers the commands, and
//! hands files dropped on the window to the core; the window never leaves the app's own pages
//! (`links`). Every rule lives in evidence-core.

// A release build on Windows should not open a console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bindings;
mod commands;
mod inputs;
mod ipc_gen;
mod jobs;
mod links;
mod rendering;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use tauri::{Emitter, Manager};

fn main() -> ExitCode {
    rendering::choose_before_start();
    let data_dir = match data_dir_from_args() {
        Ok(dir) => dir,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let data_dir_named = std::env::args()
        .any(|a| a == "--data-dir" || a.starts_with("--data-dir="))
        || std::env::var_os(evidence_core::store::DATA_DIR_ENV).is_some_and(|v| !v.is_empty());
    let opened = match evidence_core::service::socket_for_clients(data_dir_named) {
        Some(socket) => Ok(state::AppState::through_service(&socket)),
        None => state::AppState::open(&data_dir),
    };
    let state = match opened {
        Ok(state) => state,
        Err(err) => {
            eprintln!(
                "error: cannot open the portfolio in {}: {err} [{}]",
                data_dir.display(),
                err.code()
            );
            return ExitCode::FAILURE;
        }
    };
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(links::navigation_guard())
        .manage(state)
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                let dropped = window
                    .state::<state::AppState>()
                    .hold_dropped(paths.clone());
                let _ = window.emit("files-dropped", dropped);
            }
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    match app {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: the window could not be started: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `--data-dir DIR` (or `--data-dir=DIR`) on the command line, else the core's default.
fn data_dir_from_args() -> Result<PathBuf, String> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args
                .next()
                .map(PathBuf::from)
                .ok_or_else(|| "--data-dir needs a directory".to_string());
        }
        if let Some(dir) = arg.strip_prefix("--data-dir=") {
            return Ok(PathBuf::from(dir));
        }
    }
    evidence_core::store::default_data_dir().map_err(|e| e.to_string())
}
