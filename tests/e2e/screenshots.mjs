// Screenshots of the real app window (1280×800) for the docs, from the sample portfolio:
// docs/screenshots/dashboard.png, evidence-editor.png, coverage-matrix.png; and from a centre's
// computer prepared with the `evidence` command (lib/centre.mjs): centre-keys.png (the Users page's
// Centres and their keys), signature-verified.png (a criterion judged met, its signature certified by
// the centre) and bundle-not-counted.png (a bundle from a learner's laptop whose "assessor" the centre
// never certified: the judgement kept, not counted).
//
//   node tests/e2e/screenshots.mjs
//
// Needs a WebDriver server (tauri-driver) on $WEBDRIVER_URL; when none answers, this script runs
// itself again through tests/e2e/run.sh, which starts Xvfb and tauri-driver and stops them after,
// under a British English locale (dates as dd/mm/yyyy).

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";

import { E2E_DIR, REPO, captureScreen, freshDataDir, openSamplePortfolio, startApp } from "./lib/app.mjs";
import { CENTRE_PASSWORD, ITEM, forgeOnLaptop, prepareCentre } from "./lib/centre.mjs";
import { clickNav, importBundleFile, judgeMet, openCriterion, signIn, switchUser } from "./lib/steps.mjs";

const OUT = join(REPO, "docs", "screenshots");
const WEBDRIVER_URL = process.env.WEBDRIVER_URL ?? "http://127.0.0.1:4444";

async function driverAnswers() {
  try {
    return (await fetch(`${WEBDRIVER_URL}/status`)).ok;
  } catch {
    return false;
  }
}

/** Waits until fonts, images and two animation frames have settled, so the shot shows this state. */
function settle(session) {
  return session.executePromise(`
    await document.fonts.ready;
    await Promise.all([...document.images].filter((i) => !i.complete).map((i) => new Promise((r) => { i.onload = i.onerror = r; })));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return true;`);
}

async function shoot(session, name) {
  await settle(session);
  await new Promise((r) => setTimeout(r, 250)); // a painted frame, not the previous one
  const path = join(OUT, name);
  const png = await captureScreen(path);
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  console.log(`saved ${path} (${width}×${height})`);
  return { path, width, height };
}

/** Starts the app on `dataDir` in a 1280×800 window. */
async function startWindow(dataDir) {
  const session = await startApp(dataDir);
  const rect = await session.windowRect();
  if (rect.width !== 1280 || rect.height !== 800) {
    await session.setWindowRect({ width: 1280, height: 800 }).catch(() => {});
  }
  return session;
}

/** Scrolls so that `css` is at the top of the window (less `margin` pixels of context above it). */
function scrollToTop(session, css, margin = 16) {
  return session.execute(
    "const el = document.querySelector(arguments[0]); window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - arguments[1]);",
    [css, margin],
  );
}

