//! No oracles: what a user may not see answers exactly as what does not exist. Tried as the attack
//! that worked before: guessing parts of another learner's item id (`forbidden` against `not_found`
//! against `ambiguous` recovered a full id in 477 tries), naming another learner, asking for a
//! file's content hash, and importing a bundle whose learner id is someone else's.

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
    // Both items were made within moments: their ids (time first) share a long prefix.
    let shared: String = c
        .lena_item
        .chars()
        .zip(c.lars_item.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a)
        .collect();
    assert!(shared.len() >= 8, "{shared:?}");
    let part = &shared[..8];
    s.sign_in("tom", Some(PASSWORD)).unwrap();
    assert_eq!(
        s.evidence(part).unwrap().id,
        c.lena_item,
        "only Lena's item is a candidate for Tom"
    );
    // Lena herself has two candidates of her own only when she has two items: here, one.
    s.sign_in("lena", Some(PASSWORD)).unwrap();
    assert_eq!(s.evidence(part).unwrap().id, c.lena_item);
    s.sign_in("lars", Some(PASSWORD)).unwrap();
    assert_eq!(s.evidence(part).unwrap().id, c.lars_item);
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
