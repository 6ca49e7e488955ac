//! Attachments: files copied into a content-addressed folder (`attachments/ab/ab12…`, named by SHA-256)
//! with their original name, media type and size recorded. The same content is stored once; the
//! original file is only ever read.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::Change;
use crate::db::blob_cipher::{open_stored, SealingWriter};
use crate::db::DataKey;
use crate::error::{io_error, CoreError, Result};
use crate::ids::{EvidenceRowId, LearnerRowId};
use crate::store::access::Need;
use crate::store::{Allowed, Store, BLOBS_DIR};
use crate::time::now_rfc3339;

/// Largest attachment accepted, in bytes.
pub const MAX_ATTACHMENT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// A file attached to an evidence item.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct Attachment {
    pub sha256: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub added_at: String,
}

/// The path of a blob inside a data directory.
pub fn blob_path(data_dir: &Path, sha256: &str) -> PathBuf {
    data_dir
        .join(BLOBS_DIR)
        .join(sha256.get(..2).unwrap_or("xx"))
        .join(sha256)
}

/// A blob copied into the store: where it is, and whether this call created it.
struct StoredBlob {
    sha256: String,
    size: u64,
    path: PathBuf,
    created: bool,
}

/// An attachment's content, as the store reads it: from a file here, or as it arrives through the
/// centre service.
pub struct Content<'a> {
    /// What the messages call it: the file's path, or its name.
    pub shown: String,
    pub reader: &'a mut dyn Read,
}

fn too_big(shown: &str, size: u64) -> CoreError {
    CoreError::invalid(format!(
        "{shown} is {size} bytes or more; the largest attachment accepted is {MAX_ATTACHMENT_BYTES} bytes"
    ))
}

/// Copies `content` into the blob folder while hashing it; the copy is renamed into place only when
/// complete, so a failure never leaves a partial blob under a content name.
fn copy_into_store(
    data_dir: &Path,
    content: &mut Content<'_>,
    key: Option<&DataKey>,
) -> Result<StoredBlob> {
    let shown = content.shown.clone();
    let unreadable = |reason: String| CoreError::AttachmentUnreadable {
        path: shown.clone(),
        reason,
    };
    let blobs = data_dir.join(BLOBS_DIR);
    let blobs_shown = blobs.display().to_string();
    std::fs::create_dir_all(&blobs).map_err(|e| io_error(e, &blobs_shown))?;
    let mut temp =
        tempfile::NamedTempFile::new_in(&blobs).map_err(|e| io_error(e, &blobs_shown))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    let mut pump = |out: &mut dyn Write| -> Result<()> {
        loop {
            let read = content
                .reader
                .read(&mut buffer)
                .map_err(|e| unreadable(e.to_string()))?;
            if read == 0 {
                return Ok(());
            }
            size += read as u64;
            // A file may grow while it is read, and content through the service announces no size:
            // the limit holds for what is read.
            if size > MAX_ATTACHMENT_BYTES {
                return Err(too_big(&content.shown, size));
            }
            hasher.update(&buffer[..read]);
            out.write_all(&buffer[..read])
                .map_err(|e| io_error(e, &blobs_shown))?;
        }
    };
    // On an encrypted portfolio the content reaches the disk only sealed.
    match key {
        None => pump(temp.as_file_mut())?,
        Some(key) => {
            let mut sealing = SealingWriter::new(key, temp.as_file_mut())
                .map_err(|e| io_error(e, &blobs_shown))?;
            pump(&mut sealing)?;
            sealing.finish().map_err(|e| io_error(e, &blobs_shown))?;
        }
    }
    temp.as_file()
        .sync_all()
        .map_err(|e| io_error(e, &blobs_shown))?;
    let sha256 = hex::encode(hasher.finalize());
    let path = blob_path(data_dir, &sha256);
    if path.exists() {
        return Ok(StoredBlob {
            sha256,
            size,
            path,
            created: false,
        });
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(e, &parent.display().to_string()))?;
    }
    temp.persist(&path)
        .map_err(|e| io_error(e.error, &path.display().to_string()))?;
    Ok(StoredBlob {
        sha256,
        size,
        path,
        created: true,
    })
}

