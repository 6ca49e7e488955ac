//! Imports a competency framework exported from Moodle as CSV (the `admin/tool/lpimportcsv` format).
//!
//! Moodle is where many schools and employers keep their competency frameworks, and this CSV is the
//! only portable form Moodle offers, so reading it saves retyping a framework by hand.
//!
//! The format: a header row, then one row per record. The row whose "Is framework" column is set is
//! the framework itself; every other row is a competency, placed in the tree by its "Parent ID
//! number" (empty for a top-level competency). Columns are found by header name (Moodle has called
//! them "Id number" and "ID number", "Shortname" and "Short name"). Scales, completion rules,
//! cross-references and taxonomies have no counterpart here and are ignored.
//!
//! Mapping rules:
//! - a competency with children becomes a [`GroupKind::Section`] group titled by its short name;
//!   one without children becomes a criterion of the caller's kind, in its parent's group;
//! - top-level competencies without children, in a framework that also has groups, go into one
//!   extra group ([`LOOSE_GROUP_TITLE`]) so that every criterion has a group, as validation requires;
//! - ID numbers become codes by replacing each run of characters other than letters, digits and
//!   `. - _ /` with one `-`; two ID numbers that map to the same code are refused, not merged;
//! - descriptions become plain text (HTML tags removed, entities decoded, paragraphs kept); a
//!   criterion's text is its description when that already begins with the short name (Moodle cuts
//!   short names at 100 characters, so the description is then the full statement), otherwise
//!   "short name: description", or the short name alone when there is no description;
//! - groups and criteria are listed in tree order (a parent before its children), siblings in file order.

use std::collections::HashMap;

use super::model::{CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind};
use super::native::decode_text;
use super::validate::check_code;
use crate::error::{CoreError, Result};

/// Title of the extra group holding top-level competencies that have no children.
pub const LOOSE_GROUP_TITLE: &str = "Other competencies";
const LOOSE_GROUP_CODE: &str = "other";

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

fn bad(message: String) -> CoreError {
    CoreError::InvalidFramework(message)
}

/// Prefixes a framework error with the CSV line it concerns.
fn at_line(line: u64, err: CoreError) -> CoreError {
    match err {
        CoreError::InvalidFramework(message) => bad(format!("line {line}: {message}")),
        other => other,
    }
}

/// Where the columns this importer reads are.
struct Columns {
    parent: usize,
    idnumber: usize,
    shortname: usize,
    description: usize,
    format: Option<usize>,
    isframework: usize,
}

/// Lower-case letters and digits only, without an "(optional)" suffix: "Rule type (optional)" → "ruletype".
fn header_key(name: &str) -> String {
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    key.strip_suffix("optional")
        .map(str::to_string)
        .unwrap_or(key)
}

impl Columns {
    fn find(headers: &csv::StringRecord) -> Result<Columns> {
        let keys: Vec<String> = headers.iter().map(header_key).collect();
        let at = |key: &str| keys.iter().position(|k| k == key);
        let required = [
            ("parentidnumber", "Parent ID number"),
            ("idnumber", "ID number"),
            ("shortname", "Short name"),
            ("description", "Description"),
            ("isframework", "Is framework"),
        ];
        let missing: Vec<String> = required
            .iter()
            .filter(|(key, _)| at(key).is_none())
            .map(|(_, name)| format!("{name:?}"))
            .collect();
        match (at("parentidnumber"), at("idnumber"), at("shortname"), at("description"), at("isframework")) {
            (Some(parent), Some(idnumber), Some(shortname), Some(description), Some(isframework)) => Ok(Columns {
                parent,
                idnumber,
                shortname,
                description,
                format: at("descriptionformat"),
                isframework,
            }),
            _ => Err(bad(format!(
                "line 1: the header lacks the column(s) {}; a Moodle competency framework export has them",
                missing.join(", ")
            ))),
        }
    }
}

/// A competency row, as read.
struct Row {
    line: u64,
    idnumber: String,
    parent: String,
    code: String,
    shortname: String,
    description: String,
}

