//! What the CLI prints from data never acts on the terminal: codes that would move the cursor,
//! recolour the screen or reorder the text are shown as escapes, in text and in JSON.

use crate::common::Portfolio;

#[test]
fn data_never_reaches_the_terminal_as_codes_it_would_act_on() {
    let p = Portfolio::new();
    // A right-to-left override passes the core's single-line check (it is not a control character).
    p.add_learner("Lena \u{202e}gnp.exe");
    let human = p.ok(&["learners", "list"]);
    assert!(human.contains("Lena \\u{202e}gnp.exe"), "{human}");
    assert!(!human.contains('\u{202e}'), "{human}");
    let json = p.ok(&["--json", "learners", "list"]);
    assert!(!json.contains('\u{202e}'), "{json}");
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        list[0]["name"], "Lena \u{202e}gnp.exe",
        "the data itself is unchanged"
    );
}
