//! Files through the centre service: an attachment's content travels after its request, read by the
//! client as its own account; the service checks the session and the right to change the item before
//! it reads a byte, stores the content sealed, and stores nothing when it refuses or the content
//! breaks off — and the connection goes on serving.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::Path;

use sha2::{Digest, Sha256};

use evidence_core::service::wire::{self, Reply, Request};
use evidence_core::service::{Client, Portfolio, PortfolioFiles};
use evidence_core::store::BLOBS_DIR;
use evidence_core::Store;

use crate::access::PASSWORD;
use crate::service::{code, record, serve, served_encrypted};

/// Every file under the data directory's attachment folder.
fn stored_files(dir: &Path) -> usize {
    fn count(path: &Path) -> usize {
        std::fs::read_dir(path).map_or(0, |entries| {
            entries
                .flatten()
                .map(|e| {
                    if e.path().is_dir() {
                        count(&e.path())
                    } else {
                        1
                    }
                })
                .sum()
        })
    }
    count(&dir.join(BLOBS_DIR))
}

/// Content that spans several frames and is easy to look for.
fn content() -> Vec<u8> {
    let mut bytes = b"witness statement: Lena chaired the residents' meeting. ".repeat(12_000);
    bytes.extend_from_slice(b"the end");
    bytes
}

#[test]
fn an_attachment_travels_through_the_service_sealed_and_a_refusal_stores_nothing() {
    let served = served_encrypted();
    let (c, dir, socket) = (&served, &served.dir, &served.socket);
    Client::sign_in(socket, "admin", Some(PASSWORD)).unwrap();
    let mut lena = Client::sign_in(socket, "lena", Some(PASSWORD)).unwrap();
    let item = record(&mut lena, &c.lena, "Residents' meeting");

    let files = tempfile::tempdir().unwrap();
    let source = files.path().join("witness statement.txt");
    let bytes = content();
    std::fs::write(&source, &bytes).unwrap();
    let attached = lena.attach(&item, &source).unwrap();
    assert_eq!(attached.sha256, hex::encode(Sha256::digest(&bytes)));
    assert_eq!(attached.size, bytes.len() as u64);
    assert_eq!(attached.file_name, "witness statement.txt");
    assert_eq!(attached.media_type, "text/plain");
    assert_eq!(
        lena.evidence(&item).unwrap().attachments,
        vec![attached.clone()]
    );
    // At rest the content is sealed: not a line of it in any file of the data directory.
    let mut plain = Vec::new();
    for entry in walk(dir) {
        plain.push((entry.clone(), std::fs::read(&entry).unwrap()));
    }
    assert!(
        plain
            .iter()
            .all(|(_, data)| !data.windows(18).any(|w| w == b"witness statement:")),
        "the content is readable in {:?}",
        plain
            .iter()
            .find(|(_, d)| d.windows(18).any(|w| w == b"witness statement:"))
            .map(|(p, _)| p)
    );

    // Lars may not change Lena's item: not_found, nothing stored, and his connection goes on.
    let stored = stored_files(dir);
    let mut lars = Client::sign_in(socket, "lars", Some(PASSWORD)).unwrap();
    std::fs::write(&source, b"something else entirely").unwrap();
    assert_eq!(code(lars.attach(&item, &source)), "not_found");
    assert_eq!(stored_files(dir), stored);
    assert_eq!(code(lars.list_learners()), "ok");

    // What the client's account may not open is never sent: a symbolic link is refused here.
    let link = files.path().join("link.txt");
    std::os::unix::fs::symlink("/etc/passwd", &link).unwrap();
    assert_eq!(code(lena.attach(&item, &link)), "attachment_unreadable");
    assert_eq!(code(lena.list_learners()), "ok");

    // Embedded, the same item shows the same attachment.
    let local = Store::open_signed_in(dir, "lena", Some(PASSWORD)).unwrap();
    assert_eq!(local.evidence(&item).unwrap().attachments, vec![attached]);
}

#[test]
fn a_raw_attach_request_is_checked_before_its_content_is_read() {
    let c = crate::access::centre();
    let dir = c.fx.dir.path().to_path_buf();
    let (_run, socket) = serve(&dir, None);
    let mut lena = Client::sign_in(&socket, "lena", Some(PASSWORD)).unwrap();
    let item = record(&mut lena, &c.lena, "Residents' meeting");
    let before = stored_files(&dir);

    let mut stream = UnixStream::connect(&socket).unwrap();
    let send = |stream: &mut UnixStream, session: &str, file_name: &str, body: &[u8]| {
        let request = Request::Attach {
            session: session.into(),
            evidence: item.clone(),
            file_name: file_name.into(),
        };
        wire::send(stream, &request).unwrap();
        wire::send_content(stream, &mut &body[..]).unwrap();
        match wire::receive_reply(stream).unwrap().unwrap() {
            Reply::Ok(_) => "ok".to_string(),
            Reply::Err(payload) => payload.code.to_string(),
        }
    };
    // No session: refused, the content dropped, the connection still answers.
    assert_eq!(
        send(&mut stream, "no such session", "notes.txt", &content()),
        "unauthenticated"
    );
    assert_eq!(stored_files(&dir), before);
    // A session token is needed for the rest: sign in on this very connection.
    wire::send(
        &mut stream,
        &Request::SignIn {
            username: "lena".into(),
            password: Some(PASSWORD.into()),
        },
    )
    .unwrap();
    let Some(Reply::Ok(opened)) = wire::receive_reply(&mut stream).unwrap() else {
        panic!("the sign-in was refused");
    };
    let session = serde_json::from_slice::<wire::Opened>(&opened)
        .unwrap()
        .session;
    for name in [
        "../../etc/cron.d/job",
        "a\\b.txt",
        "..",
        "bad\u{202e}txt.exe",
        "new\nline.txt",
    ] {
        assert_eq!(
            send(&mut stream, &session, name, b"x"),
            "invalid_input",
            "{name:?}"
        );
    }
    assert_eq!(stored_files(&dir), before);
    assert_eq!(send(&mut stream, &session, "notes.txt", b"kept"), "ok");
    assert_eq!(stored_files(&dir), before + 1);

    // Content that breaks off mid-way: nothing stored, and the service serves the next connection.
    let mut broken = UnixStream::connect(&socket).unwrap();
    let request = Request::Attach {
        session: session.clone(),
        evidence: item.clone(),
        file_name: "cut.txt".into(),
    };
    wire::send(&mut broken, &request).unwrap();
    broken.write_all(&1000u32.to_be_bytes()).unwrap();
    broken.write_all(&[7u8; 10]).unwrap();
    drop(broken);
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(stored_files(&dir), before + 1);
    assert_eq!(lena.evidence(&item).unwrap().attachments.len(), 1);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}
