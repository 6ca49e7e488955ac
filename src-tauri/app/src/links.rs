//! The webview stays the app. Every navigation away from the app's own pages is refused here, in
//! the shell, whatever the page asked for: a link in an evidence body cannot turn the window into a
//! web page (a planted "session locked, enter your password" page would look like the app). A link
//! the core accepts as a web or e-mail address is handed to the window instead ("link-requested"),
//! which shows the address and asks; only then does `open_link` give it to the system browser.

use tauri::plugin::TauriPlugin;
use tauri::{Emitter, Runtime, Url};

use evidence_core::ErrorPayload;

/// The event the window hears when a link it showed was clicked: the address, for it to confirm.
pub const LINK_REQUESTED: &str = "link-requested";

/// Whether `url` is one of the app's own pages: the bundled interface as each platform serves it
/// (`tauri://localhost` on Linux and macOS, `http(s)://tauri.localhost` on Windows).
pub fn is_app_page(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "tauri" => host == "localhost",
        "http" | "https" => host == "tauri.localhost",
        _ => false,
    }
}

/// The navigation guard, as a plugin so that it covers every webview the app opens.
pub fn navigation_guard<R: Runtime>() -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|webview, url| {
            if is_app_page(url) {
                return true;
            }
            if let Ok(address) = evidence_core::evidence::markdown::link_to_open(url.as_str()) {
                let _ = webview.emit_to(webview.label(), LINK_REQUESTED, address);
            }
            false
        })
        .build()
}

/// Opens a link in the system browser (or mail program), after the user confirmed its address.
/// The core checks the address again: only web and e-mail addresses are ever opened.
pub fn open_in_browser(address: &str) -> Result<(), ErrorPayload> {
    let address =
        evidence_core::evidence::markdown::link_to_open(address).map_err(|e| e.to_payload())?;
    tauri_plugin_opener::open_url(&address, None::<&str>).map_err(|e| {
        ErrorPayload::internal(format!(
            "the system browser could not be started for {address}: {e}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::is_app_page;
    use tauri::Url;

    #[test]
    fn only_the_apps_own_pages_may_be_shown() {
        let page = |s: &str| is_app_page(&Url::parse(s).unwrap());
        assert!(page("tauri://localhost/"));
        assert!(page("tauri://localhost/index.html#/evidence/x"));
        assert!(page("http://tauri.localhost/#/users"));
        for other in [
            "https://example.org/",
            "https://tauri.localhost.evil.example/",
            "http://localhost:1420/",
            "file:///etc/passwd",
            "tauri://evil/",
            "data:text/html,<h1>Session locked</h1>",
            "about:blank",
        ] {
            assert!(!page(other), "{other}");
        }
    }
}
