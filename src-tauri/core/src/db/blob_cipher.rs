//! Attachments encrypted at rest: on an encrypted portfolio every stored file is sealed with a key
//! derived from the database's data key (SHA-256 of a label and the data key, so the two keys never
//! coincide), in XChaCha20-Poly1305 under the STREAM construction — 64 KiB segments, each
//! authenticated, numbered and the last one marked — so a 2 GiB video is sealed and opened as it
//! streams, never whole in memory, and a file cut short, reordered or changed fails to open rather
//! than reading wrong.
//!
//! A sealed file starts with [`MAGIC`] and a random 19-byte nonce prefix. A file without the magic
//! is plaintext (a portfolio not encrypted, or not yet): readers take both, and the content's
//! SHA-256, which is the file's name, is checked by whoever needs to trust it.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::KeyInit;
use chacha20poly1305::XChaCha20Poly1305;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::DataKey;

/// The first bytes of a sealed attachment.
pub(crate) const MAGIC: &[u8; 8] = b"ETBLOB1\n";
const NONCE_PREFIX: usize = 19;
const SEGMENT: usize = 64 * 1024;
const TAG: usize = 16;
const HEADER: usize = MAGIC.len() + NONCE_PREFIX;

fn cipher(key: &DataKey) -> XChaCha20Poly1305 {
    let mut hash = Sha256::new();
    hash.update(b"evidence-tracker-attachments\0");
    hash.update(key.bytes());
    let subkey = Zeroizing::new(<[u8; 32]>::from(hash.finalize()));
    XChaCha20Poly1305::new(subkey.as_ref().into())
}

fn damaged() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the stored file is damaged, or was not sealed with this portfolio's key",
    )
}

/// Writes what it is given sealed into `out`; [`SealingWriter::finish`] seals the last segment.
pub(crate) struct SealingWriter<W: Write> {
    out: W,
    sealer: Option<EncryptorBE32<XChaCha20Poly1305>>,
    pending: Vec<u8>,
}

impl<W: Write> SealingWriter<W> {
    pub(crate) fn new(key: &DataKey, mut out: W) -> io::Result<SealingWriter<W>> {
        let mut prefix = [0u8; NONCE_PREFIX];
        getrandom::fill(&mut prefix).map_err(|e| io::Error::other(e.to_string()))?;
        out.write_all(MAGIC)?;
        out.write_all(&prefix)?;
        Ok(SealingWriter {
            out,
            sealer: Some(EncryptorBE32::from_aead(cipher(key), (&prefix).into())),
            pending: Vec::with_capacity(2 * SEGMENT),
        })
    }

    /// Seals the last segment (which may be empty) and hands back the output.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        let sealer = self.sealer.take().ok_or_else(damaged)?;
        let sealed = sealer
            .encrypt_last(self.pending.as_slice())
            .map_err(|_| damaged())?;
        self.out.write_all(&sealed)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> Write for SealingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        // A full segment is sealed only once more follows: the last one is sealed as the last.
        while self.pending.len() > SEGMENT {
            let sealer = self.sealer.as_mut().ok_or_else(damaged)?;
            let sealed = sealer
                .encrypt_next(&self.pending[..SEGMENT])
                .map_err(|_| damaged())?;
            self.out.write_all(&sealed)?;
            self.pending.drain(..SEGMENT);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Reads a sealed file's content, segment by segment, each checked before any of it is given out.
pub(crate) struct OpeningReader<R: Read> {
    input: BufReader<R>,
    opener: Option<DecryptorBE32<XChaCha20Poly1305>>,
    plain: Vec<u8>,
    at: usize,
}

impl<R: Read> OpeningReader<R> {
    pub(crate) fn new(key: &DataKey, input: R) -> io::Result<OpeningReader<R>> {
        let mut input = BufReader::with_capacity(SEGMENT + TAG, input);
        let mut header = [0u8; HEADER];
        input.read_exact(&mut header).map_err(|_| damaged())?;
        if &header[..MAGIC.len()] != MAGIC {
            return Err(damaged());
        }
        let prefix: [u8; NONCE_PREFIX] = header[MAGIC.len()..].try_into().map_err(|_| damaged())?;
        Ok(OpeningReader {
            input,
            opener: Some(DecryptorBE32::from_aead(cipher(key), (&prefix).into())),
            plain: Vec::new(),
            at: 0,
        })
    }

    /// Opens the next segment into `plain`; false at the end.
    fn next_segment(&mut self) -> io::Result<bool> {
        if self.opener.is_none() {
            return Ok(false);
        }
        let mut sealed = Vec::with_capacity(SEGMENT + TAG);
        (&mut self.input)
            .take((SEGMENT + TAG) as u64)
            .read_to_end(&mut sealed)?;
        let last = sealed.len() < SEGMENT + TAG || self.input.fill_buf()?.is_empty();
        self.plain = match last {
            true => {
                let opener = self.opener.take().ok_or_else(damaged)?;
                opener.decrypt_last(sealed.as_slice())
            }
            false => {
                let opener = self.opener.as_mut().ok_or_else(damaged)?;
                opener.decrypt_next(sealed.as_slice())
            }
        }
        .map_err(|_| damaged())?;
        self.at = 0;
        Ok(true)
    }
}

impl<R: Read> Read for OpeningReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.plain.len() {
            if !self.next_segment()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.plain.len() - self.at);
        out[..n].copy_from_slice(&self.plain[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The content size of a sealed file `sealed_len` bytes long.
pub(crate) fn content_size(sealed_len: u64) -> u64 {
    let body = sealed_len.saturating_sub(HEADER as u64);
    let segments = body.div_ceil((SEGMENT + TAG) as u64).max(1);
    body.saturating_sub(segments * TAG as u64)
}

/// Whether the file at `path` is sealed.
pub(crate) fn is_sealed(path: &Path) -> io::Result<bool> {
    let mut start = [0u8; MAGIC.len()];
    let mut file = std::fs::File::open(path)?;
    let mut read = 0;
    while read < start.len() {
        match file.read(&mut start[read..])? {
            0 => return Ok(false),
            n => read += n,
        }
    }
    Ok(&start == MAGIC)
}

/// A stored attachment opened for reading, and its content size: opened through the seal when it is
/// sealed, as it is when it is plaintext. A sealed file needs the key.
pub(crate) fn open_stored(path: &Path, key: Option<&DataKey>) -> io::Result<(Box<dyn Read>, u64)> {
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if !is_sealed(path)? {
        return Ok((Box::new(file), len));
    }
    let key = key.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the stored file is encrypted and the portfolio is not open with its key",
        )
    })?;
    Ok((Box::new(OpeningReader::new(key, file)?), content_size(len)))
}

/// Left in the attachments folder while [`seal_stored_files`] runs: a pass that was cut off is
/// finished at the next sign-in.
const SEALING_MARKER: &str = ".sealing";

/// Whether a pass of [`seal_stored_files`] over `data_dir` was cut off.
pub(crate) fn sealing_unfinished(data_dir: &Path) -> bool {
    data_dir
        .join(super::BLOBS_DIR)
        .join(SEALING_MARKER)
        .exists()
}

/// Seals, in place, every plaintext file in the attachments folder of `data_dir` (an encrypted
/// portfolio's, after its database was encrypted): each is sealed into a file beside it, which
/// takes its name only once whole and synced, so a crash leaves every file either plaintext or
/// sealed, and the next pass does the rest. A file whose content no longer matches its name is left
/// as it is (it is damaged; the reader reports it). Returns how many files were sealed.
pub(crate) fn seal_stored_files(data_dir: &Path, key: &DataKey) -> io::Result<usize> {
    let root = data_dir.join(super::BLOBS_DIR);
    if !root.is_dir() {
        return Ok(0);
    }
    let marker = root.join(SEALING_MARKER);
    std::fs::write(&marker, b"")?;
    let mut sealed = 0;
    for shard in std::fs::read_dir(&root)? {
        let shard = shard?.path();
        if !shard.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&shard)? {
            let path = file?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let content_named = name.len() == 64 && name.chars().all(|c| c.is_ascii_hexdigit());
            if !content_named || !path.is_file() || is_sealed(&path)? {
                continue;
            }
            if seal_one(&path, name, key)? {
                sealed += 1;
            }
        }
        crate::durable::sync_folders_of([shard.join("x").as_path()])?;
    }
    std::fs::remove_file(&marker)?;
    Ok(sealed)
}

