//! SHA-256 of bytes that are being copied (an attachment into a bundle on export, or into the staging
//! folder on import), for a large file on a second thread: hashing (about 1.4 GB/s here) and writing
//! into the page cache (slower still) then overlap on two cores instead of adding up. The caller
//! reads into buffers it takes from a [`Feed`] and hands each to [`Feed::hash_then`] with what to do
//! with the bytes meanwhile; buffers come back to be filled again.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::error::{CoreError, Result};

/// Bytes per buffer.
pub(in crate::bundles) const CHUNK: usize = 1024 * 1024;
/// Buffers in use at once: being filled, written, waiting or being hashed.
const DEPTH: usize = 4;
/// Smaller files are hashed in line: a thread is not worth starting for them.
const WORTH_A_THREAD: u64 = 4 * 1024 * 1024;

/// Where the bytes to hash go.
pub(in crate::bundles) enum Feed {
    Inline {
        hasher: Sha256,
        spare: Vec<u8>,
    },
    Beside {
        /// Each buffer with the number of its bytes to hash.
        to: SyncSender<(Arc<Vec<u8>>, usize)>,
        back: Receiver<Arc<Vec<u8>>>,
        made: usize,
    },
}

impl Feed {
    /// A buffer of `CHUNK` bytes to fill: one the hashing is done with, or a new one (buffers keep
    /// their length, so one is zeroed only once, when it is made).
    pub(in crate::bundles) fn take(&mut self) -> Result<Vec<u8>> {
        let mut buf = match self {
            Feed::Inline { spare, .. } => std::mem::take(spare),
            Feed::Beside { back, made, .. } => {
                let returned = match back.try_recv() {
                    Ok(buf) => Some(buf),
                    Err(_) if *made < DEPTH => None,
                    Err(_) => Some(back.recv().map_err(|_| stopped())?),
                };
                // The caller has let go of its share by now, so the buffer is ours alone.
                match returned.map(Arc::try_unwrap) {
                    Some(Ok(buf)) => buf,
                    _ => {
                        *made += 1;
                        Vec::with_capacity(CHUNK)
                    }
                }
            }
        };
        if buf.len() != CHUNK {
            buf.resize(CHUNK, 0);
        }
        Ok(buf)
    }

    /// Hashes the first `n` bytes of `buf` and meanwhile passes them to `then` (which writes them).
    pub(in crate::bundles) fn hash_then(
        &mut self,
        buf: Vec<u8>,
        n: usize,
        then: impl FnOnce(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let n = n.min(buf.len());
        match self {
            Feed::Inline { hasher, spare } => {
                hasher.update(&buf[..n]);
                then(&buf[..n])?;
                *spare = buf;
            }
            Feed::Beside { to, .. } => {
                let shared = Arc::new(buf);
                to.send((Arc::clone(&shared), n)).map_err(|_| stopped())?;
                then(&shared[..n])?;
            }
        }
        Ok(())
    }
}

fn stopped() -> CoreError {
    CoreError::Io("the hashing thread stopped".into())
}

/// Runs `work` with a [`Feed`] (hashing on a second thread when `size`, the expected length, is
/// large); returns what `work` returned and the SHA-256 (hex) of everything it handed over.
pub(in crate::bundles) fn sha256_of<T>(
    size: u64,
    work: impl FnOnce(&mut Feed) -> Result<T>,
) -> Result<(T, String)> {
    if size < WORTH_A_THREAD {
        let mut feed = Feed::Inline {
            hasher: Sha256::new(),
            spare: Vec::new(),
        };
        let done = work(&mut feed)?;
        return match feed {
            Feed::Inline { hasher, .. } => Ok((done, hex::encode(hasher.finalize()))),
            Feed::Beside { .. } => Err(stopped()),
        };
    }
    std::thread::scope(|scope| {
        let (to, received) = mpsc::sync_channel::<(Arc<Vec<u8>>, usize)>(DEPTH);
        let (give_back, back) = mpsc::channel();
        let hashing = scope.spawn(move || {
            let mut hasher = Sha256::new();
            for (buf, n) in received {
                hasher.update(&buf[..n]);
                // Once the caller has finished, the buffer is simply dropped.
                let _ = give_back.send(buf);
            }
            hex::encode(hasher.finalize())
        });
        let mut feed = Feed::Beside { to, back, made: 0 };
        let done = work(&mut feed);
        // Closes the channel: the hashing thread finishes what it was sent.
        drop(feed);
        let sha = hashing.join().map_err(|_| stopped())?;
        Ok((done?, sha))
    })
}
