// A centre's shared computer, driven as its people would: the administrator sets it up and adds a
// tutor and a learner, assigns the tutor; the learner signs in and records evidence; the app is locked
// and the tutor signs in (a wrong password first), sees the learner's item, and checks the audit trail,
// which then finds an entry altered behind the app's back.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

import { freshDataDir, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { chooseEnrolments, clickNav, fillEvidence, isoDay, openNewEvidence, setChecked } from "./lib/steps.mjs";

const PASSWORD = "centre password 1";
const ITEM = "Residents' forum minutes";

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

/** Locks the app and signs in as `username`. */
async function switchTo(session, username, password = PASSWORD) {
  await (await session.find("#lock")).click();
  await session.waitFor("#sign-in-form");
  await (await session.waitFor(`#user-${username}`)).click();
  await session.type(await session.find("#password"), password);
  await (await session.find("#sign-in")).click();
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
    await (await session.find("#centre-submit")).click();
    const row = await session.waitFor('#users-table tr[data-username="ada"]', { timeout: 15_000 });
    assert.match(await row.text(), /Administrator/);
    assert.match(await (await session.find("#signed-in-as")).text(), /Ada Admin/);
  });

  step("adds a tutor and a learner, and assigns the tutor", async () => {
    await fill(session, { "#new-name": "Tom Tutor", "#new-username": "tom", "#new-password": PASSWORD });
    await setChecked(session, await session.find("#new-role-learner"), false);
    await setChecked(session, await session.find("#new-role-tutor"), true);
    await (await session.find("#add-user")).click();
    await usersMessage(session, "Added Tom Tutor");
    await fill(session, { "#new-name": "Lena Learner", "#new-username": "lena", "#new-password": PASSWORD });
    await setChecked(session, await session.find("#new-role-tutor"), false);
    await setChecked(session, await session.find("#new-role-learner"), true);
    await (await session.find("#add-user")).click();
    await usersMessage(session, "Added Lena Learner");
    await session.setValue(await session.find("#assign-staff"), "tom");
    const lena = await session.execute(
      "return [...document.querySelectorAll('#assign-learner option')].find((o) => o.textContent === 'Lena Learner').value;",
    );
    await session.setValue(await session.find("#assign-learner"), lena);
    await (await session.find("#assign")).click();
    await usersMessage(session, "Tom Tutor is now Lena Learner's tutor");
    await checkAccessible(session, "users and assignments");
    await saveArtifact(session, "accounts-users");
  });

  step("the learner signs in, enrols and records an item", async () => {
    await switchTo(session, "lena");
    await session.findByText("#signed-in-as", "Lena Learner", { timeout: 15_000 });
    await clickNav(session, "Frameworks");
    await (await session.waitFor("#change-enrolments")).click();
    await chooseEnrolments(session, { "NOCN-L3-CD": ["PWC"] });
    await (await session.find("#enrol-submit")).click();
    await session.findByText("[role=status]", "Enrolments saved.");
    await openNewEvidence(session);
    await fillEvidence(session, { title: ITEM, method: "product_evidence", date: isoDay(1), body: "Minutes of the forum." });
    await (await session.find("#save")).click();
    await session.waitFor("#attach", { timeout: 10_000 });
  });

  step("locked, the sign-in screen refuses a wrong password and lets the tutor in", async () => {
    await (await session.find("#lock")).click();
    await session.waitFor("#sign-in-form");
    const people = await session.execute("return [...document.querySelectorAll('#sign-in-form input[name=user]')].map((i) => i.value);");
    assert.deepEqual(people.sort(), ["ada", "lena", "tom"]);
    await checkAccessible(session, "sign-in screen");
    await saveArtifact(session, "accounts-sign-in");
    await (await session.find("#user-tom")).click();
    await session.type(await session.find("#password"), "not the password");
    await (await session.find("#sign-in")).click();
    await session.findByText("#sign-in-form [role=alert]", "username or password is not right");
    await session.type(await session.find("#password"), PASSWORD);
    await (await session.find("#sign-in")).click();
    await session.findByText("#signed-in-as", "Tom Tutor", { timeout: 15_000 });
    assert.equal(await waitForDashboard(session), 3, "Tom sees Lena's gaps");
    await clickNav(session, "Evidence");
    await session.findByText("#evidence-list [data-id]", ITEM);
  });

  step("the audit trail is intact, and an entry altered behind the app's back is named", async () => {
    await clickNav(session, "Audit trail");
    await session.findByText("#audit-result", "Intact", { timeout: 15_000 });
    await session.findByText("#audit-log", "evidence added");
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
