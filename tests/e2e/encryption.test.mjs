// Encryption at rest in the real app (issue 16): a centre's administrator encrypts the portfolios from
// the Users screen; the database file then reads as noise (`sqlite3`: "file is not a database"). The
// app started again cannot list who has accounts: it asks for a username and password, refuses a
// wrong one, and opens with a right one. Lena, who had never signed in since, signs in on the open
// app and from then on can open it herself after a restart.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

import { captureScreen, freshDataDir, REPO, startApp, stepper } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { CENTRE_PASSWORD, ITEM, prepareCentre } from "./lib/centre.mjs";
import { clickNav } from "./lib/steps.mjs";

const run = promisify(execFile);

describe("encrypting a centre's portfolios", () => {
  let session;
  let dataDir;
  const step = stepper(it, () => session, "encryption");

  async function signIn({ username, password, typed }) {
    if (typed) {
      await session.type(await session.waitFor("#username", { timeout: 20_000 }), username);
    } else {
      await (await session.waitFor(`#user-${username}`, { timeout: 20_000 })).click();
    }
    await session.type(await session.find("#password"), password);
    await (await session.find("#sign-in")).click();
  }

  async function restart() {
    await session.quit();
    session = await startApp(dataDir);
  }

  before(async () => {
    dataDir = await freshDataDir("encryption");
    await prepareCentre(dataDir);
    session = await startApp(dataDir);
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("the administrator encrypts from the Users screen", async () => {
    await signIn({ username: "ada", password: CENTRE_PASSWORD });
    await session.findByText("#signed-in-as", "Ada Admin", { timeout: 15_000 });
    await clickNav(session, "Users");
    await session.findByText("#encryption-state", "Not encrypted", { timeout: 15_000 });
    await session.type(await session.find("#encrypt-password"), "not my password");
    await (await session.find("#encrypt")).click();
    await session.findByText("[role=alert]", "not right", { timeout: 15_000 });
    await session.type(await session.find("#encrypt-password"), CENTRE_PASSWORD);
    await (await session.find("#encrypt")).click();
    const done = await session.findByText("#encryption-message", "Encrypted:", { timeout: 30_000 });
    const text = await done.text();
    assert.match(text, /asa, lena/, "the accounts not yet sealed are named");
    await session.findByText("#encryption-state", "Encrypted.");
    await session.execute("document.querySelector('#encryption').scrollIntoView();");
    await captureScreen(join(REPO, "docs", "screenshots", "encryption.png"));
    await checkAccessible(session, "the encryption panel");
  });

  step("the database file shows nothing: sqlite3 calls it not a database", async () => {
    const db = join(dataDir, "evidence.sqlite3");
    const said = await run("sqlite3", [db, "SELECT title FROM evidence;"]).then(
      ({ stdout, stderr }) => stdout + stderr,
      (err) => `${err.stdout ?? ""}${err.stderr ?? ""}`,
    );
    assert.match(said, /file is not a database/, said);
    const bytes = await readFile(db);
    assert.equal(bytes.includes(Buffer.from(ITEM)), false, "the item's title is in the file");
    const message = await (await session.find("#encryption-message")).text();
    assert.match(message, /\d+ attached files sealed/, message);
    const keyring = await readFile(join(dataDir, "keyring.json"), "utf8");
    assert.equal(keyring.includes("ada"), false, "the keyring names an account");
  });

  step("started again, the app asks for a username, refuses a wrong password and opens with the right one", async () => {
    await restart();
    await session.findByText("main h1", "Sign in to Evidence Tracker", { timeout: 20_000 });
    await session.findByText("main p", "nobody can read without them");
    assert.equal(await session.execute("return document.querySelectorAll('[name=user]').length;"), 0, "no account picker");
    await captureScreen(join(REPO, "docs", "screenshots", "encrypted-sign-in.png"));
    await checkAccessible(session, "the encrypted sign-in");
    await signIn({ username: "ada", password: "wrong password 9", typed: true });
    await session.findByText("[role=alert]", "not right", { timeout: 15_000 });
    await signIn({ username: "ada", password: CENTRE_PASSWORD, typed: true });
    await session.findByText("#signed-in-as", "Ada Admin", { timeout: 15_000 });
  });

  step("Lena signs in on the open app, and after a restart opens it herself", async () => {
    await (await session.find("#lock")).click();
    // Unlocked, the app knows its accounts again: the picker is back.
    await signIn({ username: "lena", password: CENTRE_PASSWORD });
    await session.findByText("#signed-in-as", "Lena Learner", { timeout: 15_000 });
    await restart();
    await signIn({ username: "lena", password: CENTRE_PASSWORD, typed: true });
    await session.findByText("#signed-in-as", "Lena Learner", { timeout: 15_000 });
  });
});
