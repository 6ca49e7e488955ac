// UI steps of Evidence Tracker that more than one test takes: first run, the evidence editor.

import assert from "node:assert/strict";
import { copyFile, rm, utimes } from "node:fs/promises";
import { basename, join } from "node:path";

import { clickButton, waitForDashboard } from "./app.mjs";

/** Today minus `days`, as YYYY-MM-DD (UTC, as the core checks it). */
export function isoDay(days = 0) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Ticks or unticks a checkbox with a click, as a user would; waits for the new state. */
export async function setChecked(session, box, wanted = true) {
  if ((await box.isSelected()) !== wanted) {
    await session.execute("arguments[0].scrollIntoView({block: 'center'});", [box]);
    await box.click();
  }
  await session.waitUntil(async () => (await box.isSelected()) === wanted, {
    message: `the checkbox to be ${wanted ? "ticked" : "unticked"}`,
  });
}

/** Makes sure a checkbox is ticked. */
export const tick = (session, box) => setChecked(session, box, true);

/**
 * On the enrolment form, chooses exactly `enrol` ({FRAMEWORK: [unit codes]}; an empty list means every
 * unit): each framework's checkbox (fieldset[data-framework] input#fw-CODE) is ticked or unticked, then
 * within a ticked framework each unit (input[data-unit]) is ticked only if it is listed.
 */
export async function chooseEnrolments(session, enrol) {
  await session.waitFor("fieldset[data-framework]");
  const frameworks = await session.execute(
    "return [...document.querySelectorAll('fieldset[data-framework]')].map((f) => f.dataset.framework);",
  );
  for (const code of Object.keys(enrol)) {
    if (!frameworks.includes(code)) throw new Error(`the enrolment form offers no ${code} (offers ${frameworks.join(", ")})`);
  }
  for (const code of frameworks) {
    const box = await session.find(`fieldset[data-framework="${code}"] input[type=checkbox]:not([data-unit])`);
    await setChecked(session, box, code in enrol);
    if (!(code in enrol)) continue;
    const units = await session.findAll(`fieldset[data-framework="${code}"] input[type=checkbox][data-unit]`);
    for (const unit of units) {
      const unitCode = await unit.attribute("data-unit");
      await setChecked(session, unit, enrol[code].length === 0 || enrol[code].includes(unitCode));
    }
    for (const wanted of enrol[code]) {
      if (!(await session.findAll(`fieldset[data-framework="${code}"] input[data-unit="${wanted}"]`)).length) {
        throw new Error(`${code} offers no unit or standard ${wanted}`);
      }
    }
  }
}

/**
 * First run: welcome → create the profile → enrol as `enrol` says (see chooseEnrolments) → the
 * dashboard. Returns the dashboard's gap count.
 */
export async function createProfile(session, name, enrol) {
  await session.waitFor("h1");
  await clickButton(session, "Create my profile");
  const input = await session.waitFor("#learner-name");
  const label = await session.execute(
    "const i = arguments[0]; return [...(i.labels || [])].map((l) => l.textContent.trim()).join(' ');",
    [input],
  );
  assert.match(label, /name/i, "the name input has a label that says what it is");
  await session.type(input, name);
  await clickButton(session, "Continue");
  await session.findByText("h1", name, { timeout: 10_000 });
  await chooseEnrolments(session, enrol);
  await clickButton(session, "Start my portfolio");
  return waitForDashboard(session);
}

/** Goes to a new, empty evidence editor (through the #new-evidence button). */
export async function openNewEvidence(session) {
  let button = (await session.findAll("#new-evidence"))[0];
  if (!button || !(await button.isDisplayed())) {
    await clickNav(session, "Evidence");
    button = await session.waitFor("#new-evidence");
  }
  await button.click();
  await session.waitFor("#evidence-editor");
  await session.waitFor("#title");
}

/** The main navigation's link with this label. */
export async function clickNav(session, label) {
  const el = await session.findByText("nav a, nav button", label);
  await el.click();
  return el;
}

/** Fills the editor's fields that are given. Dates and selects go through setValue (see webdriver.mjs). */
export async function fillEvidence(session, { title, method, date, body, status }) {
  if (title !== undefined) await session.type(await session.find("#title"), title);
  if (method !== undefined) await session.setValue(await session.find("#method"), method);
  if (date !== undefined) await session.setValue(await session.find("#activity-date"), date);
  if (body !== undefined) await session.type(await session.find("#body"), body);
  if (status !== undefined) await setStatus(session, status);
}

/** #status may be a select or a group of radios named/valued draft|submitted. */
export async function setStatus(session, status) {
  const el = await session.find("#status");
  const tag = (await el.tagName()).toLowerCase();
  if (tag === "select" || tag === "input") {
    if (tag === "input" && (await el.attribute("type")) === "checkbox") {
      if ((await el.isSelected()) !== (status === "submitted")) await el.click();
    } else {
      await session.setValue(el, status);
    }
    return;
  }
  const radio = await el.find(`input[value="${status}"]`);
  await radio.click();
}

/** On the sign-in (or lock) screen: chooses `username`, gives `password`, waits to be signed in as `name`. */
export async function signIn(session, username, name, password) {
  await session.waitFor("#sign-in-form", { timeout: 15_000 });
  await (await session.waitFor(`#user-${username}`)).click();
  await session.type(await session.find("#password"), password);
  await (await session.find("#sign-in")).click();
  await session.findByText("#signed-in-as", name, { timeout: 15_000 });
}

/** Locks the app ("Lock or switch user") and signs in as `username` (shown as `name`). */
export async function switchUser(session, username, name, password) {
  await (await session.find("#lock")).click();
  await signIn(session, username, name, password);
}

/** From the evidence list, the item titled `title`, then the criterion `ref` among its mappings. */
export async function openCriterion(session, title, ref) {
  await clickNav(session, "Evidence");
  const row = await session.findByText("#evidence-list [data-id]", title);
  await (await row.find("a")).click();
  await (await session.waitFor(`#mapped li[data-mapped="${ref}"] a`)).click();
  await session.findByText("h1", ref);
  await session.waitFor("#judgement");
}

/** On a criterion's page, as its assessor: judges it met, citing the first submitted item. */
export async function judgeMet(session, comment) {
  await tick(session, await session.waitFor("#judge-form input[data-cite]"));
  await (await session.find("#outcome-met")).click();
  await session.type(await session.find("#judge-comment"), comment);
  await (await session.find("#record-judgement")).click();
  await session.findByText("#judgement-message", "Recorded: met, signed.");
}

/**
 * Imports `file` from the Bundles page. The import's "open dialog" (EVIDENCE_E2E_SAVE_DIR, set by
 * run.sh) picks the newest .zip in the save folder, so the file is copied there, newest, and removed
 * once the import has ended (not left as the newest for a later import). Returns #bundle-imported.
 */
export async function importBundleFile(session, file) {
  const dir = process.env.EVIDENCE_E2E_SAVE_DIR;
  assert.ok(dir, "EVIDENCE_E2E_SAVE_DIR must be set in tauri-driver's environment (run through tests/e2e/run.sh)");
  const picked = join(dir, basename(file));
  await copyFile(file, picked);
  const now = new Date();
  await utimes(picked, now, now);
  try {
    await clickNav(session, "Bundles");
    await (await session.waitFor("#import-bundle")).click();
    return await session.waitFor("#bundle-imported", { timeout: 30_000 });
  } finally {
    await rm(picked, { force: true });
  }
}

/** The text of #error (empty when there is none). */
export async function errorText(session) {
  const found = await session.findAll("#error");
  return found.length ? (await found[0].text()).trim() : "";
}
