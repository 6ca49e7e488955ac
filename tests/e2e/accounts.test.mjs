// A centre's shared computer, driven as its people would: the administrator sets it up, adds a tutor,
// an assessor and a learner, and assigns the staff; the learner records and submits evidence; the app
// is locked and the tutor signs in (a wrong password first) and returns the item for changes; the
// learner resubmits and declares it her own work; the assessor judges the unit's criteria met, citing
// the item, signs the unit off, and exports the unit record and the cohort summary; the audit trail
// verifies, then names an entry altered behind the app's back.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

import { captureScreen, freshDataDir, REPO, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { chooseEnrolments, clickNav, fillEvidence, isoDay, openNewEvidence, setChecked, switchUser, tick } from "./lib/steps.mjs";

const PASSWORD = "centre password 1";
const SAVE_DIR = process.env.EVIDENCE_E2E_SAVE_DIR;
const ITEM = "Residents' forum minutes";
const UNIT = ["NOCN-L3-CD:PWC.1.1", "NOCN-L3-CD:PWC.2.1", "NOCN-L3-CD:PWC.3.1"];

/** Types into each field of `fields` ({selector: text}). */
async function fill(session, fields) {
  for (const [selector, text] of Object.entries(fields)) await session.type(await session.find(selector), text);
}

/** Waits for the status line of the Users page to say `text`. */
function usersMessage(session, text) {
  return session.waitUntil(async () => (await (await session.find("#users-message")).text()).includes(text), {
    message: `the Users page to say "${text}"`,
  });
}

/** Locks the app and signs in as `username` (whose name as shown is `name`). */
const switchTo = (session, username, name) => switchUser(session, username, name, PASSWORD);

/** Opens the item from the evidence list. */
async function openItem(session) {
  await clickNav(session, "Evidence");
  const row = await session.findByText("#evidence-list [data-id]", ITEM);
  await (await row.find("a")).click();
  await session.waitFor("#review");
}

/** Adds an account on the Users page with these roles. */
async function addAccount(session, name, username, role) {
  await fill(session, { "#new-name": name, "#new-username": username, "#new-password": PASSWORD });
  for (const r of ["learner", "tutor", "assessor", "iqa", "administrator"]) {
    await setChecked(session, await session.find(`#new-role-${r}`), r === role);
  }
  await (await session.find("#add-user")).click();
  await usersMessage(session, `Added ${name}`);
}

/** Assigns a staff member to Lena on the Users page. */
async function assignToLena(session, username, as, expected) {
  await session.setValue(await session.find("#assign-staff"), username);
  await session.setValue(await session.find("#assign-as"), as);
  const lena = await session.execute(
    "return [...document.querySelectorAll('#assign-learner option')].find((o) => o.textContent === 'Lena Learner').value;",
  );
  await session.setValue(await session.find("#assign-learner"), lena);
  await (await session.find("#assign")).click();
  await usersMessage(session, expected);
}

describe("a centre's shared computer", () => {
  let session;
  let dataDir;
  const step = stepper(it, () => session, "accounts");

  before(async () => {
    dataDir = await freshDataDir("accounts");
    session = await startApp(dataDir);
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("the administrator sets the computer up from the welcome screen", async () => {
    await (await session.waitFor("#setup-centre")).click();
    await session.waitFor("#centre-form");
    await checkAccessible(session, "centre set-up");
    await fill(session, { "#admin-name": "Ada Admin", "#admin-username": "ada", "#admin-password": PASSWORD, "#admin-password-again": PASSWORD });
    // Encryption is offered, and on; this computer stays plaintext so that the last step can alter
    // the audit trail behind the app's back with plain SQLite (encrypted, such an edit is impossible).
    const encrypt = await session.find("#encrypt-centre");
    assert.equal(await encrypt.isSelected(), true, "encryption is on by default");
    await captureScreen(join(REPO, "docs", "screenshots", "centre-setup.png"));
    await encrypt.click();
    await (await session.find("#centre-submit")).click();
    const row = await session.waitFor('#users-table tr[data-username="ada"]', { timeout: 15_000 });
    assert.match(await row.text(), /Administrator/);
    assert.match(await (await session.find("#signed-in-as")).text(), /Ada Admin/);
  });

  step("adds a tutor, an assessor and a learner, and assigns the staff to the learner", async () => {
    await addAccount(session, "Tom Tutor", "tom", "tutor");
    await addAccount(session, "Asa Assessor", "asa", "assessor");
    await addAccount(session, "Lena Learner", "lena", "learner");
    await assignToLena(session, "tom", "tutor", "Tom Tutor is now Lena Learner's tutor");
    await assignToLena(session, "asa", "assessor", "Asa Assessor is now Lena Learner's assessor");
    await checkAccessible(session, "users and assignments");
    await saveArtifact(session, "accounts-users");
  });

  step("the learner signs in, enrols, and submits an item mapped to the unit's three criteria", async () => {
    await switchTo(session, "lena", "Lena Learner");
    await clickNav(session, "Frameworks");
    await (await session.waitFor("#change-enrolments")).click();
    await chooseEnrolments(session, { "NOCN-L3-CD": ["PWC"] });
    await (await session.find("#enrol-submit")).click();
    await session.findByText("[role=status]", "Enrolments saved.");
    await openNewEvidence(session);
    await fillEvidence(session, { title: ITEM, method: "product_evidence", date: isoDay(1), body: "Minutes of the forum.", status: "submitted" });
    await (await session.find("#save")).click();
    await session.waitFor("#attach", { timeout: 10_000 });
    for (const ref of UNIT) {
      const box = await session.waitFor(`#mapping input[type=checkbox][data-ref="${ref}"]`, { visible: false });
      await session.execute("arguments[0].scrollIntoView({block: 'center'});", [box]);
      await tick(session, box);
    }
    await (await session.find("#map-selected")).click();
    await session.waitUntil(() => session.execute("return document.querySelectorAll('#mapped li[data-mapped]').length === 3;"), {
      message: "three criteria mapped",
    });
  });

  step("locked, the sign-in screen refuses a wrong password and lets the tutor in", async () => {
    await (await session.find("#lock")).click();
    await session.waitFor("#sign-in-form");
    const people = await session.execute("return [...document.querySelectorAll('#sign-in-form input[name=user]')].map((i) => i.value);");
    assert.deepEqual(people.sort(), ["ada", "asa", "lena", "tom"]);
    await checkAccessible(session, "sign-in screen");
    await saveArtifact(session, "accounts-sign-in");
    await (await session.find("#user-tom")).click();
    await session.type(await session.find("#password"), "not the password");
    await (await session.find("#sign-in")).click();
    await session.findByText("#sign-in-form [role=alert]", "username or password is not right");
    await session.type(await session.find("#password"), PASSWORD);
    await (await session.find("#sign-in")).click();
    await session.findByText("#signed-in-as", "Tom Tutor", { timeout: 15_000 });
    assert.equal(await waitForDashboard(session), 0, "Tom sees Lena's portfolio: every criterion evidenced");
  });

  step("the tutor's caseload shows the learner amber, with an item awaiting review, and sorts", async () => {
    await clickNav(session, "Caseload");
    const row = await session.waitFor("#caseload tr[data-learner]", { timeout: 15_000 });
    assert.equal(await row.attribute("data-rag"), "amber");
    assert.match(await row.text(), /Lena Learner[\s\S]*3 of 3 \(100%\)[\s\S]*1 item\(s\) awaiting review/);
    await (await session.find('button[data-sort="name"]')).click();
    const sorted = await session.execute("return document.querySelector('button[data-sort=name]').closest('th').getAttribute('aria-sort');");
    assert.equal(sorted, "ascending");
    await checkAccessible(session, "caseload");
    await saveArtifact(session, "accounts-caseload");
  });

  step("the tutor returns the item for changes: its criteria lack submitted evidence again", async () => {
    await openItem(session);
    await session.type(await session.find("#feedback-body"), "Please list who attended.");
    await (await session.find("#request-changes")).click();
    await session.findByText("#review-message", "Returned to the learner for changes");
    await session.findByText("#feedback-thread", "Changes requested");
    await session.findByText("#item-history", "changes requested");
    await clickNav(session, "Dashboard");
    assert.equal(await waitForDashboard(session), 3);
  });

  step("the learner sees the request, resubmits with the change, and declares the item her own work", async () => {
    await switchTo(session, "lena", "Lena Learner");
    await openItem(session);
    await session.findByText("#feedback-thread", "Please list who attended.");
    await fillEvidence(session, { body: "Minutes of the forum.\n\nAttended: tenants, library, youth club.", status: "submitted" });
    await (await session.find("#save")).click();
    await session.waitUntil(() => session.execute("return window.__hasUnsavedChanges() === false;"), { message: "the item saved" });
    await (await session.waitFor("#declare")).click();
    await session.findByText("#declaration", "still matches");
    await (await session.waitFor('[data-compare="3"]')).click();
    await session.findByText('[data-diff="3"]', "Attended: tenants, library, youth club.");
    await checkAccessible(session, "evidence item with feedback, declaration and changes");
    // The submission check: declared, so only the assessment is missing, for each criterion.
    await clickNav(session, "Dashboard");
    const blockers = await session.waitUntil(
      async () => {
        const found = await session.execute("return [...document.querySelectorAll('#submission-check li[data-blocker]')].map((li) => li.dataset.blocker + ':' + li.dataset.rule);");
        return found.length ? found : null;
      },
      { message: "the submission check's blockers" },
    );
    assert.deepEqual(blockers, ["not_assessed:valid", "not_assessed:valid", "not_assessed:valid"]);
  });

  step("the assessor judges the three criteria met, citing the item, and signs the unit off", async () => {
    await switchTo(session, "asa", "Asa Assessor");
    for (const ref of UNIT) {
      await openItem(session);
      await (await session.waitFor(`#mapped li[data-mapped="${ref}"] a`)).click();
      await session.waitFor("#judge-form");
      const cite = await session.waitFor("#judge-form input[data-cite]");
      await tick(session, cite);
      await session.type(await session.find("#judge-comment"), `Clear evidence for ${ref}.`);
      await (await session.find("#record-judgement")).click();
      await session.findByText("#judgement-message", "Recorded: met, signed.");
      await session.findByText("#judgements", "still matches");
    }
    await checkAccessible(session, "criterion with an assessment");
    await clickNav(session, "Dashboard");
    await (await session.waitFor("#sign-off-NOCN-L3-CD-PWC")).click();
    await session.findByText('#sign-off li[data-unit="NOCN-L3-CD:PWC"]', "Signed off");
    await session.findByText("#submission-ready", "Ready to submit");
    await saveArtifact(session, "accounts-signed-off");
  });

  step("the assessor exports the unit achievement record and, from the caseload, the cohort summary", async () => {
    const exportAs = async (kind, format) => {
      await (await session.waitFor("#export-toggle")).click();
      await (await session.waitFor(`input[name=export-kind][value="${kind}"]`)).click();
      await (await session.find(`input[name=export-format][value="${format}"]`)).click();
      await (await session.find("#export-save")).click();
      const done = await session.waitFor("#export-done", { timeout: 30_000 });
      const name = (await done.text()).match(/Saved (\S+) /)?.[1];
      assert.ok(name, await done.text());
      await (await session.find("#export-toggle")).click();
      return readFile(join(SAVE_DIR, name), "utf8");
    };
    const units = await exportAs("units", "html");
    assert.match(units, /<h1>Unit achievement record<\/h1>/);
    assert.match(units, /PWC Understand partnership working[\s\S]*3 of 3[\s\S]*signed off[\s\S]*Asa Assessor/);
    await clickNav(session, "Caseload");
    await session.waitFor("#caseload tr[data-learner]", { timeout: 15_000 });
    const cohort = await exportAs("cohort", "csv");
    assert.equal(cohort.charCodeAt(0), 0xfeff, "the CSV starts with a byte-order mark");
    const rows = cohort.trim().split("\n");
    assert.match(rows[0], /^learner_id,learner_name,framework,/);
    assert.ok(rows.some((r) => /,Lena Learner,NOCN-L3-CD,.*,PWC,.*,3,3,3,0,0,0,100,100,/.test(r)), cohort);
  });

  step("the audit trail is intact, and an entry altered behind the app's back is named", async () => {
    await clickNav(session, "Audit trail");
    await session.findByText("#audit-result", "Intact", { timeout: 15_000 });
    await session.findByText("#audit-log", "signed");
    await checkAccessible(session, "audit trail");
    const db = join(dataDir, "evidence.sqlite3");
    await promisify(execFile)("/usr/bin/python3", [
      "-c",
      "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE audit_log SET after = 'forged' WHERE seq = 3\"); c.commit()",
      db,
    ]);
    await (await session.find("#verify-audit")).click();
    const problem = await session.waitFor('#audit-result [data-problem-at="3"]');
    assert.match(await problem.text(), /Entry 3: entry 3 does not match its hash/);
    await saveArtifact(session, "accounts-audit-tampered");
  });
});
