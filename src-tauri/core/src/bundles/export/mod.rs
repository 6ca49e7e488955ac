//! Writing a bundle: the manifest, a human-readable `index.html` (the coverage report and the list
//! of items, readable in any browser without the app), every attached file once under its SHA-256,
//! and for a quality-assurance bundle the reports as PDF and CSV. Written to a temporary file beside
//! the destination and renamed into place, so a failed (or cancelled) export never leaves half a
//! bundle: progress is told per item read, per file and per megabyte of a large file, and an `Err`
//! from it removes the temporary file.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::sync::mpsc;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::bundles::beside::sha256_of;
use crate::bundles::import::read::{INDEX, MANIFEST};
use crate::bundles::manifest::{BundleKind, FileEntry, Manifest};
use crate::bundles::ExportedBundle;
use crate::db::blob_cipher::open_stored;
use crate::db::DataKey;
use crate::durable::Writeback;
use crate::error::{CoreError, Result};
use crate::evidence::blob_path;
use crate::frameworks::native;
use crate::reports::{self, ReportFormat, ReportKind, ReportProgress, Section, Table};
use crate::store::access::Need;
use crate::store::Store;

fn io(e: impl std::fmt::Display) -> CoreError {
    CoreError::Io(format!("cannot write the bundle: {e}"))
}

/// Tells the thread hashing the bundle how far the file is final. The zip writer goes back to an
/// entry's local header (CRC and sizes) only when it finishes that entry, which it does when the next
/// one starts; so once an entry has started, everything before it is final.
struct Tail {
    /// The bundle file, sharing the writer's offset.
    position: File,
    final_to: mpsc::Sender<u64>,
    /// The bundle goes to disk as it is written, not all in the final `fsync`.
    writeback: Writeback,
}

impl Tail {
    /// The bundle is written up to the writer's offset.
    fn written(&mut self) -> Result<()> {
        let to = (&self.position).stream_position().map_err(io)?;
        self.writeback.written(&self.position, to);
        Ok(())
    }

    fn start_file<W: Write + Seek>(
        &self,
        zip: &mut ZipWriter<W>,
        path: &str,
        options: SimpleFileOptions,
    ) -> Result<()> {
        let before = (&self.position).stream_position().map_err(io)?;
        zip.start_file(path, options).map_err(io)?;
        // The hashing thread only ends early on an error, which hashing the whole file reports.
        let _ = self.final_to.send(before);
        Ok(())
    }
}

/// SHA-256 and length of the bundle as it is written: hashes up to each final offset received, then,
/// once the sender is gone (the bundle finished), to the end of the file.
fn hash_as_written(mut file: File, final_to: mpsc::Receiver<u64>) -> Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1024 * 1024];
    let mut done = 0u64;
    let mut hash_to = |file: &mut File, limit: Option<u64>, done: &mut u64| -> Result<()> {
        loop {
            let want = limit.map_or(buf.len() as u64, |l| (l - *done).min(buf.len() as u64));
            if want == 0 {
                return Ok(());
            }
            let n = file.read(&mut buf[..want as usize]).map_err(io)?;
            if n == 0 {
                return match limit {
                    None => Ok(()),
                    Some(_) => Err(io("the bundle is shorter than written")),
                };
            }
            hasher.update(&buf[..n]);
            *done += n as u64;
        }
    };
    for to in final_to.iter() {
        if to > done {
            hash_to(&mut file, Some(to), &mut done)?;
        }
    }
    hash_to(&mut file, None, &mut done)?;
    Ok((hex::encode(hasher.finalize()), done))
}

/// Adds one file to the zip, returning its manifest entry.
fn add_bytes<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    tail: &Tail,
    path: &str,
    bytes: &[u8],
) -> Result<FileEntry> {
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    tail.start_file(zip, path, options)?;
    zip.write_all(bytes).map_err(io)?;
    Ok(FileEntry {
        path: path.to_string(),
        sha256: hex::encode(Sha256::digest(bytes)),
        size: bytes.len() as u64,
    })
}