/// Maps a Moodle ID number to a code: runs of characters codes may not hold become one `-`.
pub fn idnumber_to_code(idnumber: &str) -> String {
    let mut code = String::with_capacity(idnumber.len());
    let mut in_run = false;
    for c in idnumber.trim().chars() {
        if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '/') {
            code.push(c);
            in_run = false;
        } else if !in_run {
            code.push('-');
            in_run = true;
        }
    }
    code
}

/// The delimiter Moodle was told to use: the most frequent of `,` `;` tab in the header line.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let count = |d: char| header.matches(d).count();
    [b';', b'\t']
        .into_iter()
        .filter(|&d| count(char::from(d)) > count(','))
        .max_by_key(|&d| count(char::from(d)))
        .unwrap_or(b',')
}

/// Reads Moodle's "Is framework" cell: the exporter writes `1` or nothing.
fn is_framework_cell(line: u64, value: &str) -> Result<bool> {
    match value.trim().to_lowercase().as_str() {
        "" | "0" | "false" | "no" => Ok(false),
        "1" | "true" | "yes" => Ok(true),
        other => Err(bad(format!(
            "line {line}: \"Is framework\" is {other:?}; expected 1 for the framework row or empty"
        ))),
    }
}

/// Parses and validates a Moodle competency framework CSV file.
pub fn parse(bytes: &[u8], options: &MoodleImportOptions) -> Result<FrameworkDoc> {
    let text = decode_text(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(bad("file is empty".to_string()));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e
            .position()
            .map_or(String::new(), |p| format!("line {}: ", p.line()));
        bad(format!("{line}CSV: {e}"))
    };
    let columns = Columns::find(reader.headers().map_err(csv_error)?)?;

    let mut framework: Option<(u64, csv::StringRecord)> = None;
    let mut rows: Vec<Row> = Vec::new();
    let mut by_idnumber: HashMap<String, usize> = HashMap::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        if is_framework_cell(line, cell(columns.isframework))? {
            if let Some((first, _)) = &framework {
                return Err(bad(format!(
                    "line {line}: a second framework row; the first is on line {first}"
                )));
            }
            framework = Some((line, record));
            continue;
        }
        let idnumber = cell(columns.idnumber).to_string();
        let shortname = cell(columns.shortname).to_string();
        if idnumber.is_empty() {
            return Err(bad(format!(
                "line {line}: competency {shortname:?} has no ID number"
            )));
        }
        if shortname.is_empty() {
            return Err(bad(format!(
                "line {line}: competency {idnumber:?} has no short name"
            )));
        }
        if let Some(&other) = by_idnumber.get(&idnumber) {
            return Err(bad(format!(
                "line {line}: ID number {idnumber:?} is already used on line {}",
                rows[other].line
            )));
        }
        let code = idnumber_to_code(&idnumber);
        check_code("competency", &code).map_err(|e| at_line(line, e))?;
        if let Some(&other) = by_code.get(&code) {
            return Err(bad(format!(
                "line {line}: ID numbers {:?} (line {}) and {idnumber:?} both become code {code:?}",
                rows[other].idnumber, rows[other].line
            )));
        }
        by_idnumber.insert(idnumber.clone(), rows.len());
        by_code.insert(code.clone(), rows.len());
        let format = columns.format.map_or("", cell);
        rows.push(Row {
            line,
            parent: cell(columns.parent).to_string(),
            description: plain_text(cell(columns.description), format),
            idnumber,
            code,
            shortname,
        });
    }

    let Some((framework_line, framework)) = framework else {
        return Err(bad(
            "no framework row: one row must have \"Is framework\" set to 1".to_string(),
        ));
    };
    let field = |i: usize| framework.get(i).unwrap_or("").trim();
    let code = idnumber_to_code(field(columns.idnumber));
    check_code("framework", &code).map_err(|e| at_line(framework_line, e))?;
    if rows.is_empty() {
        return Err(bad(format!("framework {code} has no competencies")));
    }

    // Link each competency to its parent; `None` marks a top-level one.
    let mut parent_of: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    let mut roots = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.parent.is_empty() {
            parent_of.push(None);
            roots.push(i);
            continue;
        }
        let Some(&p) = by_idnumber.get(&row.parent) else {
            return Err(bad(format!(
                "line {}: parent {:?} of competency {:?} is not in the file",
                row.line, row.parent, row.idnumber
            )));
        };
        parent_of.push(Some(p));
        children[p].push(i);
    }

    let has_groups = children.iter().any(|c| !c.is_empty());
    let loose_code = has_groups
        .then(|| free_code(&by_code))
        .filter(|_| roots.iter().any(|&r| children[r].is_empty()));
    let mut groups = Vec::new();
    let mut criteria = Vec::new();
    let mut reached = vec![false; rows.len()];
    let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        reached[i] = true;
        let row = &rows[i];
        let parent = parent_of[i].map(|p| rows[p].code.clone());
        if children[i].is_empty() {
            criteria.push(CriterionDoc {
                code: row.code.clone(),
                kind: options.criterion_kind,
                text: criterion_text(&row.shortname, &row.description),
                group: parent.or_else(|| loose_code.clone()),
            });
        } else {
            groups.push(GroupDoc {
                code: row.code.clone(),
                kind: GroupKind::Section,
                title: row.shortname.clone(),
                parent,
            });
            stack.extend(children[i].iter().rev());
        }
    }
    if let Some(start) = reached.iter().position(|r| !r) {
        return Err(cycle_error(&rows, &parent_of, start));
    }
    if let Some(code) = loose_code {
        groups.push(GroupDoc {
            code,
            kind: GroupKind::Section,
            title: LOOSE_GROUP_TITLE.to_string(),
            parent: None,
        });
    }

    let format = columns.format.map_or("", field);
    let doc = FrameworkDoc {
        code,
        title: field(columns.shortname).to_string(),
        kind: options.kind,
        version: options.version.clone(),
        source: options.source.clone(),
        verified: false,
        description: plain_text(field(columns.description), format),
        groups,
        criteria,
    };
    doc.validate()?;
    Ok(doc)
}

