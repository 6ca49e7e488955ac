// The desktop app as a centre's desk account, through the centre service (issue 16): the app runs as
// the client's operating-system account, which cannot read a byte of the data directory, and works
// through the service's socket — as whoever signs in. Lena sees the item she recorded from the
// terminal and records another in the window, which the terminal then sees through the service; Lars,
// signed in on the same window, sees none of hers. Run by tests/service/run.sh (which starts the
// service as its own account and sets the variables below) through tests/e2e/run.sh.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

import { captureScreen, makePng, REPO, requireApp, stepper } from "../e2e/lib/app.mjs";
import { checkAccessible } from "../e2e/lib/axe.mjs";
import { clickNav, errorText, fillEvidence, isoDay, openNewEvidence } from "../e2e/lib/steps.mjs";
import { Session } from "../e2e/lib/webdriver.mjs";

const run = promisify(execFile);

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through tests/service/run.sh`);
  return value;
}
const PASSWORD = required("SERVICE_PASSWORD");
const SECRET = required("SERVICE_SECRET");
const CLIENT_USER = required("SERVICE_CLIENT_USER");
const CLIENT_CLI = required("SERVICE_CLIENT_CLI");
const DATA = required("SERVICE_DATA");
const PICK_FILE = required("SERVICE_PICK_FILE");
const RECORDED_IN_APP = "Street survey with the residents' panel";

describe("the app through the centre service, as another account", () => {
  let session;
  const step = stepper(it, () => session, "service-app");

  async function signIn(username, name) {
    await session.waitFor("#sign-in-form", { timeout: 20_000 });
    await session.type(await session.waitFor("#username"), username);
    await session.type(await session.find("#password"), PASSWORD);
    await (await session.find("#sign-in")).click();
    await session.findByText("#signed-in-as", name, { timeout: 15_000 });
  }

  async function evidenceTitles() {
    await clickNav(session, "Evidence");
    // Loaded when it shows a row or says it is empty.
    await session.waitFor("#evidence-list [data-id], main p.empty", { timeout: 15_000 });
    return session.execute("return [...document.querySelectorAll('#evidence-list [data-id]')].map((row) => row.textContent);");
  }

  before(async () => {
    session = await Session.start({ application: requireApp(), args: [] });
    await session.setTimeouts({ script: 30_000, implicit: 0 });
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("the window belongs to the desk account, which cannot read the data directory", async () => {
    await session.findByText("main h1", "Sign in to Evidence Tracker", { timeout: 30_000 });
    const { stdout } = await run("ps", ["-o", "user=", "-C", "evidence-tracker"]);
    const owners = stdout.split("\n").map((s) => s.trim()).filter(Boolean);
    assert.ok(owners.length > 0, "no evidence-tracker process is running");
    assert.deepEqual([...new Set(owners)], [CLIENT_USER], `the app runs as ${owners.join(", ")}`);
    await assert.rejects(run("runuser", ["-u", CLIENT_USER, "--", "ls", DATA]), "the desk account lists the data directory");
    assert.equal(await session.execute("return document.querySelectorAll('[name=user]').length;"), 0, "the window lists the accounts before anyone signs in");
  });

  step("Lena signs in and sees the item she recorded from the terminal", async () => {
    await signIn("lena", "Lena Learner");
    const titles = await evidenceTitles();
    assert.ok(titles.some((t) => t.includes(SECRET)), `her evidence list: ${JSON.stringify(titles)}`);
    await clickNav(session, "Dashboard");
    await session.waitFor("main h1", { timeout: 15_000 });
    await captureScreen(join(REPO, "docs", "screenshots", "centre-service-dashboard.png"));
    await checkAccessible(session, "the dashboard through the centre service");
  });

  step("she records an item in the window, and the terminal sees it through the service", async () => {
    await openNewEvidence(session);
    await fillEvidence(session, { title: RECORDED_IN_APP, method: "direct_observation", date: isoDay(2), body: "Forty residents answered." });
    await (await session.find("#save")).click();
    await session.waitUntil(() => session.execute("return window.__hasUnsavedChanges() === false;"), {
      timeout: 15_000,
      message: "the item saved through the service",
    });
    assert.equal(await errorText(session), "");
    const { stdout } = await run(CLIENT_CLI, ["lena", "--json", "search", "residents"]);
    assert.match(stdout, new RegExp(RECORDED_IN_APP.replace(/'/g, ".")), stdout);
  });

  step("a photo from the desk account's own files is attached through the service, with its thumbnail", async () => {
    // The desk account's file: the app reads it as that account and sends its content.
    const photo = makePng(120, 80);
    await writeFile(PICK_FILE, photo);
    await (await session.waitFor("#attach", { timeout: 10_000 })).click();
    const sha = createHash("sha256").update(photo).digest("hex");
    const shown = await session.waitUntil(
      () =>
        session.execute(
          `const section = document.querySelector('#attachments');
           const thumbs = [...(section?.querySelectorAll('img') ?? [])].filter((i) => i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/'));
           const shas = [...(section?.querySelectorAll('[data-sha256]') ?? [])].map((e) => e.dataset.sha256);
           return thumbs.length && shas.length ? shas : null;`,
        ),
      { timeout: 15_000, message: "the photo listed with a thumbnail" },
    );
    assert.deepEqual(shown, [sha], "the attachment row is the photo's content");
    assert.equal(await errorText(session), "");
    const hits = JSON.parse((await run(CLIENT_CLI, ["lena", "--json", "search", "residents"])).stdout);
    const id = hits[0]?.id ?? hits[0]?.evidence_id;
    assert.ok(id, `the search answered ${JSON.stringify(hits)}`);
    const item = (await run(CLIENT_CLI, ["lena", "--json", "show", id])).stdout;
    assert.match(item, new RegExp(sha), "the terminal sees the attachment through the service");
    await session.execute("document.querySelector('#attachments')?.scrollIntoView({block: 'center'});");
    await captureScreen(join(REPO, "docs", "screenshots", "centre-service-evidence.png"));
  });

  step("Lars, signed in on the same window, sees none of Lena's items", async () => {
    await (await session.find("#lock")).click();
    // Locked, the window still lists nobody: another person gives their own username.
    await session.findByText("main p", "give your username");
    assert.equal(await session.execute("return document.querySelectorAll('[name=user]').length;"), 0, "the lock screen lists the accounts");
    await signIn("lars", "Lars Learner");
    const titles = await evidenceTitles();
    assert.equal(titles.filter((t) => t.includes(SECRET) || t.includes("residents")).length, 0, JSON.stringify(titles));
  });
});
