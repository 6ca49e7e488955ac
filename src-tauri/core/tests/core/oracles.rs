//! No oracles: what a user may not see answers exactly as what does not exist. Tried as the attack
//! that worked before: guessing parts of another learner's item id (`forbidden` against `not_found`
//! against `ambiguous` recovered a full id in 477 tries), naming another learner, asking for a
//! file's content hash, and importing a bundle whose learner id is someone else's.

use evidence_core::evidence::Status;
use evidence_core::CoreError;

use crate::access::{centre, PASSWORD};

/// The error for `key` with the key itself taken out: the same text for every key means the answer
/// says nothing about what exists.
fn answer(result: evidence_core::Result<impl std::fmt::Debug>, key: &str) -> String {
    match result {
        Ok(found) => format!("ok {found:?}"),
        Err(e) => format!("{}: {}", e.code(), e.to_string().replace(key, "KEY")),
    }
}

#[test]
fn parts_of_another_learners_item_id_answer_as_made_up_ones() {
    let mut c = centre();
    let s = &mut c.fx.store;
    s.sign_in("tom", Some(PASSWORD)).unwrap();
    let lars_item = c.lars_item.clone();
    let hidden: Vec<char> = lars_item.chars().collect();
    // Every part of the hidden id of 8 characters or more, against a made-up part of the same length.
    let made_up = |n: usize| "f".repeat(n);
    let mut tried = 0;
    for len in [8, 12, 36] {
        for start in 0..=hidden.len() - len {
            let part: String = hidden[start..start + len].iter().collect();
            if c.lena_item.contains(&part) {
                continue; // a part Lena's item shares is Lena's item (see the next test)
            }
            let fake = made_up(len);
            assert_eq!(
                answer(s.evidence(&part).map(|e| e.id), &part),
                answer(s.evidence(&fake).map(|e| e.id), &fake),
                "part {part:?} of Lars's item"
            );
            tried += 1;
        }
    }
    assert!(tried > 40, "only {tried} parts were tried");
    assert!(matches!(
        s.evidence(&lars_item),
        Err(CoreError::NotFound { .. })
    ));
}

#[test]
fn a_part_shared_with_a_hidden_item_is_not_ambiguous() {
    let mut c = centre();
    let s = &mut c.fx.store;
    // Items recorded moments apart: their ids (time first) share the first 8 characters, unless a
    // 65-second boundary fell between them, when they are made again.
    let (lena_item, lars_item) = loop {
        let mut made = Vec::new();
        for (user, learner) in [("lena", &c.lena), ("lars", &c.lars)] {
            s.sign_in(user, Some(PASSWORD)).unwrap();
            made.push(crate::common::add(s, learner, "Notes", Status::Draft, "2026-10-02").id);
        }
        if made[0][..8] == made[1][..8] {
            break (made[0].clone(), made[1].clone());
        }
    };
    let part = &lena_item[..8];
    s.sign_in("tom", Some(PASSWORD)).unwrap();
    // Lena has two items now (the centre's and this one): the part is ambiguous among hers only
    // when both have it; Lars's never counts.
    let tom_sees: Vec<&str> = [c.lena_item.as_str(), lena_item.as_str()]
        .into_iter()
        .filter(|id| id.contains(part))
        .collect();
    match s.evidence(part) {
        Ok(found) => assert_eq!(tom_sees, [found.id.as_str()]),
        Err(e) => {
            assert_eq!(e.code(), "ambiguous");
            assert_eq!(tom_sees.len(), 2, "ambiguous only among Lena's own items");
        }
    }
    s.sign_in("lars", Some(PASSWORD)).unwrap();
    let lars_sees: Vec<&str> = [c.lars_item.as_str(), lars_item.as_str()]
        .into_iter()
        .filter(|id| id.contains(part))
        .collect();
    match s.evidence(part) {
        Ok(found) => assert_eq!(lars_sees, [found.id.as_str()]),
        Err(e) => {
            assert_eq!(e.code(), "ambiguous");
            assert_eq!(lars_sees.len(), 2);
        }
    }
    // The whole id of each is found by its owner's side only.
    assert_eq!(s.evidence(&lars_item).unwrap().id, lars_item);
    assert_eq!(s.evidence(&lena_item).unwrap_err().code(), "not_found");
}

#[test]
fn another_learners_name_id_and_files_answer_as_nobody() {
    let mut c = centre();
    let s = &mut c.fx.store;
    s.sign_in("tom", Some(PASSWORD)).unwrap();
    for (real, fake) in [
        ("Lars Learner", "Nobody Here!"),
        (c.lars.as_str(), "01234567-89ab-7cde-8f01-23456789abcd"),
    ] {
        assert_eq!(answer(s.learner(real), real), answer(s.learner(fake), fake));
        assert_eq!(
            answer(s.gaps(real, None).map(drop), real),
            answer(s.gaps(fake, None).map(drop), fake)
        );
        assert_eq!(
            answer(s.coverage(real).map(drop), real),
            answer(s.coverage(fake).map(drop), fake)
        );
        assert!(answer(s.coverage(real).map(drop), real).starts_with("not_found"));
    }
    let fake_blob = "0".repeat(64);
    assert_eq!(
        answer(s.attachment_path(&c.lars_blob), &c.lars_blob),
        answer(s.attachment_path(&fake_blob), &fake_blob)
    );
    // No refusal anywhere names him.
    for err in [
        s.evidence(&c.lars_item).unwrap_err(),
        s.feedback(&c.lars_item).unwrap_err(),
        s.add_feedback(&c.lars_item, "hi", false).unwrap_err(),
        s.judgements(&c.lars).unwrap_err(),
    ] {
        assert_eq!(err.code(), "not_found");
        assert!(!err.to_string().contains("Lars"), "{err}");
    }
}

/// A bundle is admitted from its manifest before any of its files is written here: signed out, or
/// signed in as someone who may not carry that portfolio, nothing is staged (the check used to come
/// after every attachment had been written out, so a small bundle could fill the disk first).
#[test]
fn a_bundle_is_refused_before_any_of_its_files_is_written() {
    let mut c = centre();
    let bundle = c.fx.dir.path().join("lars.zip");
    c.fx.store.sign_in("lars", Some(PASSWORD)).unwrap();
    c.fx.store
        .export_bundle(
            &c.lars,
            evidence_core::bundles::BundleKind::Portfolio,
            &bundle,
            &mut |_| Ok(()),
        )
        .unwrap();
    let mut store = evidence_core::Store::open(c.fx.dir.path()).unwrap();
    for (who, code) in [(None, "unauthenticated"), (Some("tom"), "forbidden")] {
        if let Some(user) = who {
            store.sign_in(user, Some(PASSWORD)).unwrap();
        }
        let mut files_checked = 0;
        let err = store
            .import_bundle(&bundle, &mut |p| {
                if p.done > 0 {
                    files_checked += 1;
                }
                Ok(())
            })
            .unwrap_err();
        assert_eq!(err.code(), code, "{who:?}: {err}");
        assert!(!err.to_string().contains("Lars"), "{err}");
        assert_eq!(
            files_checked, 0,
            "{who:?}: files were read out before the refusal"
        );
    }
}
