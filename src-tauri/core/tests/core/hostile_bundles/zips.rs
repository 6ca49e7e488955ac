//! Hostile bundles, the container: zips that are broken, entries that escape, link, hide or repeat,
//! bombs, and files that differ from what the manifest lists.

use serde_json::json;

use super::{case, run, BAD};
use crate::bundle_kit::{patch_central, patch_local, replace_all, sha256, Data};
#[test]
fn broken_zips_and_unsafe_entries_are_refused_before_anything_is_read() {
    run(vec![
        case("random_bytes", BAD, "not a readable zip file", |_, _| {
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
                .collect()
        }),
        case("empty_file", BAD, "not a readable zip file", |_, _| {
            Vec::new()
        }),
        case(
            "manifest_alone_not_zipped",
            BAD,
            "not a readable zip file",
            |k, _| k.file("manifest.json").to_vec(),
        ),
        case(
            "truncated_to_half",
            BAD,
            "not a readable zip file",
            |k, _| {
                let b = k.bytes();
                b[..b.len() / 2].to_vec()
            },
        ),
        case(
            "truncated_end_record",
            BAD,
            "not a readable zip file",
            |k, _| {
                let b = k.bytes();
                b[..b.len() - 10].to_vec()
            },
        ),
        case("no_manifest", BAD, "has no manifest.json", |k, _| {
            k.remove("manifest.json").bytes()
        }),
        case(
            "parent_dir",
            BAD,
            "unexpected entry \"../evil.sh\"",
            |k, _| k.put("../evil.sh", "rm -rf ~").bytes(),
        ),
        case(
            "parent_dir_inside_attachments",
            BAD,
            "unexpected entry \"attachments/../../x\"",
            |k, _| k.put("attachments/../../x", "x").bytes(),
        ),
        case(
            "parent_dir_inside_reports",
            BAD,
            "unexpected entry \"reports/../../../etc/cron.d/x\"",
            |k, _| {
                k.put("reports/../../../etc/cron.d/x", "* * * * * sh")
                    .bytes()
            },
        ),
        case(
            "absolute_path",
            BAD,
            "unexpected entry \"/etc/passwd\"",
            |k, _| k.put("/etc/passwd", "root::0:0").bytes(),
        ),
        case(
            "windows_drive_path",
            BAD,
            "unexpected entry \"C:",
            |k, _| k.put("C:\\Windows\\System32\\evil.dll", "MZ").bytes(),
        ),
        case(
            "backslash_separator",
            BAD,
            "unexpected entry \"attachments\\\\",
            |k, _| {
                let att = k.attachment().replace('/', "\\");
                k.put(&att, "x").bytes()
            },
        ),
        case(
            "dot_slash_manifest",
            BAD,
            "unexpected entry \"./manifest.json\"",
            |k, _| k.put("./manifest.json", "{}").bytes(),
        ),
        case(
            "hidden_report",
            BAD,
            "unexpected entry \"reports/.htaccess\"",
            |k, _| k.put("reports/.htaccess", "x").bytes(),
        ),
        case(
            "nested_report",
            BAD,
            "unexpected entry \"reports/a/b.pdf\"",
            |k, _| k.put("reports/a/b.pdf", "x").bytes(),
        ),
        case(
            "uppercase_attachment_hash",
            BAD,
            "unexpected entry \"attachments/B7",
            |k, _| {
                let att = k
                    .attachment()
                    .to_uppercase()
                    .replace("ATTACHMENTS", "attachments");
                k.put(&att, "x").bytes()
            },
        ),
        case(
            "nul_in_entry_name",
            BAD,
            "unexpected entry \"index.html\\0.exe\"",
            |k, _| k.put("index.html\0.exe", "x").bytes(),
        ),
        case(
            "symlink_as_index",
            BAD,
            "entry \"index.html\" is not a plain file",
            |k, _| {
                k.put_data("index.html", Data::Link("/etc/passwd".into()))
                    .bytes()
            },
        ),
        case(
            "symlink_as_attachment",
            BAD,
            "is not a plain file",
            |k, _| {
                let att = k.attachment();
                k.put_data(&att, Data::Link("../../../.ssh/id_rsa".into()))
                    .bytes()
            },
        ),
        case(
            "symlink_escaping",
            BAD,
            "unexpected entry \"../link\"",
            |k, _| k.put_data("../link", Data::Link("/".into())).bytes(),
        ),
        case(
            "directory_entry",
            BAD,
            "unexpected entry \"attachments/\"",
            |k, _| k.put_data("attachments", Data::Dir).bytes(),
        ),
        case(
            "directory_mode_index",
            BAD,
            "entry \"index.html\" is not a plain file",
            |k, _| {
                // A file entry whose Unix mode says directory (made on Unix: version made by 3).
                patch_central(k.bytes(), "index.html", |r| {
                    r[5] = 3;
                    r[38..42].copy_from_slice(&(0o040_755u32 << 16).to_le_bytes());
                })
            },
        ),
        case(
            "stray_report",
            BAD,
            "\"reports/notes.txt\" is in the bundle but not in its manifest",
            |k, _| k.put("reports/notes.txt", "unlisted").bytes(),
        ),
        case(
            "stray_attachment",
            BAD,
            "is in the bundle but not in its manifest",
            |k, _| {
                k.put(&format!("attachments/{}", sha256(b"extra")), "extra")
                    .bytes()
            },
        ),
        case(
            "duplicate_manifest",
            BAD,
            "two entries with the same name",
            |k, _| {
                let evil = k
                    .clone()
                    .edit(|m| m["learner"]["name"] = json!("Mallory"))
                    .file("manifest.json")
                    .to_vec();
                replace_all(
                    k.put("manifesu.json", evil).bytes(),
                    b"manifesu.json",
                    b"manifest.json",
                )
            },
        ),
        case(
            "duplicate_attachment",
            BAD,
            "two entries with the same name",
            |k, _| {
                let att = k.attachment();
                let stand_in = att.replace("attachments/", "attachmentz/");
                replace_all(
                    k.put(&stand_in, "other").bytes(),
                    stand_in.as_bytes(),
                    att.as_bytes(),
                )
            },
        ),
        case("zip_bomb", BAD, "refused as a zip bomb", |k, _| {
            k.put("reports/zeros.bin", vec![0u8; 20 << 20])
                .relist()
                .bytes()
        }),
        case(
            "local_header_names_another_file",
            BAD,
            "local headers disagree with its central directory",
            |k, _| {
                // What a streaming unzip tool would write, rather than index.html.
                patch_local(k.bytes(), "index.html", |h| {
                    h[30..].copy_from_slice(b"../etc/rc1")
                })
            },
        ),
        case(
            "local_header_sizes_differ",
            BAD,
            "local headers disagree with its central directory",
            |k, _| {
                patch_local(k.bytes(), "index.html", |h| {
                    let size = u32::from_le_bytes([h[22], h[23], h[24], h[25]]);
                    h[22..26].copy_from_slice(&(size + 1).to_le_bytes());
                })
            },
        ),
        case(
            "header_claims_two_gigabytes",
            BAD,
            "refused as a zip bomb",
            |k, _| {
                patch_central(k.bytes(), "index.html", |r| {
                    r[24..28].copy_from_slice(&0x7fff_ffffu32.to_le_bytes())
                })
            },
        ),
    ]);
}

