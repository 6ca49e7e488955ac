// Files dragged from another application onto the window, as a person drags them from a file manager:
// a small GTK drag source (lib/drag_source.py) on the same virtual display and the X pointer moved by
// xdotool, so the drop travels through X11 (XDND), GTK, Tauri's drag-drop event and the core. Dropped on
// a saved item's page the files are attached to that item; dropped anywhere else (the dashboard, an
// item not yet saved) nothing is attached and the window says what to do. A specification's text
// dropped on the framework loading page opens in its paste step.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";

import { E2E_DIR, freshDataDir, makePng, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { clickNav, createProfile, fillEvidence, isoDay, openNewEvidence } from "./lib/steps.mjs";

const run = promisify(execFile);
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
// Where the drag source sits on the 1280×800 display (over the app's side bar, bottom left), and
// where the files are dropped (the middle of the window).
const SOURCE = { x: 20, y: 640 };
const DROP_AT = { x: 760, y: 420 };

/** Starts the drag source offering `files`; resolves once its window is on screen. */
async function startDragSource(files) {
  const child = spawn("/usr/bin/python3", [join(E2E_DIR, "lib", "drag_source.py"), String(SOURCE.x), String(SOURCE.y), ...files], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const seen = [];
  const waiters = [];
  lines.on("line", (line) => {
    seen.push(line);
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = (word, ms = 10_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the drag source never said "${word}" (said: ${seen.join(", ")})`)), ms);
      const check = () => (seen.includes(word) ? (clearTimeout(timer), resolve()) : waiters.push(check));
      check();
    });
  child.on("exit", () => lines.close());
  await waitFor("ready");
  return { child, waitFor };
}

/** Presses the pointer on the drag source, moves it across the screen in small steps and lets go. */
async function dragToWindow() {
  const xdo = (...args) => run("xdotool", args.map(String));
  await xdo("mousemove", SOURCE.x + 80, SOURCE.y + 50);
  await xdo("mousedown", 1);
  const steps = 20;
  for (let i = 1; i <= steps; i++) {
    const x = Math.round(SOURCE.x + 80 + ((DROP_AT.x - SOURCE.x - 80) * i) / steps);
    const y = Math.round(SOURCE.y + 50 + ((DROP_AT.y - SOURCE.y - 50) * i) / steps);
    await xdo("mousemove", x, y);
    await new Promise((r) => setTimeout(r, 40));
  }
  await new Promise((r) => setTimeout(r, 300));
  await xdo("mouseup", 1);
}

/** Drags `files` from the drag source onto the window and waits until the source saw the drop end. */
async function dropFiles(files) {
  const source = await startDragSource(files);
  try {
    await dragToWindow();
    await source.waitFor("dropped");
  } finally {
    source.child.kill();
  }
}

/** The attachments listed on the open item's page: file name and content hash. */
function listedAttachments(session) {
  return session.execute(
    "return [...document.querySelectorAll('#attachments [data-sha256]')].map((e) => ({ sha: e.dataset.sha256, text: e.innerText }));",
  );
}

describe("dropping files on the window", () => {
  let session;
  let dataDir;
  let files;
  const step = stepper(it, () => session, "dragdrop");

  before(async () => {
    const work = await mkdtemp(join(process.env.E2E_TMP ?? tmpdir(), "evidence-e2e-drop-"));
    const png = makePng(64, 48);
    const notes = Buffer.from("Notes from the residents' meeting.\n");
    files = [
      { path: join(work, "residents-meeting.png"), bytes: png },
      { path: join(work, "meeting-notes.txt"), bytes: notes },
    ];
    for (const f of files) await writeFile(f.path, f.bytes);
    dataDir = await freshDataDir("dragdrop");
    session = await startApp(dataDir);
    await createProfile(session, "Dev Okafor", { "NOCN-L3-CD": ["PWC"] });
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("files dropped on the dashboard are not attached, and the window says where to drop them", async () => {
    await clickNav(session, "Dashboard");
    await waitForDashboard(session);
    await dropFiles(files.map((f) => f.path));
    const hint = await session.waitUntil(
      () => session.execute("const n = document.querySelector('[role=status] .notice'); return n ? n.innerText : null;"),
      { message: "a notice about where to drop files" },
    );
    assert.match(hint, /open a saved evidence item/i);
  });

  step("files dropped on a saved item's page are attached to it, with a thumbnail for the image", async () => {
    await openNewEvidence(session);
    await fillEvidence(session, { title: "Residents' meeting", method: "product_evidence", date: isoDay(2), body: "Minutes attached." });
    // Not saved yet: there is no item to attach to, and the window says so.
    await dropFiles(files.map((f) => f.path));
    await session.waitUntil(
      () => session.execute("const n = document.querySelector('[role=status] .notice'); return n && /Save this item first/.test(n.innerText);"),
      { message: "a notice to save the item first" },
    );
    await (await session.find("#save")).click();
    await session.waitFor("#attach", { timeout: 10_000 });
    assert.deepEqual(await listedAttachments(session), [], "no attachments yet (the earlier drops attached nothing)");

    await dropFiles(files.map((f) => f.path));
    const listed = await session.waitUntil(
      async () => {
        const rows = await listedAttachments(session);
        return rows.length === files.length ? rows : null;
      },
      { timeout: 15_000, message: "both dropped files listed" },
    );
    for (const f of files) {
      const row = listed.find((r) => r.sha === sha256(f.bytes));
      assert.ok(row, `${f.path} is attached with its own content`);
      assert.match(row.text, new RegExp(f.path.split("/").at(-1).replace(".", "\\.")), "listed under its file name");
      const blob = join(dataDir, "attachments", row.sha.slice(0, 2), row.sha);
      assert.equal((await stat(blob)).size, f.bytes.length, "the blob in the portfolio has the file's size");
    }
    await session.waitUntil(
      () => session.execute("return [...document.querySelectorAll('#attachments img')].some((i) => i.complete && i.naturalWidth === 64);"),
      { message: "the image's thumbnail" },
    );
  });

  step("a specification's text dropped on the framework loading page opens in the paste step", async () => {
    const spec = join(dataDir, "..", "spec-for-drop.txt");
    await writeFile(spec, "Unit 1: Running Community Meetings\n1. Understand how to run a meeting\n1.1 Describe the role of a chair.\n");
    await clickNav(session, "Frameworks");
    await (await session.waitFor("#load-framework")).click();
    await session.waitFor("#choose-framework-file");
    await dropFiles([spec]);
    const text = await session.waitFor("#spec-text", { timeout: 15_000 });
    assert.match(await text.property("value"), /^Unit 1: Running Community Meetings/);
    assert.equal(await (await session.find("#spec-source")).property("value"), "Copied from the specification text in spec-for-drop.txt");
  });
});
