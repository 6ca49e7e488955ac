//! The one centre the access matrix walks, built once and copied for every run that may change it: a
//! learner Lena (the portfolio P) and a learner Lars; a tutor, an assessor and an IQA assigned to Lena
//! (her IQA samples her), and another of each assigned to Lars instead; an administrator assigned to
//! nobody; the sample portfolio. P and the sample are set up alike, so that every operation has valid
//! arguments on either: a submitted item with two versions, a picture and a feedback thread, judged
//! met on every criterion of unit PWC; an item with an open conflict from a laptop; and a bundle from
//! that laptop with an item this computer lacks. Also a bundle of a learner this computer never saw.

use std::path::{Path, PathBuf};

use evidence_core::accounts::{AssignedAs, NewUser, Role};
use evidence_core::bundles::BundleKind;
use evidence_core::evidence::{EvidenceEdit, EvidenceFilter, Method, NewEvidence, Status};
use evidence_core::frameworks::FrameworkDoc;
use evidence_core::reports::ReportProgress;
use evidence_core::review::Outcome;
use evidence_core::{CriterionRef, Store};
use tempfile::TempDir;

use super::Who;
use crate::common::{date, refs};

pub const PASSWORD: &str = "matrix password 1";
pub const NEW_PASSWORD: &str = "matrix password 2";
/// The criteria of unit PWC, every one judged met on the main item of P and of the sample.
pub const UNIT: [&str; 3] = [
    "NOCN-L3-CD:PWC.1.1",
    "NOCN-L3-CD:PWC.2.1",
    "NOCN-L3-CD:PWC.3.1",
];
/// A criterion the main items are not mapped to.
pub const UNMAPPED: &str = "CD-NOS:CLDSCCD15.PC1";

/// The progress callback of long operations: hears everything, never cancels.
pub fn progress(_: ReportProgress) -> evidence_core::Result<()> {
    Ok(())
}

/// What the operations on one portfolio (P or the sample) are given.
pub struct Portfolio {
    pub learner: String,
    /// Submitted, two versions, a picture attached, mapped to `UNIT`, judged met on each.
    pub item: String,
    /// Changed here and on the laptop since they last met: its conflict is open.
    pub conflicted: String,
    pub blob: String,
    pub judgement: String,
    /// A portfolio bundle from the laptop with an item this computer lacks.
    pub news: PathBuf,
}

pub struct World {
    /// The centre's data directory, closed: never opened itself, only copied.
    template: TempDir,
    /// Bundles, files to attach, and every run's copy of the data directory.
    pub files: TempDir,
    pub p: Portfolio,
    pub sample: Portfolio,
    /// A portfolio bundle of a learner this computer has never seen.
    pub newcomer: PathBuf,
    /// A new version of the CD-NOS standard, for `import_framework`.
    pub framework: FrameworkDoc,
    /// A file to attach.
    pub attachment: PathBuf,
}

/// One run's copy of the centre, removed when dropped.
pub struct Copy {
    _dir: TempDir,
    pub store: Store,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl World {
    /// A fresh copy of the centre with `who` signed in (nobody, for `Who::Nobody`).
    pub fn open_as(&self, who: Who) -> Copy {
        let dir = tempfile::tempdir_in(self.files.path()).unwrap();
        copy_dir(self.template.path(), dir.path());
        let mut store = Store::open(dir.path()).unwrap();
        if let Some(username) = who.username() {
            store.sign_in(username, Some(PASSWORD)).unwrap();
        }
        Copy { _dir: dir, store }
    }
}

fn user(username: &str, display_name: &str, role: Role) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: display_name.into(),
        roles: vec![role],
        password: Some(PASSWORD.into()),
        learner: None,
    }
}

fn new_item(learner: &str, title: &str, status: Status) -> NewEvidence {
    NewEvidence {
        learner: learner.into(),
        title: title.into(),
        method: Method::ReflectiveAccount,
        activity_date: date("2026-09-01"),
        body_markdown: format!("What happened: {title}."),
        status,
        witness: Default::default(),
    }
}

fn retitle(title: &str) -> EvidenceEdit {
    EvidenceEdit {
        title: Some(title.into()),
        ..Default::default()
    }
}

fn export(store: &Store, learner: &str, path: PathBuf) -> PathBuf {
    store
        .export_bundle(learner, BundleKind::Portfolio, &path, &mut progress)
        .unwrap();
    path
}

/// The main item's second version, picture and mappings (the acting user may change `learner`'s
/// evidence); returns (item, picture's SHA-256).
fn main_item(s: &mut Store, item: &str, picture: &Path) -> String {
    let blob = s.attach(item, picture).unwrap().sha256;
    s.map_evidence(item, &refs(&UNIT), None).unwrap();
    let edit = EvidenceEdit {
        body_markdown: Some("What happened, told again.".into()),
        ..Default::default()
    };
    assert_eq!(s.edit_evidence(item, &edit).unwrap().version.get(), 2);
    blob
}

