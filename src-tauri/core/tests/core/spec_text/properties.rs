//! Property tests of the specification-text reader: random frameworks rendered as wrapped text with
//! page furniture read back criterion for criterion, and random text never panics and leaves no line
//! unaccounted for.

use proptest::prelude::*;

use super::*;

const WORDS: [&str; 16] = [
    "community",
    "group",
    "members",
    "local",
    "residents",
    "plan",
    "meeting",
    "support",
    "partners",
    "action",
    "needs",
    "review",
    "voice",
    "change",
    "network",
    "funding",
];

/// A generated framework: units (number, outcomes (title, criteria texts)).
type Spec = Vec<(u32, Vec<(String, Vec<String>)>)>;

fn sentence(first: &'static str, end: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(&WORDS[..]), 1..14)
        .prop_map(move |words| format!("{first} {}{end}", words.join(" ")))
}

fn spec() -> impl Strategy<Value = Spec> {
    let outcome = (
        sentence("Understand", ""),
        prop::collection::vec(sentence("Describe", "."), 1..5),
    );
    let unit = prop::collection::vec(outcome, 1..4);
    prop::collection::vec(unit, 1..4).prop_map(|units| {
        units
            .into_iter()
            .enumerate()
            .map(|(i, u)| (i as u32 * 2 + 1, u))
            .collect()
    })
}

/// Renders a statement after its label, wrapped at `width` characters.
fn wrapped(out: &mut Vec<String>, label: &str, text: &str, width: usize) {
    let mut line = label.to_string();
    for word in text.split(' ') {
        if line.len() + word.len() > width && !line.is_empty() && line != label {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push(line);
}

fn render(spec: &Spec, style: usize, width: usize, furniture: &[usize]) -> String {
    let mut out = Vec::new();
    for (number, outcomes) in spec {
        out.push(format!("Unit {number}: Community Practice"));
        for (o, (title, criteria)) in outcomes.iter().enumerate() {
            let o = o + 1;
            let label = [
                format!("{o}."),
                format!("LO{o}"),
                format!("Learning outcome {o}:"),
            ];
            wrapped(&mut out, &label[style % 3], title, width);
            for (c, text) in criteria.iter().enumerate() {
                let c = c + 1;
                let label = [
                    format!("{o}.{c}"),
                    format!("AC{o}.{c}"),
                    format!("AC {o}.{c}:"),
                ];
                wrapped(&mut out, &label[style / 3 % 3], text, width);
            }
        }
    }
    for (k, &at) in furniture.iter().enumerate() {
        let at = at % (out.len() + 1);
        out.insert(at, format!("Page {} of 40", k + 2));
    }
    out.join("\n")
}

proptest! {
    #[test]
    fn rendered_frameworks_read_back(spec in spec(), style in 0usize..9, width in 20usize..90, furniture in prop::collection::vec(0usize..500, 0..6)) {
        let text = render(&spec, style, width, &furniture);
        let d = parse(&text, &meta(FrameworkKind::Qualification)).expect("parse");
        let mut want = Vec::new();
        for (number, outcomes) in &spec {
            for (o, (_, criteria)) in outcomes.iter().enumerate() {
                for (c, text) in criteria.iter().enumerate() {
                    let group = format!("U{number}.{}", o + 1);
                    want.push((format!("{group}.{}", c + 1), group, text.clone()));
                }
            }
        }
        let got: Vec<(String, String, String)> = d.doc.criteria.iter()
            .map(|c| (c.code.clone(), c.group.clone().unwrap_or_default(), c.text.clone()))
            .collect();
        prop_assert_eq!(got, want, "{}", text);
        let titles: Vec<&str> = d.doc.groups.iter().filter(|g| g.parent.is_some()).map(|g| g.title.as_str()).collect();
        let want_titles: Vec<&str> = spec.iter().flat_map(|(_, os)| os.iter().map(|(t, _)| t.as_str())).collect();
        prop_assert_eq!(titles, want_titles);
        prop_assert!(d.unplaced.is_empty(), "{:?}", d.unplaced);
    }
}

proptest! {
    /// Whatever is pasted, parsing returns (never panics), and a draft accounts for every line.
    #[test]
    fn any_text_is_read_or_refused(lines in prop::collection::vec("[Unit LOACPK0-9().:•\\-a-z \t©]{0,40}", 0..40)) {
        let text = lines.join("\n");
        for kind in [FrameworkKind::Qualification, FrameworkKind::OccupationalStandard] {
            if let Ok(d) = parse(&text, &meta(kind)) {
                let numbers: BTreeSet<usize> = d.lines.iter().map(|l| l.line).collect();
                prop_assert_eq!(numbers, (1..=text.lines().count()).collect::<BTreeSet<_>>());
                prop_assert!(d.doc.validate().is_ok());
            }
        }
    }
}