/// Seals the plaintext file at `path`, named `sha256`, in place; false when its content does not
/// match its name.
fn seal_one(path: &Path, sha256: &str, key: &DataKey) -> io::Result<bool> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let (temp, found) = sealed_copy(key, path, folder)?;
    if found != sha256 {
        return Ok(false);
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(true)
}

/// The file at `plain`, sealed into a synced temporary file in `folder`, and its content's SHA-256:
/// the caller gives the copy its name.
pub(crate) fn sealed_copy(
    key: &DataKey,
    plain: &Path,
    folder: &Path,
) -> io::Result<(tempfile::NamedTempFile, String)> {
    let mut temp = tempfile::NamedTempFile::new_in(folder)?;
    let mut input = std::fs::File::open(plain)?;
    let mut hasher = Sha256::new();
    let mut sealing = SealingWriter::new(key, temp.as_file_mut())?;
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let read = input.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        sealing.write_all(&buffer[..read])?;
    }
    sealing.finish()?;
    temp.as_file().sync_all()?;
    Ok((temp, hex::encode(hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(content: &[u8]) -> Vec<u8> {
        let key = DataKey::from_bytes([9; 32]);
        let mut writer = SealingWriter::new(&key, Vec::new()).unwrap();
        for piece in content.chunks(1000) {
            writer.write_all(piece).unwrap();
        }
        writer.finish().unwrap()
    }

    fn opened(file: &[u8]) -> io::Result<Vec<u8>> {
        let key = DataKey::from_bytes([9; 32]);
        let mut out = Vec::new();
        OpeningReader::new(&key, file)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn every_size_round_trips_and_is_measured_from_the_file() {
        for size in [
            0,
            1,
            SEGMENT - 1,
            SEGMENT,
            SEGMENT + 1,
            2 * SEGMENT,
            3 * SEGMENT + 7,
        ] {
            let content: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let file = sealed(&content);
            assert_eq!(opened(&file).unwrap(), content, "size {size}");
            assert_eq!(content_size(file.len() as u64), size as u64, "size {size}");
            assert!(file.starts_with(MAGIC));
        }
    }

    #[test]
    fn a_changed_cut_or_foreign_file_does_not_open() {
        let content: Vec<u8> = (0..3 * SEGMENT).map(|i| (i % 7) as u8).collect();
        let file = sealed(&content);
        let mut flipped = file.clone();
        flipped[HEADER + 10] ^= 1;
        assert!(opened(&flipped).is_err());
        // Cut after the first segment: that segment was not sealed as the last.
        assert!(opened(&file[..HEADER + SEGMENT + TAG]).is_err());
        let other = DataKey::from_bytes([8; 32]);
        let mut out = Vec::new();
        let read =
            OpeningReader::new(&other, file.as_slice()).and_then(|mut r| r.read_to_end(&mut out));
        assert!(read.is_err());
        assert!(opened(b"plain text, not sealed at all").is_err());
    }
}
