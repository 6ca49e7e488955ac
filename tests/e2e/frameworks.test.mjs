// Issue 15, a centre loads and keeps its own qualification, in the real window of a centre's computer
// (prepared with the `evidence` command: lib/centre.mjs). The administrator pastes a two-unit
// specification, sees the tree beside the text and the one line it did not place, fixes a criterion in
// the editor and publishes. The learner enrols on it and maps her item; the assessor judges two
// criteria met. The administrator saves the framework as a file, a second version is made from it with
// one criterion removed and one reworded, and loading it shows the effect on the learner's mappings and
// judgements; applying it moves her gaps, criterion statuses and coverage report to the new version.
// Her bundle carries version 2: a laptop without it refuses the import naming it, loads it from the
// bundle after its preview, and then imports the bundle.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { freshDataDir, saveArtifact, startApp, stepper } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { CENTRE_PASSWORD, ITEM, evidence, prepareCentre } from "./lib/centre.mjs";
import { chooseEnrolments, clickNav, judgeMet, openCriterion, signIn, switchUser, tick } from "./lib/steps.mjs";

const SAVE_DIR = process.env.EVIDENCE_E2E_SAVE_DIR;
const PICKED = process.env.EVIDENCE_E2E_FRAMEWORK_FILE;

/** Text as it comes out of a PDF: wrapped lines, unit facts, a guidance note, a typo ("Reccord"). */
const SPEC = `Unit title: Working with Community Groups
Unit number: 1
Level: 3
Credit value: 4

1. Understand how community groups form
1.1 Describe why people come together in community
groups.
1.2 Explain how a group agrees its purpose.
2. Be able to support a community group
2.1 Help a group plan a meeting with its members.

Assessment guidance
Learners could draw on a group they belong to.

Unit title: Reviewing Community Action
Unit number: 2
Level: 3
1. Be able to review community action
1.1 Gather the views of the people involved.
1.2 Reccord what the group learned.`;

/** A standard's criteria as copied from its NOS page (invented wording, the page's layout). */
const NOS_TEXT = `CLDSCCD01
Integrate and use the values and process of community development
Performance criteria
You must be able to:
P1 agree with the community the values the work will follow
P2 review practice against those values with the people involved
P3 record how the values shaped decisions
Knowledge and understanding
You need to know and understand:
K1 the values of community development
K2 how the stages of the process relate to one another`;

const MAPPED = ["TEST-CD:U1.1.1", "TEST-CD:U1.1.2", "TEST-CD:U2.1.2"];
const REWORDED = "TEST-CD:U1.1.2";
const REMOVED = "TEST-CD:U2.1.2";

/** The learner's gaps as the `evidence` command reads them at the centre. */
async function gapsOf(dataDir, learnerId) {
  const gaps = await evidence(dataDir, ["gaps", "--learner", learnerId], { user: "asa", password: CENTRE_PASSWORD });
  return gaps.gaps.map((g) => `${g.ref}:${g.status}`).filter((g) => g.startsWith("TEST-CD:")).sort();
}

async function criterionStatus(session) {
  return (await session.waitForText("p.status .badge", (t) => t.trim().length > 0)).trim();
}

/** The newest file in the save folder with this extension. */
async function newest(ext) {
  const names = (await readdir(SAVE_DIR)).filter((n) => n.endsWith(ext));
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(SAVE_DIR, n))).mtimeMs })));
  dated.sort((a, b) => b.t - a.t);
  assert.ok(dated.length, `a ${ext} file in ${SAVE_DIR}`);
  return join(SAVE_DIR, dated[0].n);
}

