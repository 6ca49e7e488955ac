//! Typed errors for every core operation.
//!
//! Each error has a stable `code` (snake_case) that the CLI prints and the desktop UI branches on, and a
//! human message that names the problem. Callers never match on message text.

use serde::Serialize;

/// Everything that can go wrong in the core, with a stable code per variant.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{what} not found: {key}")]
    NotFound { what: &'static str, key: String },

    #[error("{0}")]
    InvalidInput(String),

    #[error("framework file is not valid: {0}")]
    InvalidFramework(String),

    #[error("{0}")]
    Conflict(String),

    #[error("{0}")]
    Ambiguous(String),

    #[error("attachment file cannot be read: {path}: {reason}")]
    AttachmentUnreadable { path: String, reason: String },

    #[error(
        "the database was written by a newer version of Evidence Tracker (schema {found}, this version knows up to {known}); upgrade the app"
    )]
    DatabaseTooNew { found: i64, known: i64 },

    #[error("the data directory is read-only: {0}")]
    ReadOnly(String),

    #[error("no space left to save: {0}")]
    StorageFull(String),

    #[error("the database is busy in another program; try again")]
    Busy,

    #[error("file system error: {0}")]
    Io(String),

    #[error("database error: {0}")]
    Database(String),

    #[error("sign in first: {0}")]
    Unauthenticated(String),

    #[error("not allowed: {0}")]
    Forbidden(String),

    #[error("the username or password is not right")]
    SignInFailed,

    #[error("too many failed attempts for {username}; try again in {seconds} s")]
    SignInDelayed { username: String, seconds: i64 },

    #[error("not ready to submit: {0} blocker(s)")]
    NotReady(usize),
    #[error("the bundle is not valid: {0}")]
    InvalidBundle(String),
    #[error(
        "the bundle was written by a newer version of Evidence Tracker (format {found}, this version reads up to {known}); upgrade the app"
    )]
    BundleTooNew { found: u64, known: u64 },
}

impl CoreError {
    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::NotFound { .. } => "not_found",
            CoreError::InvalidInput(_) => "invalid_input",
            CoreError::InvalidFramework(_) => "invalid_framework",
            CoreError::Conflict(_) => "conflict",
            CoreError::Ambiguous(_) => "ambiguous",
            CoreError::AttachmentUnreadable { .. } => "attachment_unreadable",
            CoreError::DatabaseTooNew { .. } => "database_too_new",
            CoreError::ReadOnly(_) => "read_only",
            CoreError::StorageFull(_) => "storage_full",
            CoreError::Busy => "busy",
            CoreError::Io(_) => "io_error",
            CoreError::Database(_) => "database_error",
            CoreError::Unauthenticated(_) => "unauthenticated",
            CoreError::Forbidden(_) => "forbidden",
            CoreError::SignInFailed => "sign_in_failed",
            CoreError::SignInDelayed { .. } => "sign_in_delayed",
            CoreError::NotReady(_) => "not_ready",
            CoreError::InvalidBundle(_) => "invalid_bundle",
            CoreError::BundleTooNew { .. } => "bundle_too_new",
        }
    }

    /// The `{code, message}` form sent to the UI and printed by `--json` error output.
    pub fn to_payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code().to_string(),
            message: self.to_string(),
        }
    }

    pub(crate) fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        CoreError::NotFound {
            what,
            key: key.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        CoreError::InvalidInput(message.into())
    }

    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        CoreError::Forbidden(message.into())
    }

    /// A bundle from elsewhere that breaks the format; the message names what.
    pub(crate) fn invalid_bundle(message: impl Into<String>) -> Self {
        CoreError::InvalidBundle(message.into())
    }
}

/// An error as data: what crosses to the UI and to JSON consumers.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
}

impl From<rusqlite::Error> for CoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::SqliteFailure(failure, ref detail) = err {
            let detail = detail.clone().unwrap_or_else(|| failure.to_string());
            return match failure.code {
                ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                    CoreError::ReadOnly(detail)
                }
                ErrorCode::DiskFull => CoreError::StorageFull(detail),
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => CoreError::Busy,
                _ => CoreError::Database(detail),
            };
        }
        CoreError::Database(err.to_string())
    }
}

impl From<std::io::Error> for CoreError {
    fn from(err: std::io::Error) -> Self {
        io_error(err, "")
    }
}

/// Classifies an I/O error, naming the path it concerned.
pub(crate) fn io_error(err: std::io::Error, path: &str) -> CoreError {
    use std::io::ErrorKind;
    let text = if path.is_empty() {
        err.to_string()
    } else {
        format!("{path}: {err}")
    };
    match err.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => CoreError::ReadOnly(text),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => CoreError::StorageFull(text),
        _ => CoreError::Io(text),
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
