//! How the webview paints. WebKitGTK composites pages with OpenGL by default; where there is no GPU
//! (virtual machines, remote desktops, thin clients at a centre — and Xvfb) that GL is Mesa's software
//! renderer, and every scrolled frame of the coverage matrix took 80–140 ms to composite. Painting
//! without compositing took 16–25 ms per frame on the same machine (figures in docs/performance.md),
//! and the app uses nothing that needs a GPU (no WebGL, no 3D transforms). So the app paints without
//! compositing unless `EVIDENCE_GPU_COMPOSITING=1` asks for WebKit's default.
//!
//! The choice is made through WebKit's own switch, `WEBKIT_DISABLE_COMPOSITING_MODE`, before the
//! webview exists: changing the setting on a live webview makes WebKit rebuild the page while it
//! loads, which left the WebDriver session waiting forever on a slow (debug) start.

/// The environment variable that restores WebKit's own (GPU-composited) rendering.
pub const GPU_COMPOSITING_VAR: &str = "EVIDENCE_GPU_COMPOSITING";

/// Call first thing in `main`, before any thread or webview exists.
pub fn choose_before_start() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let gpu = std::env::var(GPU_COMPOSITING_VAR).is_ok_and(|value| value == "1");
    let already_chosen = std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some();
    if !gpu && !already_chosen {
        // Sound here: nothing else runs yet that could read the environment concurrently.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
