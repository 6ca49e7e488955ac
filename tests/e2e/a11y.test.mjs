// Accessibility of each main screen, checked by axe-core inside the real app's webview: no violation
// of impact "serious" or "critical". Every violation found (of any impact) is printed.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { ARTIFACTS, clickButton, freshDataDir, openSamplePortfolio, runAxe, startApp, stepper } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { clickNav } from "./lib/steps.mjs";

const report = {};
const check = (session, screen) => checkAccessible(session, screen, report);

describe("accessibility (axe-core) of the main screens", () => {
  let session;
  const step = stepper(it, () => session, "a11y");

  before(async () => {
    session = await startApp(await freshDataDir("a11y"));
  });
  after(async () => {
    await session?.quit().catch(() => {});
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, "axe.json"), JSON.stringify(report, null, 2));
  });

  step("welcome", async () => {
    await session.findByText("button", "Explore a sample portfolio");
    await check(session, "welcome");
  });

  step("axe really runs in this webview (it finds a planted violation)", async () => {
    // Guards against a vacuous pass: the app's frozen prototypes or its CSP must not stop axe silently.
    await session.execute(
      `const d = document.createElement('div'); d.id = 'axe-canary';
       d.innerHTML = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">';
       document.body.appendChild(d);`,
    );
    try {
      const found = await runAxe(session);
      assert.ok(
        found.some((v) => v.id === "image-alt" && v.nodes.some((n) => n.html.includes("R0lGODlh"))),
        `axe reports the planted image without alt text (reported: ${found.map((v) => v.id).join(", ") || "nothing"})`,
      );
    } finally {
      await session.execute("document.getElementById('axe-canary')?.remove();");
    }
  });

  step("dashboard (sample portfolio)", async () => {
    await openSamplePortfolio(session);
    await session.waitUntil(() => session.execute("return document.querySelectorAll('li[data-ref]').length > 0;"), {
      message: "the gap list",
    });
    await check(session, "dashboard");
  });

  step("evidence list", async () => {
    await clickNav(session, "Evidence");
    await session.waitFor("#evidence-list [data-id]");
    await check(session, "evidence list");
  });

  step("evidence editor (an existing item)", async () => {
    const row = await session.waitFor("#evidence-list [data-id]");
    const link = (await row.findAll("a"))[0] ?? row;
    await link.click();
    await session.waitFor("#evidence-editor");
    await session.waitFor("#mapping", { visible: false });
    await session.waitUntil(async () => (await (await session.find("#preview")).text()).trim().length > 0, {
      message: "the preview",
    });
    await check(session, "evidence editor");
  });

  step("new evidence editor", async () => {
    await clickNav(session, "Evidence");
    await (await session.waitFor("#new-evidence")).click();
    await session.waitFor("#evidence-editor");
    await check(session, "new evidence editor");
  });

  step("coverage matrix", async () => {
    await clickNav(session, "Coverage matrix");
    await session.waitFor("#matrix");
    await check(session, "coverage matrix");
  });

  step("frameworks, changing enrolments with one about to end", async () => {
    await clickNav(session, "Frameworks");
    await (await session.waitFor("#change-enrolments")).click();
    const enrolled = await session.waitFor("#enrol-form input[type=checkbox]:checked:not([data-unit])");
    await enrolled.click();
    await session.waitFor("[data-ending]");
    await check(session, "frameworks (enrolment about to end)");
  });
});

describe("accessibility (axe-core) of the first-run forms", () => {
  let session;
  const step = stepper(it, () => session, "a11y-first-run");

  before(async () => {
    session = await startApp(await freshDataDir("a11y-first-run"));
  });
  after(async () => {
    await session?.quit().catch(() => {});
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, "axe.json"), JSON.stringify(report, null, 2));
  });

  step("profile form, with the empty-name problem shown", async () => {
    await clickButton(session, "Create my profile");
    await session.waitFor("#learner-name");
    await clickButton(session, "Continue");
    await session.waitFor("#learner-name[aria-invalid=true]");
    await check(session, "profile form (empty name refused)");
  });

  step("enrolment form", async () => {
    await session.type(await session.find("#learner-name"), "Axe Tester");
    await clickButton(session, "Continue");
    await session.waitFor("fieldset[data-framework] input[data-unit]");
    await check(session, "enrolment form");
  });
});
