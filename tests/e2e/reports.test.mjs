// Witness testimony and report export, in the real window: a learner records a witness testimony
// (the editor asks who the witness is only for testimony), the submission check asks for the missing
// witness details and names the rule, and the dashboard's Export menu saves a coverage PDF whose text
// lists every criterion; the file is the one the save dialog would have named.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

import { ARTIFACTS, freshDataDir, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { clickNav, createProfile, errorText, fillEvidence, openNewEvidence } from "./lib/steps.mjs";

const SAVE_DIR = process.env.EVIDENCE_E2E_SAVE_DIR;
const TESTIMONY_REF = "CD-NOS:CLDSCCD15.PC1";

describe("witness testimony and report export", () => {
  let session;
  const step = stepper(it, () => session, "reports");

  before(async () => {
    assert.ok(SAVE_DIR, "EVIDENCE_E2E_SAVE_DIR must be set in tauri-driver's environment (run through tests/e2e/run.sh)");
    session = await startApp(await freshDataDir("reports"));
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("a learner enrolled on unit PWC and standard CLDSCCD15 has 31 gaps", async () => {
    assert.equal(await createProfile(session, "Ria Patel", { "NOCN-L3-CD": ["PWC"], "CD-NOS": ["CLDSCCD15"] }), 31);
  });

  step("the editor asks who the witness is only for a witness testimony", async () => {
    await openNewEvidence(session);
    await fillEvidence(session, { title: "Testimony from the housing officer", method: "reflective_account" });
    assert.equal((await session.findAll("#witness-name")).length, 0, "no witness fields for a reflective account");
    await fillEvidence(session, { method: "witness_testimony", date: "2026-10-20", body: "Ria chaired the residents' forum." });
    await session.waitFor("#witness-name");
    await session.type(await session.find("#witness-name"), "Jo Okafor");
    await session.type(await session.find("#witness-relationship"), "partner organisation worker");
    await fillEvidence(session, { status: "submitted" });
    await session.execute("document.querySelector('#witness-name').scrollIntoView({block: 'center'});");
    await saveArtifact(session, "reports-witness-fields");
    await (await session.find("#save")).click();
    await session.waitFor("#attach", { timeout: 10_000 });
    assert.equal(await errorText(session), "", "no error after saving");
    const box = await session.waitFor(`#mapping input[type=checkbox][data-ref="${TESTIMONY_REF}"]`, { visible: false });
    await session.execute("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", [box]);
    await (await session.find("#map-selected")).click();
    await session.waitUntil(
      () => session.execute(`return !!document.querySelector('#mapping #mapped li[data-mapped="${TESTIMONY_REF}"]');`),
      { message: `${TESTIMONY_REF} listed as mapped` },
    );
  });

  step("the submission check asks for the witness's role (reliable)", async () => {
    await clickNav(session, "Dashboard");
    await waitForDashboard(session);
    const blocker = await session.waitFor('#submission-check li[data-blocker="witness_incomplete"]');
    assert.equal(await blocker.attribute("data-rule"), "reliable");
    assert.match(await blocker.text(), /Testimony from the housing officer/);
    assert.match(await blocker.text(), /role/);
  });

  step("the criterion page names the methods the framework accepts for a performance criterion", async () => {
    await session.execute(`location.hash = "#/criterion/${TESTIMONY_REF}";`);
    const accepted = await session.waitFor("#accepted-methods");
    assert.match(await accepted.text(), /Accepted methods:.*Direct observation.*Witness testimony/is);
    const source = await session.execute("return document.querySelector('#accepted-methods-source')?.textContent ?? '';");
    assert.match(source, /not part of the CLDSCCD15 standard's text and not verified/, "the shipped rule says it is a default");
    await session.execute("arguments[0].scrollIntoView({block: 'center'});", [accepted]);
    await saveArtifact(session, "reports-accepted-methods");
    await clickNav(session, "Dashboard");
    await waitForDashboard(session);
  });

  step("Export ▾ → coverage report → PDF → Save… writes the file and says where", async () => {
    const toggle = await session.find("#export-toggle");
    assert.equal(await toggle.attribute("aria-expanded"), "false");
    await toggle.click();
    await session.waitFor("#export-panel");
    assert.equal(await toggle.attribute("aria-expanded"), "true");
    const offered = await session.execute(
      "return [...document.querySelectorAll('input[name=export-kind]')].map((i) => i.value);",
    );
    assert.deepEqual(offered.slice(0, 3), ["coverage", "evidence-record", "units"]);
    await (await session.find('input[name=export-kind][value="coverage"]')).click();
    await (await session.find('input[name=export-format][value="pdf"]')).click();
    await checkAccessible(session, "export menu");
    await saveArtifact(session, "reports-export-menu");
    await (await session.find("#export-save")).click();
    const done = await session.waitFor("#export-done", { timeout: 30_000 });
    const text = await done.text();
    const today = new Date().toISOString().slice(0, 10);
    const expected = `coverage-ria-patel-${today}.pdf`;
    assert.match(text, new RegExp(`Saved ${expected.replace(/\./g, "\\.")} \\(\\d+ KB\\) in `), text);
    await saveArtifact(session, "reports-exported");

    const files = await readdir(SAVE_DIR);
    assert.ok(files.includes(expected), `${expected} in ${files.join(", ")}`);
    const pdf = join(SAVE_DIR, expected);
    const bytes = await readFile(pdf);
    assert.equal(bytes.subarray(0, 5).toString(), "%PDF-");
    assert.ok((await stat(pdf)).size < 2_000_000, "fonts embedded as subsets, not whole");
    const { stdout: raw } = await promisify(execFile)("pdftotext", ["-layout", pdf, "-"]);
    const stdout = raw.replace(/\s+/g, " ");
    for (const code of ["PWC.1.1", "PWC.2.1", "PWC.3.1", "CLDSCCD15.PC1", "CLDSCCD15.PC10", "CLDSCCD15.K18"]) {
      assert.ok(stdout.includes(code), `${code} in the PDF's text`);
    }
    assert.match(stdout, /Ria Patel/);
    assert.match(stdout, /witness: Jo Okafor/);
    assert.match(stdout, /Page 1 of \d/);
    assert.match(stdout, /unverified/i, "the unverified NOCN text is labelled");
    // Its pages as a person sees them, kept with the other screenshots.
    const pages = Number(stdout.match(/Page 1 of (\d+)/)[1]);
    await promisify(execFile)("pdftoppm", ["-r", "60", "-png", pdf, join(ARTIFACTS, "reports-coverage-pdf")]);
    const rendered = await readdir(ARTIFACTS);
    for (let n = 1; n <= pages; n++) assert.ok(rendered.includes(`reports-coverage-pdf-${n}.png`), `page ${n} rendered`);
  });

  step("Escape closes the menu and gives focus back to its button", async () => {
    await session.execute(
      "document.querySelector('#export-panel').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));",
    );
    await session.waitUntil(() => session.execute("return !document.querySelector('#export-panel');"), {
      message: "the export panel closed",
    });
    assert.equal(await session.execute("return document.activeElement?.id;"), "export-toggle");
  });
});