/// Streams an attachment's blob into the zip (stored: photos and documents are compressed already),
/// hashing it on the way; `tick` is called after every chunk (an `Err` stops the copy).
fn add_blob<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    tail: &mut Tail,
    path: &str,
    source: &Path,
    key: Option<&DataKey>,
    tick: &mut dyn FnMut() -> Result<()>,
) -> Result<FileEntry> {
    // Opened through its seal on an encrypted portfolio: a bundle carries the content itself.
    let (mut file, size) = open_stored(source, key).map_err(|e| {
        CoreError::Io(format!(
            "attachment {} cannot be read: {e}",
            source.display()
        ))
    })?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(size >= u64::from(u32::MAX));
    tail.start_file(zip, path, options)?;
    let ((), sha256) = sha256_of(size, |feed| loop {
        let mut buf = feed.take()?;
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            return Ok(());
        }
        feed.hash_then(buf, n, |bytes| zip.write_all(bytes).map_err(io))?;
        tail.written()?;
        tick()?;
    })?;
    Ok(FileEntry {
        path: path.to_string(),
        sha256,
        size,
    })
}

/// The page a person opens: the coverage report with the items listed after it.
fn index_html(store: &Store, manifest: &Manifest) -> Result<Vec<u8>> {
    let mut report = store.report_document(
        ReportKind::Coverage,
        Some(&manifest.learner.id),
        &manifest.created_at,
        &mut |_| Ok(()),
    )?;
    let what = match manifest.kind {
        BundleKind::Portfolio => "a portfolio bundle: import it in Evidence Tracker to carry the portfolio to another computer",
        BundleKind::QualityAssurance => "a read-only bundle for quality assurance: the reports are in the reports folder",
    };
    report.sections.insert(
        0,
        Section {
            heading: "About this bundle".into(),
            lines: vec![
                format!("This is {what}. Attached files are in the attachments folder, each named by its SHA-256; manifest.json lists every file with its hash."),
            ],
            table: None,
        },
    );
    let mut items = Table::new(&[
        ("Ref", 1),
        ("Title", 4),
        ("Method", 2),
        ("Date", 2),
        ("Status", 1),
        ("Account", 8),
        ("Files", 4),
    ]);
    for item in &manifest.evidence {
        let Some(current) = item.versions.last() else {
            continue;
        };
        items.push(vec![
            format!("E{}", item.number),
            current.title.clone(),
            current.method.as_str().replace('_', " "),
            current.activity_date.clone(),
            current.status.as_str().to_string(),
            current.body_markdown.clone(),
            item.attachments
                .iter()
                .map(|a| format!("{} (attachments/{})", a.file_name, a.sha256))
                .collect::<Vec<_>>()
                .join("\n"),
        ]);
    }
    report.sections.push(Section {
        heading: "Evidence items".into(),
        lines: Vec::new(),
        table: Some(items),
    });
    reports::render(&report, ReportFormat::Html)
}

/// Tells `progress` a stage: an `Err` back (a cancel) stops the export.
fn tell(
    progress: &mut dyn FnMut(ReportProgress) -> Result<()>,
    stage: &str,
    done: usize,
    total: usize,
) -> Result<()> {
    progress(ReportProgress {
        stage: stage.to_string(),
        done,
        total,
    })
}

