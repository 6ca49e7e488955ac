// Carrying a portfolio between two computers in the real window: a learner saves a portfolio bundle
// from the Bundles page (its SHA-256 shown, and the same as `evidence bundle verify` finds), then a
// second computer — a fresh data directory — imports it from its welcome screen and opens the
// portfolio with the same gaps; importing it again changes nothing. Then both computers retitle the
// item; the laptop imports the centre's bundle, sees the conflict, and resolves it field by field.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

import { freshDataDir, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
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

/** Opens the portfolio's only item from the evidence list. */
async function openOnlyItem(session) {
  await clickNav(session, "Evidence");
  await (await session.waitFor("#evidence-list [data-id] a")).click();
  await session.waitFor("#title");
}

describe("portfolio bundles between two computers", () => {
  let session;
  let laptopDir;
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
    session = await startApp(await freshDataDir("bundles-centre"));
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

  step("both computers retitle the item; the centre saves a bundle", async () => {
    await openOnlyItem(session);
    await retitle(session, "Community garden meeting (centre)");
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
    assert.match(await conflict.text(), /differs in title/);
    await saveArtifact(session, "bundles-conflict-listed");
    await (await conflict.find("a")).click();
    const panel = await session.waitFor("#conflict");
    assert.match(await panel.text(), /This computer:\s*Community garden meeting \(laptop\)/);
    assert.match(await panel.text(), /The other computer:\s*Community garden meeting \(centre\)/);
    await checkAccessible(session, "conflict");
    await (await session.find('input[name="conflict-title"][value="remote"]')).click();
    await saveArtifact(session, "bundles-conflict");
    await (await session.find("#resolve-conflict")).click();
    await session.waitFor("#conflict-resolved");
    assert.equal(await (await session.find("#title")).property("value"), "Community garden meeting (centre)");
    assert.equal((await session.findAll("#conflict")).length, 0);
    await saveArtifact(session, "bundles-resolved");
  });
});
