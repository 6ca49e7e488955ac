//! Tools for making bad bundles out of a good one, for the hostile-bundle corpus: unpack a bundle's
//! entries, edit its manifest as JSON, add, replace or drop entries (links and directories too),
//! optionally bring the manifest's `files` list back in line, re-zip, and edit the raw bytes of the
//! result. Also a snapshot of a data directory (database rows and every file, byte for byte) for
//! "nothing changed" assertions.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::bundles::{export, laptop};
use crate::common::{dump, Fixture};

/// What an entry of a bundle is.
#[derive(Clone)]
pub enum Data {
    /// A file, deflated.
    File(Vec<u8>),
    /// A symbolic link to the given target.
    Link(String),
    /// A directory entry (`add_directory` appends the `/`).
    Dir,
}

/// A bundle taken apart: its entries in order, the manifest among them.
#[derive(Clone)]
pub struct Kit {
    pub entries: Vec<(String, Data)>,
}

pub fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The laptop fixture's portfolio exported once, as the bytes of its bundle, and the learner's id.
pub fn good() -> &'static (Vec<u8>, String) {
    static GOOD: OnceLock<(Vec<u8>, String)> = OnceLock::new();
    GOOD.get_or_init(|| {
        let (a, lee, _) = laptop();
        let out = tempfile::tempdir().unwrap();
        let path = export(&a.store, &lee, out.path(), "good.zip");
        (std::fs::read(path).unwrap(), lee)
    })
}

impl Kit {
    pub fn from_bytes(bytes: &[u8]) -> Kit {
        let mut archive = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut entries = Vec::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            entries.push((file.name().unwrap().to_string(), Data::File(data)));
        }
        Kit { entries }
    }

    pub fn good() -> Kit {
        Kit::from_bytes(&good().0)
    }

    pub fn file(&self, name: &str) -> &[u8] {
        match self.entries.iter().find(|(n, _)| n == name) {
            Some((_, Data::File(bytes))) => bytes,
            _ => panic!("no file {name}"),
        }
    }

    /// The name of the bundle's one attachment.
    pub fn attachment(&self) -> String {
        self.entries
            .iter()
            .map(|(n, _)| n)
            .find(|n| n.starts_with("attachments/"))
            .unwrap()
            .clone()
    }

    pub fn manifest(&self) -> Value {
        serde_json::from_slice(self.file("manifest.json")).unwrap()
    }

    /// The manifest edited by `f` (the `files` list is left as it is).
    pub fn edit(self, f: impl FnOnce(&mut Value)) -> Kit {
        let mut m = self.manifest();
        f(&mut m);
        self.put("manifest.json", serde_json::to_vec_pretty(&m).unwrap())
    }

    /// Replaces the entry called `name`, or adds it at the end.
    pub fn put_data(mut self, name: &str, data: Data) -> Kit {
        match self.entries.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = data,
            None => self.entries.push((name.to_string(), data)),
        }
        self
    }

    pub fn put(self, name: &str, bytes: impl Into<Vec<u8>>) -> Kit {
        self.put_data(name, Data::File(bytes.into()))
    }

    pub fn remove(mut self, name: &str) -> Kit {
        self.entries.retain(|(n, _)| n != name);
        self
    }

    /// The manifest's `files` list rewritten to match the files present (the manifest excepted).
    pub fn relist(self) -> Kit {
        let files: Vec<Value> = self
            .entries
            .iter()
            .filter(|(n, _)| n != "manifest.json")
            .filter_map(|(n, d)| match d {
                Data::File(bytes) => Some(serde_json::json!({
                    "path": n, "sha256": sha256(bytes), "size": bytes.len(),
                })),
                _ => None,
            })
            .collect();
        self.edit(|m| m["files"] = Value::Array(files))
    }

    /// The bundle zipped.
    pub fn bytes(&self) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, data) in &self.entries {
            match data {
                Data::File(bytes) => {
                    zip.start_file(name.as_str(), deflated).unwrap();
                    zip.write_all(bytes).unwrap();
                }
                Data::Link(target) => zip
                    .add_symlink(name.as_str(), target.as_str(), SimpleFileOptions::default())
                    .unwrap(),
                Data::Dir => zip
                    .add_directory(name.as_str(), SimpleFileOptions::default())
                    .unwrap(),
            }
        }
        zip.finish().unwrap().into_inner()
    }
}

/// `bytes` with every occurrence of `from` replaced by `to` (the same length).
pub fn replace_all(mut bytes: Vec<u8>, from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut i = 0;
    let mut found = false;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            found = true;
            i += from.len();
        } else {
            i += 1;
        }
    }
    assert!(
        found,
        "{:?} not in the bytes",
        String::from_utf8_lossy(from)
    );
    bytes
}

/// `bytes` with the central-directory record of entry `name` changed by `f` (the record's fixed
/// 46 bytes: sizes at 20 and 24, external attributes at 38).
pub fn patch_central(mut bytes: Vec<u8>, name: &str, f: impl Fn(&mut [u8])) -> Vec<u8> {
    let mut i = 0;
    while i + 46 <= bytes.len() {
        if bytes[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] {
            let len = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            if bytes.get(i + 46..i + 46 + len) == Some(name.as_bytes()) {
                f(&mut bytes[i..i + 46]);
                return bytes;
            }
        }
        i += 1;
    }
    panic!("no central record for {name}");
}

/// `bytes` with the local header of entry `name` changed by `f` (the header's fixed 30 bytes, then
/// the name: CRC at 14, sizes at 18 and 22).
pub fn patch_local(mut bytes: Vec<u8>, name: &str, f: impl Fn(&mut [u8])) -> Vec<u8> {
    let mut i = 0;
    while i + 30 <= bytes.len() {
        if bytes[i..i + 4] == [0x50, 0x4b, 0x03, 0x04] {
            let len = u16::from_le_bytes([bytes[i + 26], bytes[i + 27]]) as usize;
            if bytes.get(i + 30..i + 30 + len) == Some(name.as_bytes()) {
                f(&mut bytes[i..i + 30 + len]);
                return bytes;
            }
        }
        i += 1;
    }
    panic!("no local header for {name}");
}

/// Writes `bytes` as `dir/name`.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(format!("{name}.zip"));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The database's rows and every file and folder under the data directory (SQLite's `-wal` and
/// `-shm` aside), byte for byte.
pub fn snapshot(fx: &Fixture) -> (String, BTreeMap<String, Vec<u8>>) {
    let root = fx.dir.path();
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                files.insert(format!("{name}/"), Vec::new());
                pending.push(path);
            } else if !name.ends_with("-wal") && !name.ends_with("-shm") {
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    (dump(&fx.store), files)
}