/** The centre's computer: its key, a verified signature, a forged bundle's judgement not counted. */
async function centreShots() {
  const centreDir = await freshDataDir("screenshots-centre");
  const centre = await prepareCentre(centreDir);
  const laptopDir = await freshDataDir("screenshots-laptop");
  const forged = join(laptopDir, "lena-from-her-laptop.zip");
  await forgeOnLaptop(centreDir, laptopDir, centre, forged);
  const session = await startWindow(centreDir);
  try {
    await signIn(session, "ada", "Ada Admin", CENTRE_PASSWORD);
    await clickNav(session, "Users");
    await session.waitFor("#centre-keys code[data-fingerprint]");
    await scrollToTop(session, "#centre-keys");
    await shoot(session, "centre-keys.png");

    await switchUser(session, "asa", "Asa Assessor", CENTRE_PASSWORD);
    await openCriterion(session, ITEM, "NOCN-L3-CD:PWC.1.1");
    await judgeMet(session, "The minutes show the shared aims the partners agreed.");
    await session.findByText("#judgements li[data-standing=true]", "certified by");
    await session.execute("document.activeElement?.blur();");
    // The signature at the bottom of the window, and as much of the page above it as fits.
    await session.execute(
      `const bottom = document.querySelector("#judgements").getBoundingClientRect().bottom + window.scrollY + 24;
       window.scrollTo(0, Math.max(0, bottom - window.innerHeight));`,
    );
    await shoot(session, "signature-verified.png");

    await switchUser(session, "lena", "Lena Learner", CENTRE_PASSWORD);
    await importBundleFile(session, forged);
    await session.waitFor("#bundle-not-counted li");
    await session.execute("document.activeElement?.blur(); window.scrollTo(0, 0);");
    await shoot(session, "bundle-not-counted.png");
  } finally {
    await session.quit().catch(() => {});
  }
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const session = await startWindow(await freshDataDir("screenshots"));
  try {
    await openSamplePortfolio(session);

    // Dashboard: the gap count and the gap list rendered.
    await session.waitUntil(() => session.execute("return document.querySelectorAll('li[data-ref]').length > 0;"), {
      message: "the dashboard's gap list",
    });
    await session.execute("window.scrollTo(0, 0);");
    await shoot(session, "dashboard.png");

    // Evidence editor: the sample's first item (E1, submitted, Markdown with bold and a list).
    await clickNav(session, "Evidence");
    await session.waitFor("#evidence-list [data-id]");
    const link = await session.execute(
      `const rows = [...document.querySelectorAll('#evidence-list [data-id]')];
       const first = rows.find((r) => /^E1\b/.test(r.textContent.trim())) || rows[rows.length - 1];
       return first.querySelector('a') || first;`,
    );
    await link.click();
    await session.waitFor("#evidence-editor");
    await session.waitFor("#mapping", { visible: false });
    await session.waitUntil(async () => (await (await session.find("#preview")).text()).trim().length > 0, {
      message: "the Markdown preview",
    });
    await session.waitUntil(
      () => session.execute("return document.querySelectorAll('#mapping #mapped li[data-mapped]').length > 0;"),
      { message: "the item's mappings listed" },
    );
    await session.execute("window.scrollTo(0, 0);");
    await shoot(session, "evidence-editor.png");

    // Coverage matrix.
    await clickNav(session, "Coverage matrix");
    await session.waitFor("#matrix");
    await session.waitUntil(() => session.execute("return document.querySelectorAll('#matrix td, #matrix [role=cell], #matrix [role=gridcell]').length > 0;"), {
      message: "the matrix's cells",
    });
    await session.execute("window.scrollTo(0, 0);");
    await shoot(session, "coverage-matrix.png");
  } finally {
    await session.quit().catch(() => {});
  }
  await centreShots();
}

/**
 * The environment for a British English desktop, so that date fields read 13/10/2026 as the learners
 * will see them (WebKitGTK formats <input type=date> by the process locale, not the page's lang).
 * The locale is compiled into target/e2e-locale when the system lacks it; without localedef the
 * shots keep the current locale.
 */
function britishLocale() {
  if (/^en_GB/.test(process.env.LC_ALL || process.env.LANG || "")) return {};
  const have = spawnSync("locale", ["-a"], { encoding: "utf8" });
  if (/^en_GB\.utf-?8$/im.test(have.stdout ?? "")) return { LANG: "en_GB.UTF-8", LC_ALL: "en_GB.UTF-8" };
  const dir = join(REPO, "target", "e2e-locale");
  if (!existsSync(join(dir, "en_GB.UTF-8"))) {
    mkdirSync(dir, { recursive: true });
    const made = spawnSync("localedef", ["-i", "en_GB", "-f", "UTF-8", join(dir, "en_GB.UTF-8")], { stdio: "ignore" });
    if (made.status !== 0 && !existsSync(join(dir, "en_GB.UTF-8"))) {
      console.warn("screenshots: no en_GB.UTF-8 locale (localedef failed); dates follow the current locale");
      return {};
    }
  }
  return { LOCPATH: dir, LANG: "en_GB.UTF-8", LC_ALL: "en_GB.UTF-8" };
}

if (!process.env.WEBDRIVER_URL && !(await driverAnswers())) {
  // No driver: run again inside run.sh (Xvfb + tauri-driver, cleaned up after), in British English.
  const result = spawnSync("bash", [join(E2E_DIR, "run.sh"), "--", process.execPath, join(E2E_DIR, "screenshots.mjs")], {
    stdio: "inherit",
    cwd: REPO,
    env: { ...process.env, ...britishLocale() },
  });
  process.exit(result.status ?? 1);
} else {
  await main();
}