pub fn build() -> World {
    let files = tempfile::tempdir().unwrap();
    let template = tempfile::tempdir().unwrap();
    let at = |name: &str| files.path().join(name);
    // Two pictures: the same file in two portfolios is stored once, and whoever may see one of them
    // may see it.
    let picture = at("photo.png");
    std::fs::write(&picture, b"\x89PNG\r\n\x1a\n Lena's picture").unwrap();
    let sample_picture = at("sample.png");
    std::fs::write(&sample_picture, b"\x89PNG\r\n\x1a\n the sample's picture").unwrap();
    let attachment = at("notes.txt");
    std::fs::write(&attachment, "notes attached by the matrix").unwrap();

    let mut s = Store::open(template.path()).unwrap();
    s.setup_centre("admin", "Ada Admin", PASSWORD).unwrap();
    let mut learners = Vec::new();
    for (username, name) in [("lena", "Lena Learner"), ("lars", "Lars Learner")] {
        let added = s.add_user(&user(username, name, Role::Learner)).unwrap();
        learners.push(added.learner_id.unwrap());
    }
    let (lena, lars) = (learners[0].clone(), learners[1].clone());
    let staff = [
        ("tom", "Tom Tutor", Role::Tutor, AssignedAs::Tutor, &lena),
        ("tim", "Tim Tutor", Role::Tutor, AssignedAs::Tutor, &lars),
        (
            "asa",
            "Asa Assessor",
            Role::Assessor,
            AssignedAs::Assessor,
            &lena,
        ),
        (
            "axel",
            "Axel Assessor",
            Role::Assessor,
            AssignedAs::Assessor,
            &lars,
        ),
        ("ian", "Ian IQA", Role::Iqa, AssignedAs::Iqa, &lena),
        ("ivy", "Ivy IQA", Role::Iqa, AssignedAs::Iqa, &lars),
    ];
    for (username, name, role, assigned_as, learner) in staff {
        s.add_user(&user(username, name, role)).unwrap();
        s.assign(username, learner, assigned_as).unwrap();
    }
    let sample = s.open_sample_portfolio().unwrap().id;
    let framework = {
        let mut doc = s.framework("CD-NOS", None).unwrap();
        doc.version = "2099".into();
        doc
    };

    // Lena fills P; anyone may change the sample, so she fills it too.
    s.sign_in("lena", Some(PASSWORD)).unwrap();
    s.enrol(&lena, "NOCN-L3-CD", &["PWC".into()]).unwrap();
    let item = s
        .add_evidence(&new_item(&lena, "Partnership review", Status::Submitted))
        .unwrap()
        .id;
    let blob = main_item(&mut s, &item, &picture);
    let conflicted = s
        .add_evidence(&new_item(&lena, "Fun day plans", Status::Draft))
        .unwrap()
        .id;
    let listed = s
        .list_evidence(&sample, &EvidenceFilter::default())
        .unwrap();
    let titled = |start: &str| {
        listed
            .iter()
            .find(|e| e.title.starts_with(start))
            .unwrap()
            .id
            .clone()
    };
    let sample_item = titled("Reflective account");
    let sample_conflicted = titled("Minutes");
    let sample_blob = main_item(&mut s, &sample_item, &sample_picture);

    // The laptop (no accounts: its owner acts) takes both portfolios, changes the second item of
    // each, and later records a new item in each; and has a learner of its own.
    let mut away = Store::open(&at("laptop")).unwrap();
    let mut sent = Vec::new();
    for (learner, other) in [(&lena, &conflicted), (&sample, &sample_conflicted)] {
        let first = export(&s, learner, at(&format!("{learner}-0.zip")));
        away.import_bundle(&first, &mut progress).unwrap();
        away.edit_evidence(other, &retitle("Changed on the laptop"))
            .unwrap();
        let changed = export(&away, learner, at(&format!("{learner}-1.zip")));
        away.add_evidence(&new_item(learner, "Written on the laptop", Status::Draft))
            .unwrap();
        sent.push((
            changed,
            export(&away, learner, at(&format!("{learner}-2.zip"))),
        ));
    }
    let nina = away.add_learner("Nina Newcomer", None).unwrap().id;
    away.add_evidence(&new_item(&nina, "Nina's first item", Status::Draft))
        .unwrap();
    let newcomer = export(&away, &nina, at("newcomer.zip"));
    drop(away);

    // Here, the same items change too; the laptop's changes then arrive and wait beside them.
    for (learner, other, (changed, _)) in [
        (&lena, &conflicted, &sent[0]),
        (&sample, &sample_conflicted, &sent[1]),
    ] {
        s.edit_evidence(other, &retitle("Changed at the centre"))
            .unwrap();
        let report = s.import_bundle(changed, &mut progress).unwrap();
        assert_eq!(report.conflicts.len(), 1, "{report:?}");
        assert_eq!(s.conflicts(learner).unwrap().len(), 1);
    }

    // Review: Tom comments on P's item, Lena declares it, Asa judges both units met.
    s.sign_in("tom", Some(PASSWORD)).unwrap();
    s.add_feedback(&item, "Say who was there.", false).unwrap();
    s.sign_in("lena", Some(PASSWORD)).unwrap();
    s.declare(&item).unwrap();
    s.sign_in("asa", Some(PASSWORD)).unwrap();
    let mut judgements = Vec::new();
    for (learner, cited) in [(&lena, &item), (&sample, &sample_item)] {
        for criterion in UNIT {
            let criterion = CriterionRef::parse(criterion).unwrap();
            let judged = s
                .judge(
                    learner,
                    &criterion,
                    Outcome::Met,
                    "",
                    std::slice::from_ref(cited),
                )
                .unwrap();
            judgements.push(judged.id);
        }
    }
    s.sign_out().unwrap();
    drop(s);

    let mut sent = sent.into_iter();
    World {
        template,
        p: Portfolio {
            learner: lena,
            item,
            conflicted,
            blob,
            judgement: judgements[0].clone(),
            news: sent.next().unwrap().1,
        },
        sample: Portfolio {
            learner: sample,
            item: sample_item,
            conflicted: sample_conflicted,
            blob: sample_blob,
            judgement: judgements[3].clone(),
            news: sent.next().unwrap().1,
        },
        files,
        newcomer,
        framework,
        attachment,
    }
}