/// Opens `path` for reading only if it is a regular file and not a symbolic link (a link to
/// `/etc/shadow` must not turn into an attachment). The check is made on the opened handle, so the
/// file cannot be swapped for something else between the check and the read. Returns the file, its
/// checked name and its length; a file over the size limit is refused here.
pub fn open_attachment_source(path: &Path) -> Result<(File, String, u64)> {
    let unreadable = |reason: String| CoreError::AttachmentUnreadable {
        path: path.display().to_string(),
        reason,
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| CoreError::invalid(format!("{} has no file name", path.display())))
        .and_then(crate::input::file_name)?;
    let file = open_regular_file(path).map_err(unreadable)?;
    let length = file
        .metadata()
        .map_err(|e| unreadable(e.to_string()))?
        .len();
    // Refused before a byte is read, wherever the content then goes (the store, or the service).
    if length > MAX_ATTACHMENT_BYTES {
        return Err(too_big(&path.display().to_string(), length));
    }
    Ok((file, file_name, length))
}

fn open_regular_file(path: &Path) -> std::result::Result<File, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    // Elsewhere the link is looked at first (a small window remains; see docs/security.md).
    #[cfg(not(target_os = "linux"))]
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err("it is a symbolic link; attach the file it points to instead".into());
    }
    let file = options.open(path).map_err(|e| {
        let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link {
            "it is a symbolic link; attach the file it points to instead".to_string()
        } else {
            e.to_string()
        }
    })?;
    let is_file = file.metadata().map_err(|e| e.to_string())?.is_file();
    if !is_file {
        return Err("not a regular file".into());
    }
    Ok(file)
}

fn media_type_of(file_name: &str) -> String {
    mime_guess::from_path(file_name)
        .first_raw()
        .unwrap_or("application/octet-stream")
        .to_string()
}

impl Store {
    /// Attaches a file to an evidence item.
    pub fn attach(&mut self, evidence: &str, source: &Path) -> Result<Attachment> {
        let (mut file, file_name, _) = open_attachment_source(source)?;
        let content = Content {
            shown: source.display().to_string(),
            reader: &mut file,
        };
        self.attach_content(evidence, &file_name, content)
    }

