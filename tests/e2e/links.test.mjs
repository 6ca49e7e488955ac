// The window stays the app. A link in an evidence item (a learner can plant one saying "Session
// locked: enter your password") never turns the window into a web page: the shell refuses the
// navigation, the window shows the whole address and asks, and only "Open in browser" hands it to the
// system's opener (here a stand-in `xdg-open` on PATH that writes down what it was given, set up by
// run.sh). Navigations a page script might try (location, data: pages) are refused as well.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

import { freshDataDir, saveArtifact, startApp, stepper } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { createProfile, fillEvidence, isoDay, openNewEvidence } from "./lib/steps.mjs";

const OPENED = process.env.EVIDENCE_E2E_OPENED_LINKS;
const PLANTED = "https://evil.example/session-locked?user=assessor&next=%2Fsign-in";

const opened = async () => (await readFile(OPENED, "utf8").catch(() => "")).split("\n").filter(Boolean);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe("links in evidence", () => {
  let session;
  let appUrl;
  const step = stepper(it, () => session, "links");

  before(async () => {
    assert.ok(OPENED, "run.sh sets EVIDENCE_E2E_OPENED_LINKS (the stand-in xdg-open's log)");
    session = await startApp(await freshDataDir("links"));
    appUrl = await session.url();
    assert.match(appUrl, /^(tauri:\/\/localhost|https?:\/\/tauri\.localhost)/, appUrl);
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("an item's account holds a link that pretends to be a sign-in page", async () => {
    await createProfile(session, "Rae Link", { "NOCN-L3-CD": ["PWC"] });
    await openNewEvidence(session);
    await fillEvidence(session, {
      title: "Minutes with a link",
      date: isoDay(-1),
      body: `Agreed the plan. [Session locked: sign in again](${PLANTED})`,
    });
    await session.waitFor("#preview a");
  });

  step("clicking it asks first, showing the whole address, and the window stays on the app", async () => {
    const before = (await opened()).length;
    const here = await session.url();
    assert.ok(here.startsWith(appUrl), here);
    await (await session.find("#preview a")).click();
    await session.waitUntil(() => session.execute("return document.querySelector('#link-dialog')?.open === true;"), {
      message: "the confirmation dialog",
    });
    assert.equal((await (await session.find("#link-address")).text()).trim(), PLANTED);
    assert.equal(await session.url(), here, "the window did not navigate");
    await saveArtifact(session, "link-confirm");
    assert.equal(
      await session.execute("return document.activeElement && document.activeElement.id;"),
      "link-cancel",
      "the safe choice has the focus",
    );
    await checkAccessible(session, "the link confirmation");
    await (await session.find("#link-cancel")).click();
    await sleep(500);
    assert.equal((await opened()).length, before, "Cancel opens nothing");
    assert.ok(await session.find("#evidence-editor"), "the editor is still there, with its text");
    assert.equal(await session.execute("return document.querySelector('#link-dialog').open;"), false);
  });

  step("Open in browser hands exactly that address to the system browser", async () => {
    const here = await session.url();
    await (await session.find("#preview a")).click();
    await session.waitUntil(() => session.execute("return document.querySelector('#link-dialog')?.open === true;"));
    await (await session.find("#link-open")).click();
    await session.waitUntil(async () => (await opened()).includes(PLANTED), {
      timeout: 10_000,
      message: "the address reaching xdg-open",
    });
    await session.waitUntil(() => session.execute("return document.querySelector('#link-dialog').open === false;"), {
      message: "the dialog closing once the browser was asked",
    });
    assert.equal(await session.url(), here, "the window is still the app");
    assert.deepEqual((await opened()).filter((a) => a === PLANTED).length, 1, "opened once");
  });

  step("navigations a script might try are refused too, and data: pages are not even offered", async () => {
    const count = (await opened()).length;
    const here = await session.url();
    await session.execute("window.location.href = 'data:text/html,<h1>Session locked</h1>'; return true;");
    await sleep(800);
    assert.equal(await session.url(), here);
    assert.equal(await session.execute("return document.querySelector('#link-dialog').open;"), false, "no dialog for data:");
    await session.execute("window.location.assign('https://evil.example/other'); return true;");
    await session.waitUntil(() => session.execute("return document.querySelector('#link-dialog')?.open === true;"));
    assert.equal(await session.url(), here);
    assert.equal((await (await session.find("#link-address")).text()).trim(), "https://evil.example/other");
    await (await session.find("#link-cancel")).click();
    assert.equal((await opened()).length, count, "nothing opened without the click on Open");
    assert.ok(await session.find("#evidence-editor"));
  });
});
