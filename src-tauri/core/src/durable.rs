//! Large files written durably without a long wait at the end. A bundle (about as large as the
//! portfolio's attachments) and the attachments an import stages must be on disk before they are
//! reported or recorded, so each is `fsync`ed; left to the end, that `fsync` waits while the whole
//! file goes to disk, after all the hashing and copying. Instead, as each few megabytes are written,
//! the kernel is asked to start writing them out, so the disk works while the rest is read and
//! hashed and the final `fsync` finds little left to do. On Linux, "don't need" advice
//! (`posix_fadvise`, through rustix: no unsafe code) starts writeback of a range's dirty pages
//! without waiting for it; the kernel's own dirty-page limits hold a writer back when the disk is
//! slow. This changes only when the bytes reach the disk: callers still `fsync`, which is what makes
//! the file durable and reports any error. Elsewhere than Linux it does nothing.

use std::fs::File;
use std::path::Path;

/// How much is handed to the disk at a time.
const STEP: u64 = 8 * 1024 * 1024;

/// Starts writeback of a file as it is written, in steps. Errors are ignored: the caller's `fsync`
/// writes whatever is left and reports any error.
#[derive(Debug)]
pub(crate) struct Writeback {
    /// Writeback has been started for the bytes before this offset.
    started: u64,
}

impl Writeback {
    /// For a file whose bytes from `from` on are about to be written.
    pub(crate) fn from(from: u64) -> Writeback {
        Writeback { started: from }
    }

    /// `file`'s bytes before `to` are written: starts writeback of every whole step among them not
    /// yet started.
    pub(crate) fn written(&mut self, file: &File, to: u64) {
        while to >= self.started.saturating_add(STEP) {
            sys::start(file, self.started, STEP);
            self.started += STEP;
        }
    }
}

/// Makes the entries of the folders holding `paths` durable (files renamed or made there), each
/// folder once. Only on Unix, where a folder can be opened and `fsync`ed; Windows has no such call
/// (NTFS journals renames itself).
pub(crate) fn sync_folders_of<'a>(
    paths: impl IntoIterator<Item = &'a Path>,
) -> std::io::Result<()> {
    let mut folders: Vec<&Path> = paths
        .into_iter()
        .filter_map(Path::parent)
        // A bare file name's folder is the current one.
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .collect();
    folders.sort_unstable();
    folders.dedup();
    if cfg!(unix) {
        for folder in folders {
            File::open(folder)?.sync_all()?;
        }
    }
    Ok(())
}

#[cfg(target_os = "linux")]
mod sys {
    use std::fs::File;
    use std::num::NonZeroU64;

    use rustix::fs::{fadvise, Advice};

    /// Starts writing `len` bytes at `offset` to disk, without waiting: on Linux, "don't need"
    /// advice starts writeback of the range's dirty pages (and drops only pages already clean).
    pub(super) fn start(file: &File, offset: u64, len: u64) {
        let _ = fadvise(file, offset, NonZeroU64::new(len), Advice::DontNeed);
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    use std::fs::File;

    pub(super) fn start(_: &File, _: u64, _: u64) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_files_are_synced_and_a_bare_name_means_the_current_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.zip");
        std::fs::write(&file, b"x").unwrap();
        sync_folders_of([file.as_path(), Path::new("bare-name.zip")]).unwrap();
        assert!(sync_folders_of([Path::new("/no/such/folder/a.zip")]).is_err());
    }

    #[test]
    fn writeback_is_started_step_by_step() {
        let dir = tempfile::tempdir().unwrap();
        let file = File::create(dir.path().join("big")).unwrap();
        let mut writeback = Writeback::from(0);
        writeback.written(&file, STEP - 1);
        assert_eq!(writeback.started, 0, "no whole step yet");
        writeback.written(&file, 3 * STEP + 5);
        assert_eq!(writeback.started, 3 * STEP);
    }
}
