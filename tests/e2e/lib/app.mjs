// Helpers shared by the end-to-end tests: where the app is, fresh data directories, starting the app,
// artefacts on failure, and the steps of the UI that several tests go through (first run, sample
// portfolio, navigation).

import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

import { Session } from "./webdriver.mjs";

export const E2E_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = resolve(E2E_DIR, "..", "..");
export const TARGET = resolve(REPO, "target");
export const ARTIFACTS = resolve(TARGET, "e2e-artifacts");

/** The app binary under test: $EVIDENCE_APP, else target/debug/evidence-tracker. */
export const APP = resolve(process.env.EVIDENCE_APP ?? join(TARGET, "debug", "evidence-tracker"));

export function requireApp() {
  if (!existsSync(APP)) {
    throw new Error(`the app binary ${APP} does not exist: build it (cd ui && npm ci && npm run build; cargo build -p evidence-app)`);
  }
  return APP;
}

/** A new empty directory for one portfolio. */
export async function freshDataDir(label) {
  return mkdtemp(join(process.env.E2E_TMP ?? tmpdir(), `evidence-e2e-${label}-`));
}

/**
 * Starts the app on `dataDir` and waits until the UI has rendered its first screen.
 * Returns the WebDriver session; call `session.quit()` to close the app.
 */
export async function startApp(dataDir, { waitForUi = true } = {}) {
  const session = await Session.start({ application: requireApp(), args: ["--data-dir", dataDir] });
  await session.setTimeouts({ script: 30_000, implicit: 0 });
  if (waitForUi) {
    try {
      await session.waitUntil(
        () => session.execute("return document.readyState === 'complete' && !!document.querySelector('main h1, #ready-panel');"),
        { timeout: 20_000, message: "the app's first screen" },
      );
    } catch (err) {
      // The caller never gets this session: close the app here, or it would hold tauri-driver's only slot.
      err.message += `\n    screenshot: ${await saveArtifact(session, "start-failed")}`;
      await session.quit().catch(() => {});
      throw err;
    }
  }
  return session;
}

/**
 * Writes a PNG of the virtual screen, read from the X server (ImageMagick's `import`): the window's
 * pixels as a person sees them. Not WebDriver's screenshot, which WebKitGTK never answers while an idle
 * page is painted without compositing (as the app paints; see src-tauri/app/src/rendering.rs).
 */
export async function captureScreen(path) {
  await promisify(execFile)("import", ["-window", "root", `png:${path}`], { timeout: 30_000 });
  return readFile(path);
}

/** Saves a screenshot of the window to target/e2e-artifacts/NAME.png (for failures and reports). */
export async function saveArtifact(session, name) {
  try {
    await mkdir(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, "_")}.png`);
    await captureScreen(path);
    const html = await session.source();
    await writeFile(path.replace(/\.png$/, ".html"), html);
    return path;
  } catch (err) {
    return `(no screenshot: ${err.message})`;
  }
}

/**
 * Sequential steps within one `describe`: a step after a failed one is skipped (its preconditions do
 * not hold), and a failing step leaves a screenshot and the page's HTML in target/e2e-artifacts.
 */
export function stepper(it, getSession, prefix) {
  let failed = null;
  let n = 0;
  return (name, fn, options = {}) => {
    const index = ++n;
    it(name, options, async (t) => {
      if (failed) {
        t.skip(`an earlier step failed: ${failed}`);
        return;
      }
      try {
        await fn(t);
      } catch (err) {
        failed = name;
        const session = getSession();
        if (session && !session.closed) {
          const where = await saveArtifact(session, `${prefix}-${String(index).padStart(2, "0")}-failed`);
          err.message += `\n    screenshot: ${where}`;
        }
        throw err;
      }
    });
  };
}

// ---- a real PNG, written without image tools ------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A width×height RGB PNG: a diagonal gradient with a dark band, so a thumbnail is recognisable. */
export function makePng(width = 96, height = 64) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const band = Math.abs(x - y * (width / height)) < 6;
      row[1 + x * 3] = band ? 20 : Math.round((255 * x) / width);
      row[2 + x * 3] = band ? 40 : 120;
      row[3 + x * 3] = band ? 60 : Math.round((255 * y) / height);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---- UI steps shared by several tests ---------------------------------------------------------------

/** Clicks the first visible button (or link) whose text includes `label` (case-insensitive). */
export async function clickButton(session, label, { timeout = 10_000 } = {}) {
  const el = await session.findByText("button, a[href], [role=button], [role=tab]", label, { timeout });
  await el.click();
  return el;
}

/** From the welcome screen: "Explore a sample portfolio", then wait for its dashboard. */
export async function openSamplePortfolio(session) {
  await clickButton(session, "Explore a sample portfolio", { timeout: 15_000 });
  await waitForDashboard(session);
}

/** Waits for the dashboard with its gap count rendered; returns the count. */
export async function waitForDashboard(session, { timeout = 15_000 } = {}) {
  await session.waitFor("#ready-panel", { timeout });
  const text = await session.waitForText("#gap-count", (t) => /^\s*\d+\s*$/.test(t), { timeout });
  return Number(text.trim());
}

/** Injects axe-core (from the UI's node_modules, else this project's) and runs it on the document. */
export async function runAxe(session) {
  const { readFile } = await import("node:fs/promises");
  const candidates = [
    join(E2E_DIR, "node_modules", "axe-core", "axe.min.js"),
    join(REPO, "ui", "node_modules", "axe-core", "axe.min.js"),
  ];
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`axe-core not found: run npm ci in tests/e2e (looked in ${candidates.join(", ")})`);
  const hasAxe = await session.execute("return typeof window.axe === 'object';");
  if (!hasAxe) {
    const source = await readFile(path, "utf8");
    await session.execute(`${source}\n;return typeof window.axe;`);
  }
  return session.executePromise(
    `const r = await window.axe.run(document, { resultTypes: ['violations'] });
     return r.violations.map((v) => ({
       id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
       nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })),
     }));`,
  );
}
