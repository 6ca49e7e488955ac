//! How the webview paints. WebKitGTK composites pages with OpenGL by default; where there is no GPU
//! (virtual machines, remote desktops, thin clients at a centre — and Xvfb) that GL is Mesa's software
//! renderer, and every scrolled frame of the coverage matrix took 80–140 ms to composite. Painting
//! without compositing took 16–25 ms per frame on the same machine (figures in docs/performance.md),
//! and the app uses nothing that needs a GPU (no WebGL, no 3D transforms). So the app paints without
//! compositing unless `EVIDENCE_GPU_COMPOSITING=1` asks for WebKit's default.

/// The environment variable that restores WebKit's own (GPU-composited) rendering.
pub const GPU_COMPOSITING_VAR: &str = "EVIDENCE_GPU_COMPOSITING";

/// Whether the user asked for WebKit's GPU compositing (`EVIDENCE_GPU_COMPOSITING=1`).
fn gpu_compositing_requested() -> bool {
    std::env::var(GPU_COMPOSITING_VAR).is_ok_and(|value| value == "1")
}

/// Applies the rendering choice to every webview window of the app.
pub fn configure<R: tauri::Runtime>(app: &tauri::App<R>) {
    use tauri::Manager;
    if gpu_compositing_requested() {
        return;
    }
    for window in app.webview_windows().values() {
        if let Err(err) = window.with_webview(paint_without_compositing) {
            eprintln!("warning: could not set the webview's rendering mode: {err}");
        }
    }
}

#[cfg(target_os = "linux")]
fn paint_without_compositing(webview: tauri::webview::PlatformWebview) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if let Some(settings) = webview.inner().settings() {
        settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
    }
}

/// Other platforms' webviews choose well for themselves.
#[cfg(not(target_os = "linux"))]
fn paint_without_compositing(_webview: tauri::webview::PlatformWebview) {}
