#!/usr/bin/env python3
"""Checks the shipped framework files in assets/frameworks/ without building the app.

    python3 scripts/check_frameworks.py [REFERENCE_DIR]

- every *.toml parses (tomllib) and meets the native format's rules (docs/framework-format.md);
- the expected counts hold;
- every criterion text appears verbatim in its reference file, and every group title in it or in the
  reference README's established facts (when REFERENCE_DIR, default /work/shared/reference, exists);
- every crosswalk reference names a criterion that exists.
Exits non-zero on any problem.
"""
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets" / "frameworks"
REF = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference")

FRAMEWORK_KINDS = {"qualification", "occupational_standard", "values", "competence_framework"}
GROUP_KINDS = {"unit", "learning_outcome", "key_area", "standard", "value", "competence", "section"}
CRITERION_KINDS = {"assessment_criterion", "performance_criterion", "knowledge_item", "value_statement", "indicator"}
CODE_RE = re.compile(r"^[\w.\-/]{1,64}$")  # \w also admits '_' and Unicode letters/digits, like the app
REFERENCE_FILE = {  # framework code -> reference file prefix
    "NOCN-L3-CD": "004", "CD-NOS": "001", "CD-NOS-VALUES": "000", "CLD-COMPETENCES": "002",
}
EXPECTED = {  # framework code -> {kind: count}
    "NOCN-L3-CD": {"learning_outcome": 3, "assessment_criterion": 3, "unit": 1},
    "CD-NOS": {"performance_criterion": 10, "knowledge_item": 18, "key_area": 1, "standard": 1},
    "CD-NOS-VALUES": {"value": 5},
    "CLD-COMPETENCES": {"competence": 7},
}

problems = []


def problem(msg):
    problems.append(msg)
    print("PROBLEM:", msg)


def check_keys(where, table, required, optional=()):
    for k in required:
        if k not in table:
            problem(f"{where}: missing {k}")
    for k in table:
        if k not in required and k not in optional:
            problem(f"{where}: unknown field {k}")


def check_code(where, code):
    if not isinstance(code, str) or not CODE_RE.match(code) or ":" in code:
        problem(f"{where}: bad code {code!r}")


def check_text(where, text, limit, required=True):
    if not isinstance(text, str):
        problem(f"{where}: not a string")
        return
    if required and not text.strip():
        problem(f"{where}: empty")
    if len(text) > limit:
        problem(f"{where}: {len(text)} characters, limit {limit}")
    if any(ord(c) < 32 and c not in "\n\t\r" or ord(c) == 127 for c in text):
        problem(f"{where}: control characters")


def reference_text(code):
    prefix = REFERENCE_FILE.get(code)
    if prefix is None or not REF.is_dir():
        return None
    return next(REF.glob(prefix + "_*.txt")).read_text(encoding="utf-8")