    /// Attaches content named `file_name` to an evidence item (what the centre service does with a
    /// file its client sends). Who may change the item is checked before a byte is read; the name
    /// gets the checks of every file name; the size limit holds while reading.
    pub fn attach_content(
        &mut self,
        evidence: &str,
        file_name: &str,
        mut content: Content<'_>,
    ) -> Result<Attachment> {
        let data_dir = self.data_dir().map(Path::to_path_buf).ok_or_else(|| {
            CoreError::invalid("this store has no data directory for attachments")
        })?;
        let (evidence, learner, allowed) =
            self.evidence_to_change(evidence, Need::ChangeEvidence)?;
        // A name that arrives as text (not from a path here) may try to be a path.
        if file_name.contains(['/', '\\']) || matches!(file_name.trim(), "." | "..") {
            return Err(CoreError::invalid(format!(
                "{file_name:?} is not a file's name (it has a path in it)"
            )));
        }
        let file_name = crate::input::file_name(std::ffi::OsStr::new(file_name))?;
        let blob = copy_into_store(&data_dir, &mut content, self.data_key())?;
        let attachment = Attachment {
            sha256: blob.sha256.clone(),
            media_type: media_type_of(&file_name),
            file_name,
            size: blob.size,
            added_at: now_rfc3339(),
        };
        let written = self.write(&allowed, |tx, audit| {
            tx.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?1, ?2)",
                params![blob.sha256, blob.size as i64],
            )?;
            let added = tx.execute(
                "INSERT OR IGNORE INTO attachments (evidence_id, sha256, file_name, media_type, size, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![evidence.row_id, attachment.sha256, attachment.file_name,
                        attachment.media_type, attachment.size as i64, attachment.added_at],
            )?;
            if added == 0 {
                return Err(CoreError::Conflict(format!(
                    "this file's content is already attached to evidence {}",
                    evidence.uuid
                )));
            }
            audit.record(Change::new("attached", format!("evidence:{}", evidence.uuid))
                    .learner(&learner.learner.id)
                    .after(format!("{} sha256:{}", attachment.file_name, attachment.sha256)),
            )
        });
        if written.is_err() && blob.created {
            // The database does not know this blob: leave the folder as it was.
            let _ = std::fs::remove_file(&blob.path);
        }
        written.map(|()| attachment)
    }

    /// The path of an attachment's stored copy, for a user who may read an item it is attached to.
    pub fn attachment_path(&self, sha256: &str) -> Result<PathBuf> {
        let data_dir = self
            .data_dir()
            .ok_or_else(|| CoreError::invalid("this store has no data directory"))?;
        if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(CoreError::invalid(format!("{sha256:?} is not a SHA-256")));
        }
        self.readable_attachment(sha256)?;
        Ok(blob_path(data_dir, sha256))
    }

    /// The media type of an attachment with this content on an item the acting user may read. The
    /// same content attached in two portfolios is stored once, so every item holding it is considered.
    fn readable_attachment(&self, sha256: &str) -> Result<String> {
        let readable = self.readable_learners()?;
        let mut stmt = self.read(&readable).prepare_cached(
            "SELECT e.learner_id, a.media_type FROM attachments a JOIN evidence e ON e.id = a.evidence_id
             WHERE a.sha256 = ?1 ORDER BY a.added_at",
        )?;
        let holders: Vec<(LearnerRowId, String)> = stmt
            .query_map([sha256], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if holders.is_empty() {
            return Err(CoreError::not_found("attachment", sha256));
        }
        holders
            .into_iter()
            .find(|(learner, _)| readable.allows(*learner))
            .map(|(_, media_type)| media_type)
            // Not "forbidden": that would confirm that someone keeps a file with this content.
            .ok_or_else(|| CoreError::not_found("attachment", sha256))
    }

    /// A `data:` URL of an attached image for a thumbnail (PNG, JPEG, GIF or WebP up to 2 MB), or `None`
    /// for other files. SVG is never previewed: it can carry scripts.
    pub fn attachment_preview(&self, sha256: &str) -> Result<Option<String>> {
        use base64::Engine;
        let path = self.attachment_path(sha256)?;
        let media_type = self.readable_attachment(sha256)?;
        let previewable = ["image/png", "image/jpeg", "image/gif", "image/webp"];
        if !previewable.contains(&media_type.as_str()) {
            return Ok(None);
        }
        let shown = path.display().to_string();
        let (reader, size) =
            open_stored(&path, self.data_key()).map_err(|e| io_error(e, &shown))?;
        if size > 2 * 1024 * 1024 {
            return Ok(None);
        }
        let mut bytes = Vec::with_capacity(size as usize);
        reader
            .take(2 * 1024 * 1024 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(e, &shown))?;
        // The name is the content's hash: a file changed on disk is not shown as this attachment.
        if hex::encode(Sha256::digest(&bytes)) != sha256 {
            return Err(CoreError::Database(format!(
                "the stored copy of attachment {sha256} is damaged"
            )));
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        Ok(Some(format!("data:{media_type};base64,{encoded}")))
    }

    pub(crate) fn attachments_of(
        &self,
        allowed: &Allowed,
        evidence_row_id: EvidenceRowId,
    ) -> Result<Vec<Attachment>> {
        let mut stmt = self.read(allowed).prepare(
            "SELECT sha256, file_name, media_type, size, added_at FROM attachments
             WHERE evidence_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([evidence_row_id], |row| {
            Ok(Attachment {
                sha256: row.get(0)?,
                file_name: row.get(1)?,
                media_type: row.get(2)?,
                size: row.get::<_, i64>(3)? as u64,
                added_at: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
