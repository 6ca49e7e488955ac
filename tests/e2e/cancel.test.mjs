// Cancelling long work in the real window, on the benchmark portfolio (300 criteria, 2,000 items)
// with four 48 MiB videos attached, so that each job legitimately takes seconds: its coverage PDF runs
// to hundreds of pages, its bundle carries 200 MB.
//
// - Export menu → coverage PDF: a progress bar with a labelled Cancel button, which the keyboard is
//   on; other commands (the dashboard's coverage) are answered while it runs; Cancel says
//   "Cancelled — nothing was saved." and no file is written.
// - Bundles → Save bundle…: cancelled while the videos are copied, no bundle and no temporary file.
// - A fresh computer imports that portfolio's bundle (made with the `evidence` command) and cancels
//   while it is checked: "Cancelled — nothing was imported.", the data directory as it was.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { freshDataDir, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { buildBenchPortfolio, CLI } from "./lib/bench-data.mjs";
import { Keys } from "./lib/webdriver.mjs";
import { clickNav } from "./lib/steps.mjs";

const SAVE_DIR = process.env.EVIDENCE_E2E_SAVE_DIR;

const VIDEOS = 4;
const VIDEO_BYTES = 48 * 1024 * 1024;
/** The bundle of the portfolio, made beforehand; the import's "open dialog" picks the newest .zip. */
const SOURCE_BUNDLE = "cancel-source-portfolio.zip";

const run = promisify(execFile);
const cli = async (dataDir, ...args) =>
  JSON.parse((await run(CLI, ["--data-dir", dataDir, "--json", ...args], { maxBuffer: 16 << 20 })).stdout);
const listing = async (dir = SAVE_DIR) => (await readdir(dir)).sort();