describe("a centre loads and keeps its own qualification", () => {
  let session;
  let centreDir;
  let centre;
  const step = stepper(it, () => session, "frameworks");

  before(async () => {
    assert.ok(SAVE_DIR && PICKED, "EVIDENCE_E2E_SAVE_DIR and EVIDENCE_E2E_FRAMEWORK_FILE must be set (run through tests/e2e/run.sh)");
    centreDir = await freshDataDir("frameworks-centre");
    centre = await prepareCentre(centreDir);
    session = await startApp(centreDir);
  });
  after(async () => {
    await session?.quit().catch(() => {});
    await rm(PICKED, { force: true }).catch(() => {});
  });

  step("the administrator pastes a two-unit specification: the tree beside it, the unplaced line listed", async () => {
    await signIn(session, "ada", "Ada Admin", CENTRE_PASSWORD);
    await clickNav(session, "Frameworks");
    const nocn = await session.waitFor('li[data-framework="NOCN-L3-CD"]');
    assert.match(await nocn.text(), /1 learner, 3 mappings/, "usage per version");
    assert.match(await (await session.find('li[data-framework="CD-NOS"]')).text(), /INCOMPLETE/);
    await (await session.find("#load-framework")).click();
    // A PDF chosen by mistake is refused with what to do, and nothing changes.
    await writeFile(PICKED, "%PDF-1.7\n1 0 obj\n");
    await (await session.waitFor("#choose-framework-file")).click();
    const refused = await session.waitFor('[role=alert][data-code="invalid_framework"]');
    assert.match(await refused.text(), /this is a PDF file: open it, select the specification's text, copy it, and paste it/);
    await (await session.waitFor("#paste-specification")).click();
    await session.type(await session.waitFor("#spec-code"), "TEST-CD");
    await session.type(await session.find("#spec-title"), "Certificate in Community Groups");
    await session.type(await session.find("#spec-version"), "1");
    await session.type(await session.find("#spec-source"), "Test specification, issue 1 (typed for this test)");
    await session.setValue(await session.find("#spec-text"), SPEC);
    const counts = await session.waitForText("#draft-counts", (t) => /5 groups, 5 criteria/.test(t), { timeout: 15_000 });
    assert.match(counts, /1 line not placed/);
    const unplaced = await session.execute("return [...document.querySelectorAll('#unplaced-lines li')].map((li) => li.textContent.replace(/\\s+/g, ' ').trim());");
    assert.equal(unplaced.length, 1);
    assert.match(unplaced[0], /^line 14 Learners could draw on a group they belong to\./);
    const tree = await session.execute("return [...document.querySelectorAll('[aria-labelledby=draft-tree-title] .criterion')].map((li) => li.textContent.replace(/\\s+/g, ' ').trim());");
    assert.deepEqual(tree, [
      "U1.1.1 Describe why people come together in community groups.",
      "U1.1.2 Explain how a group agrees its purpose.",
      "U1.2.1 Help a group plan a meeting with its members.",
      "U2.1.1 Gather the views of the people involved.",
      "U2.1.2 Reccord what the group learned.",
    ]);
    await checkAccessible(session, "paste from the specification");
    await saveArtifact(session, "frameworks-paste-preview");
  });

  step("the administrator fixes a criterion in the editor, previews and publishes version 1", async () => {
    await (await session.find("#spec-continue")).click();
    // A code another criterion has is not taken, and the editor says why.
    const code = await session.waitFor('li.criterion[data-code="U2.1.2"] input.code-input');
    // Typed and left (change), as a person would; the editor puts the old code back.
    await session.execute(
      "const el = arguments[0]; el.value = 'U2.1.1'; el.dispatchEvent(new Event('change', { bubbles: true }));",
      [code],
    );
    assert.match(await (await session.waitFor("#code-problem.alert")).text(), /U2\.1\.1 is already the code of another group or criterion in this draft: U2\.1\.2 keeps its code/);
    assert.equal(await code.property("value"), "U2.1.2");
    const text = await session.waitFor('li.criterion[data-code="U2.1.2"] textarea');
    await session.type(text, "Record what the group learned.");
    // Accepted methods for one criterion: a rule naming it alone.
    const methods = await session.find('li.criterion[data-code="U1.2.1"] details.criterion-methods');
    await (await methods.find("summary")).click();
    await tick(session, await methods.find("input[type=checkbox]"));
    await checkAccessible(session, "draft editor");
    await session.execute("arguments[0].scrollIntoView({block: 'center'});", [text]);
    await saveArtifact(session, "frameworks-draft-editor");
    await (await session.find("#preview-draft")).click();
    const preview = await session.waitFor("#import-preview");
    assert.match(await preview.text(), /Publishing adds TEST-CD version 1: 5 groups, 5 criteria\./);
    await (await session.find("#publish")).click();
    assert.match(await (await session.waitFor("#published")).text(), /TEST-CD version 1 is published/);
    const stored = await evidence(centreDir, ["frameworks", "show", "TEST-CD"], { user: "ada", password: CENTRE_PASSWORD });
    const fixed = stored.criteria.find((c) => c.code === "U2.1.2");
    assert.equal(fixed.text, "Record what the group learned.", "the correction is what was published");
    assert.equal(stored.verified, false);
    assert.deepEqual(
      stored.method_rules.map((r) => [r.criteria, r.methods]),
      [[["U1.2.1"], ["direct_observation"]]],
      "the accepted method chosen in the editor is published",
    );
  });

  step("the learner enrols on it and maps her item to three of its criteria; the assessor judges two met", async () => {
    await switchUser(session, "lena", "Lena Learner", CENTRE_PASSWORD);
    await clickNav(session, "Frameworks");
    await (await session.waitFor("#change-enrolments")).click();
    await chooseEnrolments(session, { "NOCN-L3-CD": ["PWC"], "TEST-CD": [] });
    await (await session.findByText("button", "Save enrolments")).click();
    await session.findByText("[role=status]", "Enrolments saved.");
    await clickNav(session, "Evidence");
    await (await (await session.findByText("#evidence-list [data-id]", ITEM)).find("a")).click();
    await session.waitFor("#mapping", { visible: false });
    for (const ref of MAPPED) {
      const box = await session.waitFor(`#mapping input[type=checkbox][data-ref="${ref}"]`, { visible: false });
      await session.execute("arguments[0].scrollIntoView({block: 'center'});", [box]);
      await tick(session, box);
    }
    await (await session.find("#map-selected")).click();
    await session.waitUntil(
      async () => {
        const m = await session.execute("return [...document.querySelectorAll('#mapping #mapped li[data-mapped]')].map((li) => li.dataset.mapped);");
        return MAPPED.every((r) => m.includes(r));
      },
      { message: "the three criteria listed as mapped" },
    );
    await switchUser(session, "asa", "Asa Assessor", CENTRE_PASSWORD);
    for (const ref of ["TEST-CD:U1.1.1", REWORDED]) {
      await openCriterion(session, ITEM, ref);
      await judgeMet(session, "The minutes show it.");
    }
    assert.deepEqual(await gapsOf(centreDir, centre.learnerId), ["TEST-CD:U1.2.1:no_evidence", "TEST-CD:U2.1.1:no_evidence"]);
  });

  step("a second version with one criterion removed and one reworded shows its effect on the learner", async () => {
    await switchUser(session, "ada", "Ada Admin", CENTRE_PASSWORD);
    await clickNav(session, "Frameworks");
    await (await session.waitFor('li[data-framework="TEST-CD"] a')).click();
    await (await session.waitFor("#export-framework")).click();
    await session.findByText("[role=status]", "Saved TEST-CD-1.toml");
    const v1 = await readFile(await newest(".toml"), "utf8");
    assert.match(v1, /format = "evidence-tracker\/framework"/);
    const v2 = v1
      .replace('version = "1"', 'version = "2"')
      .replace("Explain how a group agrees its purpose.", "Explain how a group agrees its purpose and its rules.")
      .replace(/\[\[criterion\]\]\ncode = "U2\.1\.2"[^[]*/, "");
    assert.notEqual(v2, v1);
    // A file with two criteria of one code is refused, naming it; nothing is written.
    await writeFile(PICKED, v1.replace('code = "U2.1.2"', 'code = "U2.1.1"'));
    await (await session.findByText("a", "Load a new version")).click();
    await (await session.waitFor("#choose-framework-file")).click();
    const duplicate = await session.waitFor('[role=alert][data-code="invalid_framework"]');
    assert.match(await duplicate.text(), /duplicate criterion code "U2\.1\.1"/);
    await clickNav(session, "Frameworks");
    await (await session.waitFor('li[data-framework="TEST-CD"] a')).click();
    await session.waitFor("#export-framework");
    await writeFile(PICKED, v2);

    await (await session.findByText("a", "Load a new version")).click();
    await (await session.waitFor("#choose-framework-file")).click();
    await session.waitFor('li.criterion[data-code="U1.1.2"]');
    await (await session.find("#preview-draft")).click();
    const preview = await session.waitFor("#import-preview");
    assert.match(await preview.text(), /Publishing makes version 2 of TEST-CD current in place of version 1\./);
    const listed = await session.execute(`return {
      removed: [...document.querySelectorAll('[aria-labelledby=removed-title] li[data-criterion]')].map((li) => li.dataset.criterion),
      reworded: [...document.querySelectorAll('[aria-labelledby=reworded-title] li[data-criterion]')].map((li) => li.dataset.criterion),
      del: [...document.querySelectorAll('[aria-labelledby=reworded-title] del')].map((e) => e.textContent.trim()),
      ins: [...document.querySelectorAll('[aria-labelledby=reworded-title] ins')].map((e) => e.textContent.trim()),
    };`);
    assert.deepEqual(listed, { removed: [REMOVED], reworded: [REWORDED], del: ["purpose."], ins: ["purpose and its rules."] });
    const row = await session.waitFor('tr[data-learner="Lena Learner"]');
    const cells = await session.execute("return [...arguments[0].querySelectorAll('td')].map((td) => td.textContent.trim());", [row]);
    assert.deepEqual(cells.slice(1), ["2", "1", "1", "U1.1.2", "none"], "2 mappings carried, 1 on the removed criterion; 1 judgement carried, U1.1.2 to judge again");
    await session.execute("document.querySelector('#import-preview').scrollIntoView({block: 'start'});");
    await checkAccessible(session, "version diff");
    await saveArtifact(session, "frameworks-version-diff");
  });

  step("applying it: gaps, the reworded criterion's status and the coverage report follow version 2", async () => {
    await (await session.find("#publish")).click();
    assert.match(await (await session.waitFor("#published")).text(), /version 2 is published in place of version 1: 4 criteria; 2 mappings carried over, 1 judgements kept, 1 to judge again/);
    assert.deepEqual(await gapsOf(centreDir, centre.learnerId), ["TEST-CD:U1.2.1:no_evidence", "TEST-CD:U2.1.1:no_evidence"], "the removed criterion is no gap");
    await clickNav(session, "Frameworks");
    assert.match(await (await session.waitFor('li[data-framework="TEST-CD"]')).text(), /version 2, 4 criteria; 1 learner, 2 mappings.*Earlier versions, kept readable: 1 \(1 learner, 1 mapping\)/s);
    await checkAccessible(session, "frameworks with their versions");
    await saveArtifact(session, "frameworks-list");
    await (await session.find('li[data-framework="TEST-CD"] a')).click();
    await (await session.findByText("#version-usage button", "Show version 1")).click();
    await session.findByText("#version-usage strong", "Version 1 (earlier, kept readable)");
    assert.match(await (await session.findByText(".criterion", "U2.1.2")).text(), /Record what the group learned\./, "the earlier version stays readable");

    await switchUser(session, "lena", "Lena Learner", CENTRE_PASSWORD);
    await openCriterion(session, ITEM, REWORDED);
    assert.equal(await criterionStatus(session), "Evidenced, not yet assessed", "the reworded criterion waits for the assessor");
    await openCriterion(session, ITEM, "TEST-CD:U1.1.1");
    assert.equal(await criterionStatus(session), "Met", "the unchanged criterion keeps its judgement");

    await clickNav(session, "Dashboard");
    await (await session.waitFor("#export-toggle")).click();
    await session.waitFor("#export-panel");
    await (await session.find('input[name=export-kind][value="coverage"]')).click();
    await (await session.find('input[name=export-format][value="csv"]')).click();
    await (await session.find("#export-save")).click();
    await session.waitFor("#export-done", { timeout: 30_000 });
    const csv = await readFile(await newest(".csv"), "utf8");
    const lines = csv.split(/\r?\n/).filter((l) => l.includes("TEST-CD"));
    assert.equal(lines.length, 4, `four TEST-CD rows:\n${lines.join("\n")}`);
    assert.ok(lines.every((l) => /(^|,)"?2"?,/.test(l)), "every row names version 2");
    assert.ok(!csv.includes("U2.1.2"), "the removed criterion is not in the report");
  });

  step("her bundle carries version 2: a laptop without it says so, loads it from the bundle, then imports", async () => {
    await clickNav(session, "Bundles");
    await (await session.waitFor("#export-bundle")).click();
    await session.waitFor("#bundle-saved", { timeout: 30_000 });
    const bundle = await newest(".zip");
    await session.quit();
    session = await startApp(await freshDataDir("frameworks-laptop"));
    // The mapping left on U2.1.2 rests on version 1: both versions travel, the earlier one first.
    const expected = {
      1: /Publishing adds TEST-CD version 1: 5 groups, 5 criteria\./,
      2: /Publishing makes version 2 of TEST-CD current in place of version 1\./,
    };
    for (const version of ["1", "2"]) {
      await clickNav(session, "Bundles");
      await (await session.waitFor("#import-bundle")).click();
      const alert = await session.waitFor('[role=alert][data-code="framework_missing"]', { timeout: 30_000 });
      assert.match(await alert.text(), new RegExp(`the bundle uses TEST-CD version ${version}, which this computer does not have: load it from the bundle`));
      if (version === "1") await saveArtifact(session, "frameworks-bundle-missing");
      await (await session.find("#load-bundle-framework")).click();
      await session.waitFor('li.criterion[data-code="U1.1.2"]');
      assert.equal(await (await session.find("#draft-version")).property("value"), version);
      await (await session.find("#preview-draft")).click();
      assert.match(await (await session.waitFor("#import-preview")).text(), expected[version]);
      await (await session.find("#publish")).click();
      await session.waitFor("#published");
    }
    await utimes(bundle, new Date(), new Date());
    await clickNav(session, "Bundles");
    await (await session.waitFor("#import-bundle")).click();
    const done = await session.waitFor("#bundle-imported", { timeout: 30_000 });
    assert.match(await done.text(), /Imported Lena Learner/);
  });

  step("a standard the CD NOS index lists without criteria says so, and pasting its criteria fills it in", async () => {
    await clickNav(session, "Frameworks");
    await (await session.waitFor("#change-enrolments")).click();
    await chooseEnrolments(session, { "NOCN-L3-CD": ["PWC"], "TEST-CD": [], "CD-NOS": ["CLDSCCD01", "CLDSCCD15"] });
    const note = await session.waitFor('[data-not-loaded="CLDSCCD01"]');
    assert.match(await note.text(), /criteria not loaded yet: paste them/);
    assert.equal((await session.findAll('[data-not-loaded="CLDSCCD15"]')).length, 0, "CLDSCCD15 has its criteria");
    await (await session.findByText("button", "Save enrolments")).click();
    await session.findByText("[role=status]", "Enrolments saved.");
    await (await session.waitFor('li[data-framework="CD-NOS"] a')).click();
    const missing = await session.waitFor("#missing-criteria");
    assert.match(await missing.text(), /Criteria not loaded yet/);
    await (await session.find('a[aria-label="Paste the criteria of CLDSCCD01"]')).click();
    await session.findByText("h1", "Criteria for CLDSCCD01");
    await session.type(await session.waitFor("#spec-version"), "2023.3");
    await session.setValue(await session.find("#spec-text"), NOS_TEXT);
    await session.waitForText("#draft-counts", (t) => /1 group, 5 criteria/.test(t), { timeout: 15_000 });
    await saveArtifact(session, "frameworks-fill-in");
    await (await session.find("#spec-continue")).click();
    await session.waitFor('li.criterion[data-code="CLDSCCD01.PC1"]');
    await (await session.find("#preview-draft")).click();
    const preview = await (await session.waitFor("#import-preview")).text();
    assert.match(preview, /Publishing makes version 2023\.3 of CD-NOS current in place of version 2023\.2\./);
    assert.match(preview, /Added \(5\)/);
    assert.match(preview, /Removed \(0\)/);
    await (await session.find("#publish")).click();
    await session.waitFor("#published");
    await clickNav(session, "Frameworks");
    await (await session.waitFor('li[data-framework="CD-NOS"] a')).click();
    await session.waitFor("#missing-criteria");
    const still = await session.execute("return [...document.querySelectorAll('#missing-criteria li .code')].map((e) => e.textContent);");
    assert.ok(!still.includes("CLDSCCD01") && still.includes("CLDSCCD02"), `CLDSCCD01 is filled in: ${still}`);
  });
});
