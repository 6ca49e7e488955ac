//! The operations that are not about one portfolio: sessions and first run, accounts and
//! assignments, settings, frameworks, and the whole-centre reads (each narrowed to what the acting
//! user may see). Each runs once per role.

use evidence_core::accounts::{AssignedAs, NewUser, Role};
use evidence_core::audit::HistoryScope;
use evidence_core::frameworks::crosswalk::{CrosswalkDoc, CrosswalkLink, FORMAT_ID};
use evidence_core::reports::{ReportFormat, ReportKind};
use evidence_core::{CoreError, CriterionRef};

use super::world::{progress, NEW_PASSWORD, PASSWORD, UNIT};
use super::{Need::*, Op};

/// A result that should be there, or an error saying it is missing.
fn some<T>(found: Option<T>, missing: &str) -> evidence_core::Result<()> {
    found
        .map(drop)
        .ok_or_else(|| CoreError::Unauthenticated(missing.into()))
}

pub fn ops() -> Vec<Op> {
    vec![
        // Sessions: meaningful whoever is (or is not) signed in.
        Op::new("sign_in", Session, |s, c| {
            s.sign_in(c.me, Some(PASSWORD)).map(drop)
        })
        .writes(),
        Op::new("sign_out", Session, |s, _| s.sign_out()).writes(),
        Op::new("accounts_state", Session, |s, _| {
            s.accounts_state().map(drop)
        }),
        // Nobody signed in: no current user, reported as the unauthenticated it is.
        Op::new("current_user", SignedIn, |s, _| {
            some(s.current_user(), "nobody is signed in")
        }),
        Op::new("adopt_single_portfolio", Session, |s, _| {
            match s.adopt_single_portfolio()? {
                None => Ok(()),
                Some(_) => Err(CoreError::InvalidInput(
                    "adopted on a shared machine".into(),
                )),
            }
        }),
        Op::new("setup_personal", FirstRun, |s, _| {
            s.setup_personal("Sam Solo").map(drop)
        })
        .writes(),
        Op::new("setup_centre", FirstRun, |s, _| {
            s.setup_centre("boss", "Bo Boss", PASSWORD).map(drop)
        })
        .writes(),
        Op::new("set_password", SignedIn, |s, c| {
            s.set_password(c.me, Some(PASSWORD), NEW_PASSWORD)
        })
        .case("set_password(own)")
        .writes(),
        Op::new("set_password", Admin, |s, c| {
            s.set_password(c.other, None, NEW_PASSWORD)
        })
        .case("set_password(someone else's)")
        .writes(),
        // Accounts and assignments.
        Op::new("add_user", Admin, |s, _| {
            let new = NewUser {
                username: "nell".into(),
                display_name: "Nell New".into(),
                roles: vec![Role::Tutor],
                password: Some(PASSWORD.into()),
                learner: None,
            };
            s.add_user(&new).map(drop)
        })
        .writes(),
        Op::new("list_users", Admin, |s, _| s.list_users().map(drop)),
        Op::new("set_account_disabled", Admin, |s, c| {
            s.set_account_disabled(c.other, true).map(drop)
        })
        .writes(),
        // Encryption at rest, with the administrator's own password again.
        Op::new("encrypt_at_rest", Admin, |s, _| {
            s.encrypt_at_rest(PASSWORD).map(drop)
        })
        .writes(),
        // Centre keys: which centres this installation trusts.
        Op::new("centre_keys", Admin, |s, _| s.centre_keys().map(drop)),
        Op::new("trust_centre", Admin, |s, _| {
            s.trust_centre(&"ab".repeat(32), "Another Centre").map(drop)
        })
        .writes(),
        Op::new("add_learner", Admin, |s, _| {
            s.add_learner("Noor Added", None).map(drop)
        })
        .writes(),
        Op::new("list_all_learners", Admin, |s, _| {
            s.list_all_learners().map(drop)
        }),
        Op::new("list_learners", SignedIn, |s, _| {
            s.list_learners().map(drop)
        }),
        Op::new("assign", Admin, |s, c| {
            s.assign("axel", &c.p.learner, AssignedAs::Assessor)
                .map(drop)
        })
        .writes(),
        Op::new("unassign", Admin, |s, c| {
            s.unassign("tom", &c.p.learner, AssignedAs::Tutor)
        })
        .writes(),
        Op::new("assignments", SignedIn, |s, _| s.assignments().map(drop)),
        Op::new("caseload", SignedIn, |s, _| s.caseload().map(drop)),
        // Settings.
        Op::new("currency_years", SignedIn, |s, _| {
            s.currency_years().map(drop)
        }),
        Op::new("set_currency_years", Admin, |s, _| s.set_currency_years(4)).writes(),
        Op::new("lock_after_minutes", SignedIn, |s, _| {
            s.lock_after_minutes().map(drop)
        }),
        Op::new("set_lock_after_minutes", Admin, |s, _| {
            s.set_lock_after_minutes(20)
        })
        .writes(),
        // Frameworks.
        Op::new("list_frameworks", SignedIn, |s, _| {
            s.list_frameworks(true).map(drop)
        }),
        Op::new("framework", SignedIn, |s, _| {
            s.framework("NOCN-L3-CD", None).map(drop)
        }),
        Op::new("group_has_criteria", SignedIn, |s, _| {
            s.group_has_criteria("NOCN-L3-CD", "PWC").map(drop)
        }),
        Op::new("criterion", SignedIn, |s, _| {
            s.criterion(&CriterionRef::parse(UNIT[0])?).map(drop)
        }),
        Op::new("accepted_methods", SignedIn, |s, _| {
            s.accepted_methods(&CriterionRef::parse(UNIT[0])?).map(drop)
        }),
        Op::new("crosswalk_suggestions", SignedIn, |s, _| {
            s.crosswalk_suggestions(&CriterionRef::parse(UNIT[0])?)
                .map(drop)
        }),
        Op::new("preview_framework_import", Admin, |s, c| {
            s.preview_framework_import(&c.world.framework).map(drop)
        }),
        Op::new("import_framework", Admin, |s, c| {
            s.import_framework(&c.world.framework).map(drop)
        })
        .writes(),
        Op::new("import_crosswalk", Admin, |s, _| {
            let doc = CrosswalkDoc {
                format: FORMAT_ID.into(),
                format_version: 1,
                links: vec![CrosswalkLink {
                    from: CriterionRef::parse(UNIT[2])?,
                    to: vec![CriterionRef::parse("CD-NOS:CLDSCCD15.K2")?],
                    note: "linked by the matrix".into(),
                }],
            };
            s.import_crosswalk(&doc).map(drop)
        })
        .writes(),
        // The sample and example portfolios: example data for everyone signed in.
        Op::new("open_sample_portfolio", SignedIn, |s, _| {
            s.open_sample_portfolio().map(drop)
        }),
        Op::new("open_example_learner", SignedIn, |s, _| {
            s.open_example_learner("Another example").map(drop)
        })
        .writes(),
        // Whole-centre reads, narrowed to the portfolios the user may see.
        Op::new("search_evidence", SignedIn, |s, _| {
            s.search_evidence("partnership", None, 20).map(drop)
        })
        .case("search_evidence(everywhere)"),
        Op::new("cohort_coverage", SignedIn, |s, _| {
            s.cohort_coverage(None).map(drop)
        }),
        Op::new("report", SignedIn, |s, _| {
            let (kind, format) = (ReportKind::Cohort, ReportFormat::Csv);
            s.report(kind, format, None, &mut progress).map(drop)
        })
        .case("report(cohort)"),
        Op::new("history", Admin, |s, _| {
            s.history(HistoryScope::All).map(drop)
        })
        .case("history(all)"),
        Op::new("verify_audit", SignedIn, |s, _| s.verify_audit().map(drop)),
        Op::new("audit_head", SignedIn, |s, _| s.audit_head().map(drop)),
        // Against a file holding this trail's head, as a report it wrote would.
        Op::new("verify_audit_against", SignedIn, |s, c| {
            let head = s.audit_head()?.map(|h| h.to_string()).unwrap_or_default();
            let name = format!("head-{:?}.txt", std::thread::current().id());
            let file = c.world.files.path().join(name);
            std::fs::write(&file, head).unwrap();
            s.verify_audit_against(&file).map(drop)
        }),
        // Bundles not of one portfolio here: checking a file, or a learner new to this computer.
        Op::new("verify_bundle", SignedIn, |s, c| {
            s.verify_bundle(&c.p.news).map(drop)
        }),
        // Reading the framework files a bundle carries, as a bundle check does (loading one is
        // `import_framework`, administrators only).
        Op::new("bundle_frameworks", SignedIn, |s, c| {
            s.bundle_frameworks(&c.p.news).map(drop)
        }),
        Op::new("import_bundle", Admin, |s, c| {
            s.import_bundle(&c.world.newcomer, &mut progress).map(drop)
        })
        .case("import_bundle(a new learner)")
        .writes(),
    ]
    .into_iter()
    .map(Op::centre)
    .collect()
}
