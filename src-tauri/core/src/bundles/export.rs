//! Writing a bundle: the manifest, a human-readable `index.html` (the coverage report and the list
//! of items, readable in any browser without the app), every attached file once under its SHA-256,
//! and for a quality-assurance bundle the reports as PDF and CSV. Written to a temporary file beside
//! the destination and renamed into place, so a failed export never leaves half a bundle.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::manifest::{BundleKind, FileEntry, Manifest};
use super::read::{INDEX, MANIFEST};
use super::ExportedBundle;
use crate::access::Need;
use crate::error::{CoreError, Result};
use crate::evidence::blob_path;
use crate::reports::{self, ReportFormat, ReportKind, ReportProgress, Section, Table};
use crate::store::Store;

fn io(e: impl std::fmt::Display) -> CoreError {
    CoreError::Io(format!("cannot write the bundle: {e}"))
}

/// Adds one file to the zip, returning its manifest entry.
fn add_bytes<W: Write + std::io::Seek>(
    zip: &mut ZipWriter<W>,
    path: &str,
    bytes: &[u8],
) -> Result<FileEntry> {
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file(path, options).map_err(io)?;
    zip.write_all(bytes).map_err(io)?;
    Ok(FileEntry {
        path: path.to_string(),
        sha256: hex::encode(Sha256::digest(bytes)),
        size: bytes.len() as u64,
    })
}

/// Streams an attachment's blob into the zip (stored: photos and documents are compressed already),
/// hashing it on the way.
fn add_blob<W: Write + std::io::Seek>(
    zip: &mut ZipWriter<W>,
    path: &str,
    source: &Path,
) -> Result<FileEntry> {
    let mut file = File::open(source).map_err(|e| {
        CoreError::Io(format!(
            "attachment {} cannot be read: {e}",
            source.display()
        ))
    })?;
    let size = file.metadata().map_err(io)?.len();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(size >= u64::from(u32::MAX));
    zip.start_file(path, options).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1024 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        zip.write_all(&buf[..n]).map_err(io)?;
    }
    Ok(FileEntry {
        path: path.to_string(),
        sha256: hex::encode(hasher.finalize()),
        size,
    })
}

/// The page a person opens: the coverage report with the items listed after it.
fn index_html(store: &Store, manifest: &Manifest) -> Result<Vec<u8>> {
    let mut report = store.report_document(
        ReportKind::Coverage,
        Some(&manifest.learner.id),
        &manifest.created_at,
        &mut |_| {},
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

impl Store {
    /// Writes `learner`'s portfolio as a bundle at `dest`: a portfolio bundle (the learner or their
    /// tutor) or a read-only quality-assurance bundle with the reports (their assessor or IQA).
    pub fn export_bundle(
        &self,
        learner: &str,
        kind: BundleKind,
        dest: &Path,
        progress: &mut dyn FnMut(ReportProgress),
    ) -> Result<ExportedBundle> {
        let row = self.learner_row(learner)?;
        self.require_portfolio(
            &row,
            match kind {
                BundleKind::Portfolio => Need::CarryPortfolio,
                BundleKind::QualityAssurance => Need::QualityAssure,
            },
        )?;
        let mut step = |stage: &str, done: usize, total: usize| {
            progress(ReportProgress {
                stage: stage.to_string(),
                done,
                total,
            })
        };
        step("Reading the portfolio", 0, 1);
        let mut manifest = self.gather(&row, kind)?;
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
        let temp = tempfile::NamedTempFile::new_in(&dir)
            .map_err(|e| CoreError::Io(format!("cannot write in {}: {e}", dir.display())))?;
        let mut zip = ZipWriter::new(BufWriter::new(temp.reopen().map_err(io)?));
        let mut files = Vec::new();
        let mut blobs: Vec<&str> = manifest
            .evidence
            .iter()
            .flat_map(|i| i.attachments.iter().map(|a| a.sha256.as_str()))
            .collect();
        blobs.sort_unstable();
        blobs.dedup();
        for (n, sha) in blobs.iter().enumerate() {
            step(
                &format!("Adding file {} of {}", n + 1, blobs.len()),
                n,
                blobs.len(),
            );
            files.push(add_blob(
                &mut zip,
                &format!("attachments/{sha}"),
                &blob_path(&data_dir, sha),
            )?);
        }
        if kind == BundleKind::QualityAssurance {
            step("Writing the reports", 0, 1);
            for report in [
                ReportKind::Coverage,
                ReportKind::EvidenceRecord,
                ReportKind::Units,
            ] {
                let doc = self.report_document(
                    report,
                    Some(&row.learner.id),
                    &manifest.created_at,
                    &mut |_| {},
                )?;
                for format in [ReportFormat::Pdf, ReportFormat::Csv] {
                    let bytes = reports::render(&doc, format)?;
                    files.push(add_bytes(
                        &mut zip,
                        &format!("reports/{}.{}", report.as_str(), format.as_str()),
                        &bytes,
                    )?);
                }
            }
        }
        files.push(add_bytes(&mut zip, INDEX, &index_html(self, &manifest)?)?);
        manifest.files = files;
        let json = serde_json::to_vec_pretty(&manifest).map_err(io)?;
        add_bytes(&mut zip, MANIFEST, &json)?;
        let mut out = zip.finish().map_err(io)?;
        out.flush().map_err(io)?;
        out.get_ref().sync_all().map_err(io)?;
        drop(out);
        step("Checking the bundle", 0, 1);
        let (sha256, bytes) = super::read::hash_file(temp.path())?;
        temp.persist(dest)
            .map_err(|e| CoreError::Io(format!("cannot write {}: {}", dest.display(), e.error)))?;
        step("Done", 1, 1);
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
