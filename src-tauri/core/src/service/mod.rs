//! The centre service: on a shared centre computer the store runs in a process of its own, under an
//! operating-system account of its own that alone can read the data directory, and the desktop app
//! and the CLI reach it over a local socket as its clients. Everyone may share one desktop login and
//! still no one can read another learner's portfolio from the files: the files are not theirs.
//!
//! The service answers the same operations as the embedded store, through the same `Store` methods
//! and so the same permission checks and audit (`operations`): what a client sends is an operation
//! and its arguments as data, never SQL or a path inside the data directory. Each request carries a
//! session the service gave at sign-in (`sessions`), which it expires when idle for the centre's
//! lock time, so the idle lock holds even when the window that signed in is gone.
//!
//! `wire` is the framing on the socket, `server` the listening side, `client` the other.

pub mod client;
pub mod operations;
mod ownership;
pub mod server;
mod sessions;
pub mod wire;

pub use client::Client;
pub use operations::{Portfolio, PortfolioFiles};
pub use server::{Service, ServiceOptions};

/// Where the centre service listens unless told otherwise (systemd's `RuntimeDirectory=`).
pub const DEFAULT_SOCKET: &str = "/run/evidence-tracker/service.sock";

/// The environment variable naming the socket: set, the app and the CLI are the service's clients.
pub const SOCKET_ENV: &str = "EVIDENCE_SERVICE";

/// The centre service a client should use, if any: `$EVIDENCE_SERVICE` when it is set (set but
/// empty: none, the embedded store); otherwise — unless the user named a data directory — the
/// service's usual socket when it is there, so that on a centre computer the app and the command
/// find the service without being told.
pub fn socket_for_clients(data_dir_named: bool) -> Option<std::path::PathBuf> {
    match std::env::var_os(SOCKET_ENV) {
        Some(socket) if socket.is_empty() => None,
        Some(socket) => Some(socket.into()),
        None if data_dir_named => None,
        None => {
            let usual = std::path::Path::new(DEFAULT_SOCKET);
            usual.exists().then(|| usual.to_path_buf())
        }
    }
}