describe("cancelling long work", () => {
  let session;
  let data;
  const step = stepper(it, () => session, "cancel");

  before(async () => {
    assert.ok(SAVE_DIR, "EVIDENCE_E2E_SAVE_DIR must be set in tauri-driver's environment (run through tests/e2e/run.sh)");
    const dataDir = await freshDataDir("cancel");
    const work = await mkdtemp(join(process.env.E2E_TMP ?? tmpdir(), "evidence-e2e-cancelwork-"));
    data = await buildBenchPortfolio(dataDir, work);
    assert.equal(data.items, 2000);
    const [item] = await cli(dataDir, "list", "--learner", data.learnerId);
    for (let n = 1; n <= VIDEOS; n++) {
      const video = join(work, `forum-${n}.mp4`);
      await writeFile(video, randomBytes(VIDEO_BYTES));
      await cli(dataDir, "attach", item.id, video);
    }
    await cli(dataDir, "bundle", "export", "--learner", data.learnerId, "--out", join(SAVE_DIR, SOURCE_BUNDLE));
    session = await startApp(dataDir, { waitForUi: false });
    await waitForDashboard(session, { timeout: 30_000 });
  });
  after(async () => {
    await session?.quit().catch(() => {});
    // Not left as the newest bundle for a later test's "open dialog".
    if (SAVE_DIR) await rm(join(SAVE_DIR, SOURCE_BUNDLE), { force: true });
  });

  step("a coverage PDF of 2,000 items shows its progress and a Cancel button the keyboard is on", async () => {
    const files = await listing();
    await (await session.find("#export-toggle")).click();
    await session.waitFor("#export-panel");
    await (await session.find('input[name=export-kind][value="coverage"]')).click();
    await (await session.find('input[name=export-format][value="pdf"]')).click();
    await (await session.find("#export-save")).click();
    const cancel = await session.waitFor("#export-cancel");
    assert.equal(await cancel.attribute("aria-label"), "Cancel the export");
    assert.equal((await cancel.text()).trim(), "Cancel");
    await session.waitUntil(() => session.execute("return document.activeElement?.id === 'export-cancel';"), {
      message: "focus on the Cancel button (Save… is disabled while the export runs)",
    });
    // The PDF is being typeset: its pages are being counted.
    await session.waitForText("#export-stage", (t) => /Laying out page|Writing page/.test(t), { timeout: 60_000 });
    assert.equal(await session.execute("return !!document.querySelector('#export-progress');"), true);
    await saveArtifact(session, "cancel-export-running");
    await checkAccessible(session, "export menu while an export runs");
    assert.equal(await session.execute("return !!document.querySelector('#export-cancel');"), true, "still running");
    assert.deepEqual(await listing(), files, "nothing written yet");
  });

  step("while it runs, other commands are answered (the dashboard's coverage)", async () => {
    const learner = data.learnerId;
    const answered = await session.executeAsync(
      `const [learner, done] = arguments;
       const t0 = performance.now();
       window.__TAURI_INTERNALS__.invoke("coverage", { learner })
         .then((c) => done({ criteria: c.totals.criteria, ms: performance.now() - t0,
                             running: !!document.querySelector('#export-cancel') }),
               (e) => done({ error: String(e?.message ?? e) }));`,
      [learner],
    );
    assert.equal(answered.error, undefined, answered.error);
    assert.equal(answered.criteria, data.criteria);
    assert.equal(answered.running, true, `the export was still running when coverage answered (${Math.round(answered.ms)} ms)`);
  });

  step("Cancel (pressed from the keyboard) stops it: 'Cancelled — nothing was saved.' and no file", async () => {
    const files = await listing();
    await (await session.find("#export-cancel")).sendKeys(Keys.ENTER);
    const stopped = await session.waitFor("#export-stopped", { timeout: 30_000 });
    assert.equal((await stopped.text()).trim(), "Cancelled — nothing was saved.");
    assert.equal(await session.execute("return !!document.querySelector('#export-cancel');"), false, "the button is gone");
    assert.equal(await session.execute("return document.querySelector('#export-panel [role=alert]')?.textContent ?? '';"), "");
    assert.equal(await session.execute("return document.activeElement?.id;"), "export-save", "focus back on Save…");
    await saveArtifact(session, "cancel-export-cancelled");
    // No report, and no temporary file beside where it would have gone, even a moment later.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await listing(), files);
    assert.ok(!(await listing()).some((f) => f.startsWith("coverage-benchmark-learner")), "no coverage PDF");
  });

  step("a bundle cancelled from the Bundles page while its files are copied leaves no bundle", async () => {
    await session.execute(
      "document.querySelector('#export-panel')?.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));",
    );
    await clickNav(session, "Bundles");
    await session.waitFor("#export-bundle");
    const files = await listing();
    await (await session.find("#export-bundle")).click();
    const cancel = await session.waitFor("#bundle-cancel");
    assert.equal(await cancel.attribute("aria-label"), "Cancel saving the bundle");
    await session.waitForText("#bundle-stage", (t) => t.startsWith("Adding file"), { timeout: 60_000 });
    await saveArtifact(session, "cancel-bundle-running");
    await cancel.click();
    const stopped = await session.waitFor("#bundle-stopped", { timeout: 30_000 });
    assert.equal((await stopped.text()).trim(), "Cancelled — nothing was saved.");
    assert.equal(await session.execute("return document.activeElement?.id;"), "export-bundle", "focus back on Save bundle…");
    await saveArtifact(session, "cancel-bundle-cancelled");
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(await listing(), files, "no bundle and no temporary file");
  });

  step("a fresh computer cancels importing it while it is checked: nothing is imported", async () => {
    await session.quit();
    session = null;
    const fresh = await freshDataDir("cancel-import");
    session = await startApp(fresh);
    await clickNav(session, "Bundles");
    await session.waitFor("#import-bundle");
    const before = await listing(fresh);
    await (await session.find("#import-bundle")).click();
    const cancel = await session.waitFor("#bundle-cancel");
    assert.equal(await cancel.attribute("aria-label"), "Cancel the import");
    await session.waitForText("#bundle-stage", (t) => t.startsWith("Checking the bundle"), { timeout: 60_000 });
    await cancel.sendKeys(Keys.ENTER);
    const stopped = await session.waitFor("#bundle-stopped", { timeout: 30_000 });
    assert.equal((await stopped.text()).trim(), "Cancelled — nothing was imported.");
    assert.equal(await session.execute("return !!document.querySelector('#bundle-imported');"), false);
    await saveArtifact(session, "cancel-import-cancelled");
    // No staging folder or attachment left, and no learner.
    const after = (await listing(fresh)).filter((f) => !/-(wal|shm|journal)$/.test(f));
    assert.deepEqual(after, before.filter((f) => !/-(wal|shm|journal)$/.test(f)), "the data directory holds what it did");
    assert.deepEqual(await cli(fresh, "learners", "list"), [], "no learner imported");
  });
});
