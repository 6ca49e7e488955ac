//! `evidence bundle`: a portfolio carried from one computer (data directory) to another and back, as
//! a learner with a laptop and a centre would, checked with `verify`; importing again changes nothing;
//! a tampered bundle is refused and leaves everything as it was.

use crate::common::{arg, Portfolio};

#[test]
fn a_portfolio_travels_between_two_computers() {
    let laptop = Portfolio::new();
    let learner = laptop.enrolled_learner("Lee Chen");
    let item = laptop.add_evidence(
        &learner,
        "Residents' meeting",
        "direct_observation",
        "2026-10-01",
        &["--submit"],
    );
    laptop.ok(&["map", &item, "NOCN-L3-CD:PWC.1.1"]);
    let photo = laptop.scratch_file("photo.jpg", b"\xff\xd8\xff not really a jpeg");
    laptop.ok(&["attach", &item, arg(&photo)]);
    let bundle = laptop.scratch_file("lee.zip", b"");
    let exported = laptop.json(&[
        "bundle",
        "export",
        "--learner",
        &learner,
        "--out",
        arg(&bundle),
    ]);
    let check = laptop.json(&["bundle", "verify", arg(&bundle)]);
    assert_eq!(check["sha256"], exported["sha256"]);
    assert_eq!(check["items"], 1);
    let text = laptop.ok(&["bundle", "verify", arg(&bundle)]);
    assert!(
        text.contains("every hash as listed") && text.contains("SHA-256: "),
        "{text}"
    );

    let centre = Portfolio::new();
    let imported = centre.json(&["bundle", "import", arg(&bundle)]);
    assert_eq!(imported["new_learner"], true);
    assert_eq!(imported["items_added"], 1);
    assert_eq!(imported["attachments_added"], 1);
    let shown = centre.json(&["show", &item]);
    assert_eq!(shown["title"], "Residents' meeting");
    assert_eq!(shown["attachments"][0]["file_name"], "photo.jpg");
    let gaps = centre.json(&["gaps", "--learner", &learner]);
    assert_eq!(gaps["totals"]["evidenced"], 1);

    let before = centre.snapshot();
    let again = centre.ok(&["bundle", "import", arg(&bundle)]);
    assert!(again.contains("nothing new"), "{again}");
    assert!(
        centre.snapshot() == before,
        "a second import changed something"
    );

    // The laptop's own bundle brought back to it changes nothing there either.
    let home = laptop.json(&["bundle", "import", arg(&bundle)]);
    assert_eq!(home["unchanged"], true);
}

#[test]
fn a_tampered_bundle_is_refused_and_nothing_changes() {
    let laptop = Portfolio::new();
    let learner = laptop.enrolled_learner("Lee Chen");
    laptop.add_evidence(
        &learner,
        "Residents' meeting",
        "direct_observation",
        "2026-10-01",
        &[],
    );
    let bundle = laptop.scratch_file("lee.zip", b"");
    laptop.ok(&[
        "bundle",
        "export",
        "--learner",
        &learner,
        "--out",
        arg(&bundle),
    ]);
    // Change one byte of the (deflated) index page: its hash no longer matches, or it no longer inflates.
    let mut bytes = std::fs::read(&bundle).unwrap();
    let at = bytes.windows(10).position(|w| w == b"index.html").unwrap() + 40;
    bytes[at] ^= 0x55;
    let bad = laptop.scratch_file("bad.zip", &bytes);
    let centre = Portfolio::new();
    centre.ok(&["info"]);
    let before = centre.snapshot();
    centre.refuse(
        &["bundle", "verify", arg(&bad)],
        "invalid_bundle",
        "index.html",
    );
    centre.refuse(
        &["bundle", "import", arg(&bad)],
        "invalid_bundle",
        "index.html",
    );
    assert!(centre.snapshot() == before);
}
