//! Typed errors for every core operation.
//!
//! Each error has a stable `code` (snake_case) that the CLI prints and the desktop UI branches on, and a
//! human message that names the problem. Callers never match on message text.

use serde::{Deserialize, Serialize};

use crate::names::str_names;

/// Everything that can go wrong in the core, with a stable code per variant.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{what} not found: {key}")]
    NotFound { what: &'static str, key: String },

    #[error("{0}")]
    InvalidInput(String),

    /// Bad input in one named field of a form (code `invalid_input`).
    #[error("{message}")]
    InvalidField {
        field: &'static str,
        message: String,
    },

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
    /// A bundle maps to a framework version this computer lacks; `carried` when the bundle holds
    /// its file, which can be loaded from it (`Store::bundle_frameworks`).
    #[error("{}", framework_missing(code, version, *carried))]
    FrameworkMissing {
        code: String,
        version: String,
        carried: bool,
    },

    /// Long work (an export, an import, a report) stopped because its caller asked; nothing of it was
    /// kept. The message says what was stopped.
    #[error("cancelled: {0}")]
    Cancelled(String),

    /// The centre service (see `service`) cannot be reached: not running, or its socket not there.
    #[error("the centre service cannot be reached: {0}")]
    ServiceUnavailable(String),

    /// An error the centre service answered with, its code and message as the service sent them.
    #[error("{}", .0.message)]
    FromService(ErrorPayload),
}

fn framework_missing(code: &str, version: &str, carried: bool) -> String {
    let what =
        format!("the bundle uses {code} version {version}, which this computer does not have");
    match carried {
        true => format!("{what}: load it from the bundle (it carries the framework file), then import the bundle again"),
        false => format!("{what}, and it does not carry that framework's file (bundles made by earlier releases carry none): import that version first"),
    }
}

impl CoreError {
    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The input this error concerns, when it names one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CoreError::InvalidField { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The stable code as a value (a TypeScript union in the UI).
    pub fn error_code(&self) -> ErrorCode {
        match self {
            CoreError::NotFound { .. } => ErrorCode::NotFound,
            CoreError::InvalidInput(_) | CoreError::InvalidField { .. } => ErrorCode::InvalidInput,
            CoreError::InvalidFramework(_) => ErrorCode::InvalidFramework,
            CoreError::Conflict(_) => ErrorCode::Conflict,
            CoreError::Ambiguous(_) => ErrorCode::Ambiguous,
            CoreError::AttachmentUnreadable { .. } => ErrorCode::AttachmentUnreadable,
            CoreError::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            CoreError::ReadOnly(_) => ErrorCode::ReadOnly,
            CoreError::StorageFull(_) => ErrorCode::StorageFull,
            CoreError::Busy => ErrorCode::Busy,
            CoreError::Io(_) => ErrorCode::IoError,
            CoreError::Database(_) => ErrorCode::DatabaseError,
            CoreError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            CoreError::Forbidden(_) => ErrorCode::Forbidden,
            CoreError::SignInFailed => ErrorCode::SignInFailed,
            CoreError::SignInDelayed { .. } => ErrorCode::SignInDelayed,
            CoreError::NotReady(_) => ErrorCode::NotReady,
            CoreError::InvalidBundle(_) => ErrorCode::InvalidBundle,
            CoreError::BundleTooNew { .. } => ErrorCode::BundleTooNew,
            CoreError::FrameworkMissing { .. } => ErrorCode::FrameworkMissing,
            CoreError::Cancelled(_) => ErrorCode::Cancelled,
            CoreError::ServiceUnavailable(_) => ErrorCode::ServiceUnavailable,
            CoreError::FromService(payload) => payload.code,
        }
    }

    /// The `{code, message}` form sent to the UI and printed by `--json` error output.
    pub fn to_payload(&self) -> ErrorPayload {
        if let CoreError::FromService(payload) = self {
            return payload.clone();
        }
        ErrorPayload {
            code: self.error_code(),
            message: self.to_string(),
            field: self.field().map(str::to_string),
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

    /// Names the form field an input error concerns (the UI highlights it); other errors pass.
    pub(crate) fn in_field(self, field: &'static str) -> Self {
        match self {
            CoreError::InvalidInput(message) => CoreError::InvalidField { field, message },
            other => other,
        }
    }

    /// A bundle from elsewhere that breaks the format; the message names what.
    /// A store whose accounts were deleted outside the app: nobody can sign in, and it does not
    /// fall back to acting for an owner.
    pub(crate) fn accounts_removed() -> Self {
        CoreError::Unauthenticated(
            "this portfolio had accounts, and they were removed outside Evidence Tracker, so nobody can sign in; restore a backup made before they were removed".into(),
        )
    }

    pub(crate) fn invalid_bundle(message: impl Into<String>) -> Self {
        CoreError::InvalidBundle(message.into())
    }
}

/// The stable code of every kind of error: what the CLI prints, `--json` and the UI branch on.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    InvalidFramework,
    Conflict,
    Ambiguous,
    AttachmentUnreadable,
    DatabaseTooNew,
    ReadOnly,
    StorageFull,
    Busy,
    IoError,
    DatabaseError,
    Unauthenticated,
    Forbidden,
    SignInFailed,
    SignInDelayed,
    NotReady,
    InvalidBundle,
    BundleTooNew,
    FrameworkMissing,
    Cancelled,
    ServiceUnavailable,
    /// The desktop shell itself failed (not the core): restart the app.
    Internal,
}

str_names!(ErrorCode {
    NotFound => "not_found",
    InvalidInput => "invalid_input",
    InvalidFramework => "invalid_framework",
    Conflict => "conflict",
    Ambiguous => "ambiguous",
    AttachmentUnreadable => "attachment_unreadable",
    DatabaseTooNew => "database_too_new",
    ReadOnly => "read_only",
    StorageFull => "storage_full",
    Busy => "busy",
    IoError => "io_error",
    DatabaseError => "database_error",
    Unauthenticated => "unauthenticated",
    Forbidden => "forbidden",
    SignInFailed => "sign_in_failed",
    SignInDelayed => "sign_in_delayed",
    NotReady => "not_ready",
    InvalidBundle => "invalid_bundle",
    BundleTooNew => "bundle_too_new",
    FrameworkMissing => "framework_missing",
    Cancelled => "cancelled",
    ServiceUnavailable => "service_unavailable",
    Internal => "internal",
});

/// An error as data: what crosses to the UI and to JSON consumers.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
    /// The input the error concerns (a form field such as `title`), so a form can highlight it.
    pub field: Option<String>,
}

impl ErrorPayload {
    /// A failure of the desktop shell itself, not of the core.
    pub fn internal(message: impl Into<String>) -> ErrorPayload {
        ErrorPayload {
            code: ErrorCode::Internal,
            message: message.into(),
            field: None,
        }
    }
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
