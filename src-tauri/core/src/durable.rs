//! Large files written durably without a long wait at the end. A bundle (about as large as the
//! portfolio's attachments) and the attachments an import stages must be on disk before they are
//! reported or recorded, so each is `fsync`ed; left to the end, that `fsync` waits while the whole
//! file goes to disk, after all the hashing and copying. Instead, as each few megabytes are written,
//! the kernel is asked to start writing them out (Linux `sync_file_range`, which does not wait), so
//! the disk works while the rest is read and hashed and the final `fsync` finds little left to do.
//! The writer also waits for writeback that is far behind, so a slow disk does not let gigabytes of
//! dirty pages pile up. This changes only when the bytes reach the disk: callers still `fsync`, which
//! is what makes the file durable and reports any error. Elsewhere than Linux it does nothing.

use std::fs::File;
use std::path::Path;

/// How much is handed to the disk at a time.
const STEP: u64 = 8 * 1024 * 1024;
/// How far the disk may fall behind the writer before the writer waits for it.
const AHEAD: u64 = 64 * 1024 * 1024;

/// Starts writeback of a file as it is written, in steps. Errors are ignored: the caller's `fsync`
/// writes whatever is left and reports any error.
#[derive(Debug)]
pub(crate) struct Writeback {
    /// Writeback has been started for the bytes before this offset.
    started: u64,
    /// ...and waited for, before this one.
    waited: u64,
}

impl Writeback {
    /// For a file whose bytes from `from` on are about to be written.
    pub(crate) fn from(from: u64) -> Writeback {
        Writeback {
            started: from,
            waited: from,
        }
    }

    /// `file`'s bytes before `to` are written: starts writeback of every whole step among them not
    /// yet started, and waits for what is more than `AHEAD` behind.
    pub(crate) fn written(&mut self, file: &File, to: u64) {
        while to >= self.started.saturating_add(STEP) {
            sys::start(file, self.started, STEP);
            self.started += STEP;
            if self.started - self.waited > AHEAD {
                let until = self.started - AHEAD;
                sys::wait(file, self.waited, until - self.waited);
                self.waited = until;
            }
        }
    }
}

/// Makes the entries of the folders holding `paths` durable (files renamed or made there), each
/// folder once. Only on Unix, where a folder can be opened and `fsync`ed; Windows has no such call
/// (NTFS journals renames itself).
pub(crate) fn sync_folders_of<'a>(
    paths: impl IntoIterator<Item = &'a Path>,
) -> std::io::Result<()> {
    let mut folders: Vec<&Path> = paths.into_iter().filter_map(Path::parent).collect();
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
    use std::os::fd::AsRawFd;

    /// Starts writing `len` bytes at `offset` to disk, without waiting.
    pub(super) fn start(file: &File, offset: u64, len: u64) {
        sync_range(file, offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }

    /// Waits until writeback already started for `len` bytes at `offset` is done.
    pub(super) fn wait(file: &File, offset: u64, len: u64) {
        sync_range(file, offset, len, libc::SYNC_FILE_RANGE_WAIT_BEFORE);
    }

    #[allow(unsafe_code)]
    fn sync_range(file: &File, offset: u64, len: u64, flags: libc::c_uint) {
        let (Ok(offset), Ok(len)) = (offset.try_into(), len.try_into()) else {
            return;
        };
        // SAFETY: sync_file_range takes no pointers; `file` is open for the whole call, so the
        // descriptor is valid. The result is ignored on purpose (see `Writeback`).
        let _ = unsafe { libc::sync_file_range(file.as_raw_fd(), offset, len, flags) };
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    use std::fs::File;

    pub(super) fn start(_: &File, _: u64, _: u64) {}

    pub(super) fn wait(_: &File, _: u64, _: u64) {}
}
