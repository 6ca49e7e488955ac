// The administrator's idle time locks the app: with the lock set to one minute and nobody touching
// the window, the sign-in screen replaces the portfolio (the idle check runs every 15 s), and the
// core refuses work until someone signs in again. The computer is set up with the default, encrypted:
// locking keeps the portfolio open (its key in memory), so the sign-in screen offers the accounts.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { freshDataDir, startApp, stepper } from "./lib/app.mjs";

const PASSWORD = "idle password 1";

describe("locking after the idle time", () => {
  let session;
  const step = stepper(it, () => session, "idle-lock");

  before(async () => {
    session = await startApp(await freshDataDir("idle-lock"));
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("an administrator sets the lock to one minute", async () => {
    await (await session.waitFor("#setup-centre")).click();
    for (const [selector, text] of [
      ["#admin-name", "Ada Admin"],
      ["#admin-username", "ada"],
      ["#admin-password", PASSWORD],
      ["#admin-password-again", PASSWORD],
    ]) {
      await session.type(await session.find(selector), text);
    }
    await (await session.find("#centre-submit")).click();
    // Set up with the default: the portfolios encrypted from the start (nothing else to seal).
    await session.findByText("#encryption-state", "Encrypted.", { timeout: 30_000 });
    await session.setValue(await session.waitFor("#lock-minutes", { timeout: 15_000 }), "1");
    await (await session.find("#save-lock")).click();
    await session.findByText("#users-message", "locks after 1 minute without use");
  });

  step("left alone, the app locks within the minute plus one check, and signing in opens it again", async () => {
    const started = Date.now();
    await session.waitUntil(() => session.execute("return !!document.querySelector('#sign-in-form');"), {
      timeout: 100_000,
      interval: 2_000,
      message: "the sign-in screen after a minute of no use",
    });
    const waited = (Date.now() - started) / 1000;
    assert.ok(waited >= 50, `not locked before the minute was up (${waited} s)`);
    assert.equal(await session.execute("return document.querySelector('#signed-in-as');"), null, "nobody is shown as signed in");
    await (await session.find("#user-ada")).click();
    await session.type(await session.find("#password"), PASSWORD);
    await (await session.find("#sign-in")).click();
    await session.findByText("#signed-in-as", "Ada Admin", { timeout: 15_000 });
  });
});
