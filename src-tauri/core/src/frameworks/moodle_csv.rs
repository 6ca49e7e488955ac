//! Imports a competency framework exported from Moodle as CSV (the `admin/tool/lpimportcsv` format).
//!
//! Moodle is where many schools and employers keep their competency frameworks, and this CSV is the
//! only portable form it offers, so reading it saves retyping a framework by hand.
//!
//! The row whose "Is framework" column is set is the framework; every other row is a competency,
//! placed in the tree by its "Parent ID number" (empty at the top level). Columns are found by header
//! name, in either Moodle spelling ("Id number"/"ID number", "Shortname"/"Short name"); a UTF-8 BOM
//! and `;` or tab delimiters are accepted. Scales, rules, cross-references and taxonomies are ignored.
//!
//! Mapping: a competency with children becomes a [`GroupKind::Section`] group titled by its short
//! name; one without children becomes a criterion in its parent's group. Top-level competencies
//! without children, when there are groups, go into one extra group ([`LOOSE_GROUP_TITLE`]), since
//! every criterion must then have a group. Codes come from ID numbers by [`idnumber_to_code`]; two
//! that map to one code are refused. Descriptions become plain text unless their format is plain or
//! Markdown. A criterion's text is its description when that begins with the short name (Moodle cuts
//! short names at 100 characters), else "short name: description", or the short name alone. Groups
//! and criteria are listed in tree order (parents first), siblings in file order.

use std::collections::HashMap;

use super::model::{CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind};
use super::native::decode_text;
use super::validate::check_code;
use crate::error::{CoreError, Result};

/// Title of the extra group holding top-level competencies that have no children.
pub const LOOSE_GROUP_TITLE: &str = "Other competencies";

/// Columns read, as normalised header name and Moodle's English header; the last is optional.
const COLUMNS: [(&str, &str); 6] = [
    ("parentidnumber", "Parent ID number"),
    ("idnumber", "ID number"),
    ("shortname", "Short name"),
    ("description", "Description"),
    ("isframework", "Is framework"),
    ("descriptionformat", "Description format"),
];

/// What the CSV does not say about the framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoodleImportOptions {
    pub version: String,
    pub kind: FrameworkKind,
    pub criterion_kind: CriterionKind,
    pub source: String,
}

impl Default for MoodleImportOptions {
    fn default() -> Self {
        MoodleImportOptions {
            version: "1".to_string(),
            kind: FrameworkKind::CompetenceFramework,
            criterion_kind: CriterionKind::Indicator,
            source: "Moodle competency framework CSV".to_string(),
        }
    }
}

macro_rules! fail {
    ($($arg:tt)*) => { return Err(bad(format!($($arg)*))) };
}

fn bad(message: String) -> CoreError {
    CoreError::InvalidFramework(message)
}

/// One data row, trimmed; the description already plain text.
struct Row {
    line: u64,
    parent: String,
    idnumber: String,
    shortname: String,
    description: String,
    is_framework: bool,
}

/// Parses and validates a Moodle competency framework CSV file.
pub fn parse(bytes: &[u8], options: &MoodleImportOptions) -> Result<FrameworkDoc> {
    let text = decode_text(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        fail!("file is empty");
    }
    let mut rows = read_rows(text)?;
    let Some(first) = rows.iter().position(|r| r.is_framework) else {
        fail!("no framework row: one row must have \"Is framework\" set to 1");
    };
    let framework = rows.remove(first);
    if let Some(row) = rows.iter().find(|r| r.is_framework) {
        let (line, first) = (row.line, framework.line);
        fail!("line {line}: a second framework row; the first is on line {first}");
    }
    let code = to_code(framework.line, "framework", &framework.idnumber)?;
    if rows.is_empty() {
        fail!("framework {code} has no competencies");
    }
    let (groups, criteria) = build_tree(&rows, options.criterion_kind)?;
    let doc = FrameworkDoc {
        code,
        title: framework.shortname,
        kind: options.kind,
        version: options.version.clone(),
        source: options.source.clone(),
        verified: false,
        description: framework.description,
        groups,
        criteria,
        method_rules: Vec::new(),
    };
    doc.validate()?;
    Ok(doc)
}