impl Store {
    /// Writes `learner`'s portfolio as a bundle at `dest`: a portfolio bundle (the learner or their
    /// tutor) or a read-only quality-assurance bundle with the reports (their assessor or IQA).
    /// `progress` hears of every step; an `Err` from it stops the export, which then returns it and
    /// leaves neither the bundle nor its temporary file.
    pub fn export_bundle(
        &self,
        learner: &str,
        kind: BundleKind,
        dest: &Path,
        progress: &mut dyn FnMut(ReportProgress) -> Result<()>,
    ) -> Result<ExportedBundle> {
        let row = self.learner_row(learner)?;
        let allowed = self.require_portfolio(
            &row,
            match kind {
                BundleKind::Portfolio => Need::CarryPortfolio,
                BundleKind::QualityAssurance => Need::QualityAssure,
            },
        )?;
        tell(progress, "Reading the portfolio", 0, 1)?;
        let mut manifest = self.gather(&allowed, &row, kind, &mut |done, total| {
            tell(progress, "Reading the portfolio", done, total)
        })?;
        let data_dir = self
            .data_dir()
            .ok_or_else(|| {
                CoreError::InvalidInput("an in-memory portfolio has no files to bundle".into())
            })?
            .to_path_buf();
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        // Removed when dropped: on every way out but the rename at the end.
        let temp = tempfile::NamedTempFile::new_in(&dir)
            .map_err(|e| CoreError::Io(format!("cannot write in {}: {e}", dir.display())))?;
        // The bundle's own hash is computed on a second thread while it is written (see `Tail`),
        // rather than by reading the whole file again afterwards.
        let file = temp.reopen().map_err(io)?;
        let reader = File::open(temp.path()).map_err(io)?;
        let (final_to, received) = mpsc::channel();
        let mut tail = Tail {
            position: file.try_clone().map_err(io)?,
            final_to,
            writeback: Writeback::from(0),
        };
        let (written, hashed) = std::thread::scope(|scope| {
            let hashing = scope.spawn(move || hash_as_written(reader, received));
            let written = (|| -> Result<()> {
                let mut zip = ZipWriter::new(file);
                let mut files = Vec::new();
                let mut blobs: Vec<&str> = manifest
                    .evidence
                    .iter()
                    .flat_map(|i| i.attachments.iter().map(|a| a.sha256.as_str()))
                    .collect();
                blobs.sort_unstable();
                blobs.dedup();
                for (n, sha) in blobs.iter().enumerate() {
                    let stage = format!("Adding file {} of {}", n + 1, blobs.len());
                    tell(progress, &stage, n, blobs.len())?;
                    files.push(add_blob(
                        &mut zip,
                        &mut tail,
                        &format!("attachments/{sha}"),
                        &blob_path(&data_dir, sha),
                        self.data_key(),
                        &mut || tell(progress, &stage, n, blobs.len()),
                    )?);
                }
                if kind == BundleKind::QualityAssurance {
                    let reports = [
                        ReportKind::Coverage,
                        ReportKind::EvidenceRecord,
                        ReportKind::Units,
                    ];
                    for (n, report) in reports.into_iter().enumerate() {
                        tell(progress, "Writing the reports", n, reports.len())?;
                        let doc = self.report_document(
                            report,
                            Some(&row.learner.id),
                            &manifest.created_at,
                            &mut |_| Ok(()),
                        )?;
                        for format in [ReportFormat::Pdf, ReportFormat::Csv] {
                            // Each page a chance to stop; the bar stays on the reports.
                            let bytes = reports::render_with_progress(&doc, format, &mut |_| {
                                tell(progress, "Writing the reports", n, reports.len())
                            })?;
                            files.push(add_bytes(
                                &mut zip,
                                &tail,
                                &format!("reports/{}.{}", report.as_str(), format.as_str()),
                                &bytes,
                            )?);
                        }
                    }
                }
                tell(progress, "Writing the index page", 0, 1)?;
                files.push(add_bytes(
                    &mut zip,
                    &tail,
                    INDEX,
                    &index_html(self, &manifest)?,
                )?);
                // After the index: the files a reader's tests find first stay first.
                for f in &manifest.frameworks {
                    let doc = self.framework(&f.code, Some(&f.version))?;
                    files.push(add_bytes(
                        &mut zip,
                        &tail,
                        &super::frameworks::carried_path(&f.code, &f.version),
                        native::write(&doc)?.as_bytes(),
                    )?);
                }
                manifest.files = files;
                tell(progress, "Writing the manifest", 0, 1)?;
                let json = serde_json::to_vec_pretty(&manifest).map_err(io)?;
                add_bytes(&mut zip, &tail, MANIFEST, &json)?;
                let out = zip.finish().map_err(io)?;
                out.sync_all().map_err(io)?;
                Ok(())
            })();
            drop(tail);
            (written, hashing.join())
        });
        written?;
        let (sha256, bytes) = hashed
            .map_err(|_| CoreError::Io("the bundle's hash could not be computed".into()))??;
        // The last chance to stop: after the rename the bundle is there.
        tell(progress, "Checking the bundle", 0, 1)?;
        temp.persist(dest)
            .map_err(|e| CoreError::Io(format!("cannot write {}: {}", dest.display(), e.error)))?;
        // The new name made durable too. Best effort: the bundle is already complete and in place,
        // and some removable media refuse to sync a folder.
        let _ = crate::durable::sync_folders_of([dest]);
        // Done is done: a cancel now comes too late to undo the bundle, so it is not asked.
        let _ = tell(progress, "Done", 1, 1);
        Ok(ExportedBundle {
            kind,
            learner: row.learner,
            sha256,
            bytes,
            items: manifest.evidence.len(),
            files: manifest.files.len() + 1,
        })
    }
}