/// A code for the extra group that no competency uses.
fn free_code(taken: &HashMap<String, usize>) -> String {
    let mut code = LOOSE_GROUP_CODE.to_string();
    let mut n = 1;
    while taken.contains_key(&code) {
        n += 1;
        code = format!("{LOOSE_GROUP_CODE}-{n}");
    }
    code
}

/// Describes the cycle above an unreachable competency: following parents from it must loop.
fn cycle_error(rows: &[Row], parent_of: &[Option<usize>], start: usize) -> CoreError {
    let mut path = vec![start];
    let mut at = parent_of[start];
    while let Some(i) = at {
        if let Some(pos) = path.iter().position(|&p| p == i) {
            let names: Vec<&str> = path[pos..]
                .iter()
                .chain([&i])
                .map(|&p| rows[p].idnumber.as_str())
                .collect();
            return bad(format!(
                "line {}: competency {:?} is its own ancestor: {}",
                rows[i].line,
                rows[i].idnumber,
                names.join(" → ")
            ));
        }
        path.push(i);
        at = parent_of[i];
    }
    bad(format!(
        "line {}: competency is not reachable from the top level",
        rows[start].line
    ))
}

/// The statement a leaf competency stands for, per the rules in the module documentation.
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

/// Moodle's description formats: 0 Moodle auto-format, 1 HTML, 2 plain text, 4 Markdown.
fn plain_text(text: &str, format: &str) -> String {
    match format.trim() {
        "2" | "4" => text.replace("\r\n", "\n").trim().to_string(),
        "0" => html_to_text(text, true),
        _ => html_to_text(text, false),
    }
}