fn read_rows(text: &str) -> Result<Vec<Row>> {
    let header = text.lines().next().unwrap_or("");
    let count = |d: &u8| (header.matches(char::from(*d)).count(), *d == b',');
    let delimiter = [b',', b';', b'\t'].into_iter().max_by_key(count);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter.unwrap_or(b','))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(csv_error)?;
    let keys: Vec<String> = headers.iter().map(header_key).collect();
    let at: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|(key, _)| keys.iter().position(|k| k == key))
        .collect();
    let missing: Vec<String> = (0..5)
        .filter(|&i| at[i].is_none())
        .map(|i| format!("{:?}", COLUMNS[i].1))
        .collect();
    if !missing.is_empty() {
        fail!(
            "line 1: the header lacks the column(s) {}",
            missing.join(", ")
        );
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let cell = |i: usize| at[i].and_then(|i| record.get(i)).unwrap_or("").trim();
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        rows.push(Row {
            line: record.position().map_or(0, |p| p.line()),
            parent: cell(0).to_string(),
            idnumber: cell(1).to_string(),
            shortname: cell(2).to_string(),
            description: plain_text(cell(3), cell(5)),
            // Moodle's exporter writes 1 or nothing; its importer takes any PHP-true value.
            is_framework: !matches!(cell(4), "" | "0" | "false"),
        });
    }
    Ok(rows)
}

fn csv_error(e: csv::Error) -> CoreError {
    let line = e
        .position()
        .map_or(String::new(), |p| format!("line {}: ", p.line()));
    bad(format!("{line}CSV: {e}"))
}

/// Lower-case letters and digits only: "Parent ID number" → "parentidnumber".
pub(crate) fn header_key(name: &str) -> String {
    let letters = name.chars().filter(|c| c.is_alphanumeric());
    letters.flat_map(char::to_lowercase).collect()
}

/// Maps a Moodle ID number to a code: each run of characters other than letters, digits and
/// `. - _ /` becomes one `-` ("Unit 1: Intro" → "Unit-1-Intro").
pub fn idnumber_to_code(idnumber: &str) -> String {
    let (mut code, mut in_run) = (String::with_capacity(idnumber.len()), false);
    for c in idnumber.trim().chars() {
        let allowed = c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '/');
        if allowed || !in_run {
            code.push(if allowed { c } else { '-' });
        }
        in_run = !allowed;
    }
    code
}

fn to_code(line: u64, what: &str, idnumber: &str) -> Result<String> {
    let code = idnumber_to_code(idnumber);
    check_code(what, &code).map_err(|e| match e {
        CoreError::InvalidFramework(message) => bad(format!("line {line}: {message}")),
        other => other,
    })?;
    Ok(code)
}

fn build_tree(rows: &[Row], kind: CriterionKind) -> Result<(Vec<GroupDoc>, Vec<CriterionDoc>)> {
    let mut codes = Vec::with_capacity(rows.len());
    let mut by_idnumber: HashMap<&str, usize> = HashMap::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let (line, id) = (row.line, row.idnumber.as_str());
        if let Some(other) = by_idnumber.insert(id, i).map(|j| &rows[j]) {
            fail!(
                "line {line}: ID number {id:?} is already used on line {}",
                other.line
            );
        }
        let code = to_code(line, "competency", id)?;
        if let Some(other) = by_code.insert(code.clone(), i).map(|j| &rows[j]) {
            let (other_id, other_line) = (&other.idnumber, other.line);
            fail!("line {line}: ID numbers {other_id:?} (line {other_line}) and {id:?} both become code {code:?}");
        }
        codes.push(code);
    }

    let mut parent_of = Vec::with_capacity(rows.len());
    let mut children = vec![Vec::new(); rows.len()];
    let mut roots = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let (line, id, parent) = (row.line, &row.idnumber, row.parent.as_str());
        let p = by_idnumber.get(parent).copied();
        match p {
            Some(p) => children[p].push(i),
            None if parent.is_empty() => roots.push(i),
            None => fail!("line {line}: parent {parent:?} of competency {id:?} is not in the file"),
        }
        parent_of.push(p);
    }

    let has_groups = children.iter().any(|c| !c.is_empty());
    let loose = ["other".to_string()]
        .into_iter()
        .chain((2..).map(|n| format!("other-{n}")))
        .find(|code| !by_code.contains_key(code))
        .filter(|_| has_groups && roots.iter().any(|&r| children[r].is_empty()));
    let (mut groups, mut criteria) = (Vec::new(), Vec::new());
    let mut reached = vec![false; rows.len()];
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        reached[i] = true;
        let (code, section) = (codes[i].clone(), GroupKind::Section);
        let parent = parent_of[i].map(|p| codes[p].clone());
        if children[i].is_empty() {
            let text = criterion_text(&rows[i].shortname, &rows[i].description);
            let group = parent.or_else(|| loose.clone());
            criteria.push(CriterionDoc {
                code,
                kind,
                text,
                group,
            });
        } else {
            let title = rows[i].shortname.clone();
            groups.push(GroupDoc {
                code,
                kind: section,
                title,
                parent,
            });
            stack.extend(children[i].iter().rev());
        }
    }
    if let Some(start) = reached.iter().position(|r| !r) {
        return Err(cycle_error(rows, &parent_of, start));
    }
    if let Some(code) = loose {
        let (kind, title) = (GroupKind::Section, LOOSE_GROUP_TITLE.to_string());
        groups.push(GroupDoc {
            code,
            kind,
            title,
            parent: None,
        });
    }
    Ok((groups, criteria))
}