def check_framework(path):
    raw = path.read_bytes()
    if len(raw) > 8 * 1024 * 1024:
        problem(f"{path.name}: larger than 8 MiB")
    doc = tomllib.loads(raw.decode("utf-8"))
    check_keys(path.name, doc, ("format", "format_version", "framework"), ("group", "criterion"))
    if doc.get("format") != "evidence-tracker/framework" or doc.get("format_version") != 1:
        problem(f"{path.name}: wrong format/format_version")
    fw = doc["framework"]
    check_keys(f"{path.name} [framework]", fw, ("code", "title", "kind", "version", "verified", "source"), ("description",))
    check_code(f"{path.name} framework", fw["code"])
    check_text(f"{path.name} title", fw["title"], 500)
    check_text(f"{path.name} version", fw["version"], 64)
    check_text(f"{path.name} source", fw["source"], 10_000)
    check_text(f"{path.name} description", fw.get("description", ""), 10_000, required=False)
    if fw["kind"] not in FRAMEWORK_KINDS:
        problem(f"{path.name}: framework kind {fw['kind']!r}")
    if not isinstance(fw["verified"], bool):
        problem(f"{path.name}: verified is not a boolean")
    groups = doc.get("group", [])
    criteria = doc.get("criterion", [])
    if not criteria:
        problem(f"{path.name}: no criteria")
    if len(groups) + len(criteria) > 50_000:
        problem(f"{path.name}: too many nodes")

    seen_groups = {}
    for g in groups:
        where = f"{path.name} group {g.get('code')!r}"
        check_keys(where, g, ("code", "kind", "title"), ("parent",))
        check_code(where, g["code"])
        check_text(f"{where} title", g["title"], 500)
        if g["kind"] not in GROUP_KINDS:
            problem(f"{where}: kind {g['kind']!r}")
        if g["code"] in seen_groups:
            problem(f"{where}: duplicate group code")
        if "parent" in g and g["parent"] not in seen_groups:
            problem(f"{where}: parent {g['parent']!r} unknown or not listed before it")
        seen_groups[g["code"]] = g.get("parent")
    # Parents are listed first, so no cycle is possible; check anyway.
    for start in seen_groups:
        at, path_seen = start, set()
        while at is not None:
            if at in path_seen:
                problem(f"{path.name}: groups form a cycle through {start}")
                break
            path_seen.add(at)
            at = seen_groups.get(at)

    codes = set()
    for c in criteria:
        where = f"{path.name} criterion {c.get('code')!r}"
        check_keys(where, c, ("code", "kind", "text"), ("group",))
        check_code(where, c["code"])
        check_text(f"{where} text", c["text"], 10_000)
        if c["kind"] not in CRITERION_KINDS:
            problem(f"{where}: kind {c['kind']!r}")
        if c["code"] in codes:
            problem(f"{where}: duplicate criterion code")
        codes.add(c["code"])
        if groups and c.get("group") not in seen_groups:
            problem(f"{where}: group {c.get('group')!r} unknown or missing")

    counts = {}
    for item in groups + criteria:
        counts[item["kind"]] = counts.get(item["kind"], 0) + 1
    for kind, n in EXPECTED.get(fw["code"], {}).items():
        if counts.get(kind, 0) != n:
            problem(f"{path.name}: {counts.get(kind, 0)} {kind}, expected {n}")

    source = reference_text(fw["code"])
    verbatim = "not checked (no reference file)"
    if source is not None:
        missing, from_readme = [], []
        # A whole item: a source line without its bullet or list number and surrounding whitespace.
        items = {re.sub(r"^(?:\u2022|\d+\.)\s*", "", line.strip()).strip() for line in source.splitlines()}
        readme = (REF / "README.md").read_text(encoding="utf-8")
        for item, field in [(c, "text") for c in criteria] + [(g, "title") for g in groups]:
            text = item[field]
            if text != text.strip():
                missing.append(f"{item['code']} ({field} has surrounding whitespace)")
            elif field == "text" and text not in items:
                if text in source:
                    missing.append(f"{item['code']} (text is in the source but not a whole item)")
                else:
                    missing.append(f"{item['code']} (text)")
            elif text not in source:
                if field == "title" and text in readme:
                    from_readme.append(item["code"])
                else:
                    missing.append(f"{item['code']} ({field})")
        for m in missing:
            problem(f"{path.name}: not verbatim in reference {REFERENCE_FILE[fw['code']]}: {m}")
        verbatim = "all criteria texts and group titles verbatim" if not missing else f"{len(missing)} not verbatim"
        if from_readme:
            verbatim += f" (titles of {', '.join(from_readme)} are in the reference README, not the source file)"
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    print(f"{path.name}: {fw['code']} {fw['version']} verified={fw['verified']}: {summary}; {verbatim}")
    return fw["code"], codes


def check_crosswalk(path, known):
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    check_keys(path.name, doc, ("format", "format_version", "link"))
    if doc.get("format") != "evidence-tracker/crosswalk" or doc.get("format_version") != 1:
        problem(f"{path.name}: wrong format/format_version")
    pairs = set()
    for i, link in enumerate(doc.get("link", []), 1):
        where = f"{path.name} link {i} ({link.get('from')})"
        check_keys(where, link, ("from", "to"), ("note",))
        refs = [link["from"]] + list(link["to"])
        if not link["to"]:
            problem(f"{where}: empty to")
        for ref in refs:
            fw, _, code = ref.partition(":")
            if code not in known.get(fw, ()):
                problem(f"{where}: unknown criterion {ref}")
        for to in link["to"]:
            if to == link["from"] or (link["from"], to) in pairs:
                problem(f"{where}: self or duplicate link to {to}")
            pairs.add((link["from"], to))
    print(f"{path.name}: {len(doc.get('link', []))} links, {len(pairs)} criterion pairs")


def main():
    known = {}
    for path in sorted(ASSETS.glob("*.toml")):
        if path.name == "crosswalk.toml":
            continue
        code, codes = check_framework(path)
        if code in known:
            problem(f"{path.name}: framework code {code} used twice")
        known[code] = codes
    if (ASSETS / "crosswalk.toml").exists():
        check_crosswalk(ASSETS / "crosswalk.toml", known)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