/// Strips tags and decodes entities; `<p>`-like tags end paragraphs and `<br>` ends lines. Source
/// line breaks are kept only when `keep_newlines` (Moodle auto-format); in HTML they are spaces.
fn html_to_text(html: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        let tag_end = rest.find('>').filter(|_| c == '<');
        let entity_end = rest.find(';').filter(|&e| c == '&' && e <= 10);
        if let Some(end) = tag_end {
            let name: String = rest[1..end]
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .flat_map(|c| c.to_lowercase())
                .collect();
            match name.as_str() {
                "br" | "li" | "tr" => out.push('\n'),
                "p" | "div" | "ul" | "ol" | "table" | "blockquote" | "pre" | "h1" | "h2" | "h3"
                | "h4" | "h5" | "h6" => out.push_str("\n\n"),
                _ => {}
            }
            rest = &rest[end + 1..];
        } else if let Some(decoded) = entity_end.and_then(|end| decode_entity(&rest[1..end])) {
            out.push(decoded);
            rest = &rest[entity_end.map_or(1, |e| e + 1)..];
        } else {
            out.push(match c {
                '\n' if keep_newlines => '\n',
                c if c.is_whitespace() => ' ',
                c => c,
            });
            rest = &rest[c.len_utf8()..];
        }
    }
    // Collapse spaces within lines and keep at most one blank line between paragraphs.
    let mut text = String::with_capacity(out.len());
    let mut blank = false;
    for line in out.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !text.is_empty();
        } else {
            if !text.is_empty() {
                text.push_str(if blank { "\n\n" } else { "\n" });
            }
            text.push_str(&line);
            blank = false;
        }
    }
    text
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "Parent ID number,ID number,Short name,Description,Description format,Is framework";

    fn file(rows: &[&str]) -> Vec<u8> {
        let mut text = HEADER.to_string();
        for row in [",FW,A framework,,1,1"].iter().chain(rows) {
            text.push('\n');
            text.push_str(row);
        }
        text.into_bytes()
    }

    fn import(bytes: &[u8]) -> Result<FrameworkDoc> {
        parse(bytes, &MoodleImportOptions::default())
    }

    fn error(bytes: &[u8]) -> String {
        let err = import(bytes).expect_err("file should be refused");
        assert_eq!(err.code(), "invalid_framework");
        err.to_string()
    }

    #[test]
    fn the_moodle_example_imports_with_its_full_tree() {
        let doc =
            import(include_bytes!("../../tests/fixtures/moodle-example.csv")).expect("import");
        assert_eq!(
            (doc.code.as_str(), doc.title.as_str()),
            ("OECD-CORE", "OECD")
        );
        assert!(doc
            .description
            .starts_with("The Core Competencies summarise the capabilities"));
        assert!(doc.description.ends_with(
            "clusters.\n\n• The delivery-related competencies\n• The interpersonal competencies\n• The strategic competencies"
        ));
        // Moodle's own test counts 64 competencies; no extra group is needed.
        assert_eq!((doc.groups.len(), doc.criteria.len()), (20, 44));
        let group = |code: &str| doc.groups.iter().find(|g| g.code == code).expect(code);
        let criterion = |code: &str| doc.criteria.iter().find(|c| c.code == code).expect(code);
        assert_eq!(group("levels").parent, None);
        assert_eq!(group("competencies").parent, None);
        assert_eq!(group("delivery").parent.as_deref(), Some("competencies"));
        assert_eq!(group("teamwork").title, "Teamwork and Team Leadership");
        assert_eq!(
            group("strategic-thinking").parent.as_deref(),
            Some("strategic")
        );
        assert_eq!(criterion("level-1").group.as_deref(), Some("levels"));
        assert_eq!(
            criterion("level-1").text,
            "Level 1 is typically associated with jobs such as Assistants, Secretaries and Operators."
        );
        let at1 = criterion("DR-AT1");
        assert_eq!(at1.group.as_deref(), Some("analytical-thinking"));
        assert_eq!(at1.kind, CriterionKind::Indicator);
        assert_eq!(
            at1.text,
            "Distinguishes between critical and irrelevant pieces of information"
        );
        // The short name is cut at 100 characters; the description holds the whole statement.
        assert_eq!(
            criterion("DR-MR-2").text,
            "Plans, coordinates and manages internal and external resources to accomplish assignments within the given deadlines."
        );
        let under = |g: &str| {
            doc.criteria
                .iter()
                .filter(|c| c.group.as_deref() == Some(g))
                .count()
        };
        assert_eq!(
            (
                under("levels"),
                under("diplomatic-sensitivity"),
                under("strategic-thinking")
            ),
            (5, 4, 1)
        );
        for (i, g) in doc.groups.iter().enumerate() {
            if let Some(parent) = &g.parent {
                assert!(
                    doc.groups[..i].iter().any(|p| &p.code == parent),
                    "{} before its parent",
                    g.code
                );
            }
        }
    }

    #[test]
    fn a_bom_crlf_and_semicolons_are_accepted() {
        let text = "\u{feff}Parent ID number;ID number;Short name;Description;Is framework\r\n;F;F;;1\r\n;Unit 1: Intro;Intro;;\r\n";
        let doc = import(text.as_bytes()).expect("import");
        assert_eq!(doc.criteria[0].code, "Unit-1-Intro");
        assert_eq!(doc.criteria[0].group, None);
    }

    #[test]
    fn a_top_level_leaf_beside_groups_goes_into_an_extra_group() {
        let doc = import(&file(&[
            ",U1,Unit,,1,",
            "U1,C1,Do it,<p>Do it &amp; show it</p>,1,",
            ",other,Loose,Says why,1,",
        ]))
        .expect("import");
        assert_eq!(doc.criteria[0].text, "Do it & show it");
        assert_eq!(doc.criteria[1].text, "Loose: Says why");
        assert_eq!(doc.criteria[1].group.as_deref(), Some("other-2"));
        assert_eq!(doc.groups[1].title, LOOSE_GROUP_TITLE);
    }

    #[test]
    fn missing_columns_are_named() {
        let message = error(b"ID number,Short name,Description\n,FW,F,\n");
        assert!(
            message.contains("\"Parent ID number\", \"Is framework\""),
            "{message}"
        );
    }

    #[test]
    fn a_file_without_a_framework_row_is_refused() {
        let message = error(format!("{HEADER}\n,C1,Do it,,1,\n").as_bytes());
        assert!(message.contains("no framework row"), "{message}");
        assert!(error(&file(&[",FW2,Again,,1,1"]))
            .contains("line 3: a second framework row; the first is on line 2"));
    }

    #[test]
    fn an_unknown_parent_is_named_with_its_line() {
        let message = error(&file(&[",U1,Unit,,1,", "U9,C1,Do it,,1,"]));
        assert!(
            message.contains("line 4: parent \"U9\" of competency \"C1\" is not in the file"),
            "{message}"
        );
    }

    #[test]
    fn duplicate_and_colliding_id_numbers_are_refused() {
        let message = error(&file(&[",C1,One,,1,", ",C1,Two,,1,"]));
        assert!(
            message.contains("line 4: ID number \"C1\" is already used on line 3"),
            "{message}"
        );
        let message = error(&file(&[",a b,One,,1,", ",a:b,Two,,1,"]));
        assert!(message.contains("both become code \"a-b\""), "{message}");
    }

    #[test]
    fn a_cycle_of_parents_is_reported() {
        let message = error(&file(&[
            ",U1,Unit,,1,",
            "U1,C1,Leaf,,1,",
            "B,A,A,,1,",
            "A,B,B,,1,",
        ]));
        assert!(message.contains("is its own ancestor"), "{message}");
        assert!(error(&file(&["A,A,A,,1,", ",C,C,,1,"])).contains("A → A"));
    }

    #[test]
    fn non_utf8_and_empty_files_are_refused() {
        assert!(
            error(&[HEADER.as_bytes(), b"\n,FW,Caf\xe9,,1,1\n"].concat()).contains("not UTF-8")
        );
        assert!(error(b"").contains("file is empty"));
        assert!(error(b"\xef\xbb\xbf \n").contains("file is empty"));
        assert!(error(&file(&[])).contains("has no competencies"));
    }
}