#[test]
fn files_must_be_exactly_those_listed_with_their_hashes() {
    run(vec![
        case(
            "file_longer_than_listed",
            BAD,
            "\"index.html\" expands past 100 bytes",
            |k, _| k.edit(|m| m["files"][1]["size"] = json!(100)).bytes(),
        ),
        case(
            "file_shorter_than_listed",
            BAD,
            "\"index.html\" does not match the manifest",
            |k, _| {
                k.edit(|m| {
                    m["files"][1]["size"] = json!(m["files"][1]["size"].as_u64().unwrap() + 1)
                })
                .bytes()
            },
        ),
        case(
            "attachment_altered",
            BAD,
            "does not match the manifest (SHA-256",
            |k, _| {
                let att = k.attachment();
                k.put(&att, "Minutes of the residents' meetinG").bytes()
            },
        ),
        case(
            "index_altered",
            BAD,
            "\"index.html\" does not match the manifest",
            |k, _| {
                let html = String::from_utf8(k.file("index.html").to_vec()).unwrap();
                k.put("index.html", html.replace("Lee Chen", "Lee Chan"))
                    .bytes()
            },
        ),
        case(
            "listed_but_missing",
            BAD,
            "is listed but missing from the bundle",
            |k, _| {
                let att = k.attachment();
                k.remove(&att).bytes()
            },
        ),
        case(
            "attachment_named_for_another_hash",
            BAD,
            "is named for another file's contents",
            |k, _| {
                let att = k.attachment();
                k.put(&att, "Someone else's file").relist().bytes()
            },
        ),
        case(
            "manifest_lists_a_path_twice",
            BAD,
            "the manifest lists \"index.html\" twice",
            |k, _| {
                k.edit(|m| {
                    let again = m["files"][1].clone();
                    m["files"].as_array_mut().unwrap().push(again);
                })
                .bytes()
            },
        ),
        case(
            "manifest_lists_itself",
            BAD,
            "the manifest lists \"manifest.json\"",
            |k, _| {
                k.edit(|m| {
                    let sha = "0".repeat(64);
                    m["files"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({"path": "manifest.json", "sha256": sha, "size": 1}));
                })
                .bytes()
            },
        ),
        case(
            "manifest_lists_an_escaping_path",
            BAD,
            "the manifest lists \"../x\"",
            |k, _| {
                k.edit(|m| {
                    m["files"]
                        .as_array_mut()
                        .unwrap()
                        .push(json!({"path": "../x", "sha256": "", "size": 0}));
                })
                .bytes()
            },
        ),
    ]);
}
