// Carrying a portfolio between two computers in the real window: a learner saves a portfolio bundle
// from the Bundles page (its SHA-256 shown, and the same as `evidence bundle verify` finds), then a
// second computer — a fresh data directory — imports it from its welcome screen and opens the
// portfolio with the same gaps; importing it again changes nothing. Then both computers retitle the
// item and the centre also unmaps it and attaches a photo; the laptop imports the centre's bundle,
// sees the conflict (title and mappings to choose, the files shown and kept), and resolves it field by
// field: the centre's title and its removal of the mapping taken, the photo kept.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

import { freshDataDir, makePng, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { CLI } from "./lib/bench-data.mjs";
import { clickNav, createProfile, errorText, fillEvidence, openNewEvidence } from "./lib/steps.mjs";

const SAVE_DIR = process.env.EVIDENCE_E2E_SAVE_DIR;

/** Retitles the open item in the editor and saves it. */
async function retitle(session, title) {
  const field = await session.find("#title");
  await session.execute("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", [field]);
  await session.type(field, title);
  await (await session.find("#save")).click();
  await session.waitUntil(() => session.execute("return window.__hasUnsavedChanges() === false;"), { message: "saved" });
}

const REF = "CD-NOS:CLDSCCD15.PC1";

/** Whether the open item lists `ref` as mapped. */
async function isMapped(session, ref) {
  return session.execute(`return !!document.querySelector('#mapping #mapped li[data-mapped="${ref}"]');`);
}

/** Opens the portfolio's only item from the evidence list. */
async function openOnlyItem(session) {
  await clickNav(session, "Evidence");
  await (await session.waitFor("#evidence-list [data-id] a")).click();
  await session.waitFor("#title");
}

describe("portfolio bundles between two computers", () => {
  let session;
  let laptopDir;
  let centreDir;
  let sha256 = "";
  const step = stepper(it, () => session, "bundles");
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("the laptop: a learner with one saved item saves a portfolio bundle", async () => {
    assert.ok(SAVE_DIR, "EVIDENCE_E2E_SAVE_DIR must be set in tauri-driver's environment (run through tests/e2e/run.sh)");
    laptopDir = await freshDataDir("bundles-laptop");
    session = await startApp(laptopDir);
    assert.equal(await createProfile(session, "Noor Ali", { "NOCN-L3-CD": ["PWC"], "CD-NOS": ["CLDSCCD15"] }), 31);
    await openNewEvidence(session);
    await fillEvidence(session, { title: "Community garden meeting", method: "direct_observation", date: "2026-10-03", body: "I chaired it." });
    await (await session.find("#save")).click();
    await session.waitFor("#attach", { timeout: 10_000 });
    assert.equal(await errorText(session), "");
    const box = await session.waitFor(`#mapping input[type=checkbox][data-ref="${REF}"]`, { visible: false });
    await session.execute("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", [box]);
    await (await session.find("#map-selected")).click();
    await session.waitUntil(() => isMapped(session, REF), { message: `${REF} listed as mapped` });
    await clickNav(session, "Bundles");
    await session.waitFor("#export-bundle");
    await checkAccessible(session, "bundles");
    await (await session.find("#export-bundle")).click();
    const saved = await session.waitFor("#bundle-saved", { timeout: 30_000 });
    const today = new Date().toISOString().slice(0, 10);
    assert.match(await saved.text(), new RegExp(`Saved portfolio-noor-ali-${today}\\.zip`));
    sha256 = (await (await session.find("#bundle-sha256")).text()).trim();
    assert.match(sha256, /^[0-9a-f]{64}$/);
    await saveArtifact(session, "bundles-saved");
    const { stdout } = await promisify(execFile)(CLI, ["--json", "bundle", "verify", join(SAVE_DIR, `portfolio-noor-ali-${today}.zip`)]);
    const check = JSON.parse(stdout);
    assert.equal(check.sha256, sha256, "the file is the one the window names");
    assert.equal(check.items, 1);
    await session.quit();
    session = null;
  });

  step("the centre: a fresh computer imports it from the welcome screen and opens the portfolio", async () => {
    centreDir = await freshDataDir("bundles-centre");
    session = await startApp(centreDir);
    await clickNav(session, "Bundles");
    await (await session.waitFor("#import-bundle")).click();
    const done = await session.waitFor("#bundle-imported", { timeout: 30_000 });
    assert.match(await done.text(), /Imported Noor Ali \(new here\): 1 item\(s\) added/);
    await saveArtifact(session, "bundles-imported");
    await clickNav(session, "Dashboard");
    assert.equal(await waitForDashboard(session), 31, "the same 31 gaps (the item is a draft)");
    const items = await session.execute("return document.querySelector('#learner-switcher')?.selectedOptions?.[0]?.textContent ?? '';");
    assert.match(items, /Noor Ali/);
  });

  step("importing the same bundle again changes nothing", async () => {
    await clickNav(session, "Bundles");
    await (await session.waitFor("#import-bundle")).click();
    const done = await session.waitFor("#bundle-imported", { timeout: 30_000 });
    assert.equal(await done.attribute("data-unchanged"), "true");
    assert.match(await done.text(), /Nothing new/);
  });

  step("both computers retitle the item, the centre also unmaps it; the centre saves a bundle", async () => {
    await openOnlyItem(session);
    assert.ok(await isMapped(session, REF), "the mapping travelled");
    await retitle(session, "Community garden meeting (centre)");
    const unmap = await session.find(`#mapped li[data-mapped="${REF}"] button`);
    await session.execute("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", [unmap]);
    await session.waitUntil(async () => !(await isMapped(session, REF)), { message: `${REF} unmapped` });
    // A photo attached at the centre (with the command-line tool, on the same data directory).
    const item = (await session.execute("return location.hash;")).split("/").pop();
    const photo = join(centreDir, "garden.png");
    await writeFile(photo, makePng());
    await promisify(execFile)(CLI, ["--data-dir", centreDir, "attach", item, photo]);
    await clickNav(session, "Bundles");
    await (await session.waitFor("#export-bundle")).click();
    await session.waitFor("#bundle-saved", { timeout: 30_000 });
    await session.quit();
    session = await startApp(laptopDir);
    await openOnlyItem(session);
    await retitle(session, "Community garden meeting (laptop)");
  });

  step("the laptop imports it: the item is listed as changed on both, and resolved field by field", async () => {
    await clickNav(session, "Bundles");
    await (await session.waitFor("#import-bundle")).click();
    const conflict = await session.waitFor("#bundle-conflicts li[data-evidence]", { timeout: 30_000 });
    assert.match(await conflict.text(), /differs in title, criteria mapped/);
    await saveArtifact(session, "bundles-conflict-listed");
    await (await conflict.find("a")).click();
    const panel = await session.waitFor("#conflict");
    assert.match(await panel.text(), /This computer:\s*Community garden meeting \(laptop\)/);
    assert.match(await panel.text(), /The other computer:\s*Community garden meeting \(centre\)/);
    await checkAccessible(session, "conflict");
    assert.match(await panel.text(), /Criteria mapped\s*This computer:\s*CD-NOS:CLDSCCD15\.PC1\s*The other computer:\s*\(none\)/);
    assert.match(await panel.text(), /Files\s*This computer:\s*\(none\)\s*The other computer:\s*garden\.png \([0-9a-f]{64}\)\s*Files are never removed/);
    assert.equal((await session.findAll('input[name="conflict-attachments"]')).length, 0, "files are not a choice");
    await (await session.find('input[name="conflict-title"][value="remote"]')).click();
    await (await session.find('input[name="conflict-mappings"][value="remote"]')).click();
    await session.waitUntil(
      () => session.execute("return document.querySelectorAll('#conflict input[value=remote]:checked').length === 2;"),
      { message: "the other computer's title and mappings chosen" },
    );
    await saveArtifact(session, "bundles-conflict");
    await (await session.find("#resolve-conflict")).click();
    await session.waitFor("#conflict-resolved");
    assert.equal(await (await session.find("#title")).property("value"), "Community garden meeting (centre)");
    await session.waitUntil(async () => !(await isMapped(session, REF)), { message: "the centre's removal taken" });
    const files = await session.execute("return [...document.querySelectorAll('#attachments [data-sha256]')].map((e) => e.innerText);");
    assert.equal(files.length, 1, "the centre's photo kept");
    assert.match(files[0], /garden\.png/);
    assert.equal((await session.findAll("#conflict")).length, 0);
    await saveArtifact(session, "bundles-resolved");
  });
});