/// Names the loop above a competency the tree walk never reached: its parents must come round again.
fn cycle_error(rows: &[Row], parent_of: &[Option<usize>], start: usize) -> CoreError {
    let mut path = vec![start];
    while let Some(next) = path.last().and_then(|&i| parent_of[i]) {
        if let Some(pos) = path.iter().position(|&p| p == next) {
            let loop_ids = path[pos..]
                .iter()
                .chain([&next])
                .map(|&p| rows[p].idnumber.as_str());
            let (line, id) = (rows[next].line, &rows[next].idnumber);
            let path = loop_ids.collect::<Vec<_>>().join(" → ");
            return bad(format!(
                "line {line}: competency {id:?} is its own ancestor: {path}"
            ));
        }
        path.push(next);
    }
    let (line, id) = (rows[start].line, &rows[start].idnumber);
    bad(format!(
        "line {line}: competency {id:?} is not reachable from the top level"
    ))
}

fn criterion_text(shortname: &str, description: &str) -> String {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if description.is_empty() {
        shortname.to_string()
    } else if flat(description).starts_with(&flat(shortname)) {
        description.to_string()
    } else {
        format!("{shortname}: {description}")
    }
}

/// Moodle description formats: 0 Moodle auto-format, 1 HTML, 2 plain text, 4 Markdown. Formats 2
/// and 4 are kept as written; the others lose their tags, keeping paragraphs and line breaks.
fn plain_text(text: &str, format: &str) -> String {
    if matches!(format, "2" | "4") {
        return text.replace("\r\n", "\n").trim().to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let opens_tag = |n: char| n.is_ascii_alphabetic() || n == '/' || n == '!';
        let tag = rest
            .find('>')
            .filter(|_| c == '<' && rest[1..].starts_with(opens_tag));
        let entity = rest.find(';').filter(|&end| c == '&' && end <= 6);
        let entity = entity.and_then(|end| Some((end, decode_entity(&rest[1..end])?)));
        if let Some(end) = tag {
            let name = rest[1..end].trim_start_matches('/').to_ascii_lowercase();
            let name = name.split(|c: char| !c.is_ascii_alphanumeric()).next();
            out.push_str(match name.unwrap_or("") {
                "br" | "li" | "tr" => "\n",
                "p" | "div" | "ul" | "ol" | "table" | "blockquote" | "pre" => "\n\n",
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "\n\n",
                _ => "",
            });
            rest = &rest[end + 1..];
        } else if let Some((end, decoded)) = entity {
            out.push(decoded);
            rest = &rest[end + 1..];
        } else {
            out.push(if c.is_whitespace() { ' ' } else { c });
            rest = &rest[c.len_utf8()..];
        }
    }
    // Collapse spaces within lines; keep at most one blank line between paragraphs.
    let lines: Vec<String> = out
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let mut plain = lines.join("\n");
    while plain.contains("\n\n\n") {
        plain = plain.replace("\n\n\n", "\n\n");
    }
    plain.trim_matches('\n').to_string()
}

fn decode_entity(name: &str) -> Option<char> {
    let named = [
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("#39", '\''),
    ];
    let named = named.into_iter().chain([("apos", '\''), ("nbsp", ' ')]);
    named.into_iter().find(|(n, _)| *n == name).map(|(_, c)| c)
}
