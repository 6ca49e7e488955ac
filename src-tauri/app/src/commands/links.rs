//! Links in evidence: the window asks before one is opened (see `crate::links`, which keeps the
//! window itself on the app), and this command then hands the address to the system browser.

use evidence_core::ErrorPayload;

/// Opens a web or e-mail address the user has just confirmed, in the system browser.
#[tauri::command(async)]
pub fn open_link(address: String) -> Result<(), ErrorPayload> {
    crate::links::open_in_browser(&address)
}
