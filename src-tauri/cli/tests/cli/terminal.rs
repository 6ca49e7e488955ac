//! What the CLI prints from data never acts on the terminal: codes that would move the cursor,
//! recolour the screen or reorder the text are shown as escapes, in text and in JSON. Names refuse
//! such characters when they are typed (the core's input checks); an evidence body may hold a
//! right-to-left override (Arabic or Hebrew text uses such marks), so that is what is printed here.

use crate::common::{day, Portfolio};

#[test]
fn a_name_that_would_reorder_the_screen_is_refused() {
    let p = Portfolio::new();
    let err = p.refuse(
        &["learners", "add", "Lena \u{202e}gnp.exe"],
        "invalid_input",
        "hides or reorders text (U+202E)",
    );
    assert!(!err.contains('\u{202e}'), "{err}");
    p.refuse(
        &["learners", "add", "Lena\u{1b}[2J"],
        "invalid_input",
        "control character (U+001B)",
    );
}

#[test]
fn data_never_reaches_the_terminal_as_codes_it_would_act_on() {
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Lena");
    let body = "Agreed the plan \u{202e}gnp.exe\u{200b} with the chair.";
    let item = p.add_evidence(&learner, "Minutes", "other", &day(-1), &["--body", body]);
    let human = p.ok(&["show", &item]);
    assert!(
        human.contains("plan \\u{202e}gnp.exe\\u{200b} with"),
        "{human}"
    );
    assert!(
        !human.contains('\u{202e}') && !human.contains('\u{200b}'),
        "{human}"
    );
    let json = p.ok(&["--json", "show", &item]);
    assert!(!json.contains('\u{202e}'), "{json}");
    let shown: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(shown["body_markdown"], body, "the data itself is unchanged");
}
