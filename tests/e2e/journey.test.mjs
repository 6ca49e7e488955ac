// A new learner's journey through the real app, in a fresh portfolio: first run, profile, enrolment,
// an evidence item written in Markdown, a file attached, two criteria mapped, submitted; then the app
// is closed and opened again on the same data directory, and everything is still there.
// Also: untrusted Markdown stays inert, and invalid input shows the core's message.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { basename, join } from "node:path";

import { freshDataDir, makePng, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { clickNav, createProfile, errorText, fillEvidence, isoDay, openNewEvidence, tick } from "./lib/steps.mjs";

const PICK = process.env.EVIDENCE_E2E_PICK_FILE;
const LEARNER = "Asha Patel";
const TITLE = "Partnership meeting with the tenants' association";
const BODY = "# Meeting\n\n**Agreed** three priorities for the community garden.";
const REFS = ["NOCN-L3-CD:PWC.1.1", "CD-NOS:CLDSCCD15.PC3"];
// NOCN-L3-CD unit PWC has 3 criteria, CD-NOS standard CLDSCCD15 has 28: every one a gap at first.
const ALL_GAPS = 31;

/** Whether any process still runs the app on `dataDir` (read from /proc; nothing is killed). */
async function appRunningOn(dataDir) {
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0");
      if (argv.some((a) => a.endsWith("evidence-tracker")) && argv.includes(dataDir)) return true;
    } catch {
      // Gone meanwhile.
    }
  }
  return false;
}

/** The references currently listed as gaps on the dashboard. */
function gapRefs(session) {
  return session.execute("return [...document.querySelectorAll('li[data-ref]')].map((li) => li.dataset.ref);");
}

/** The attachment rows of the open editor: file names shown, and thumbnail images. */
function attachmentState(session, name) {
  return session.execute(
    `const name = arguments[0];
     const section = document.querySelector('#attachments') || document.querySelector('main') || document;
     const text = section.innerText || '';
     const imgs = [...section.querySelectorAll('img')].filter((i) => i.complete && i.naturalWidth > 0);
     return {
       named: text.includes(name),
       shas: [...section.querySelectorAll('[data-sha256]')].map((e) => e.dataset.sha256),
       thumbnails: imgs.map((i) => ({ src: i.src.slice(0, 30), alt: i.alt, w: i.naturalWidth, h: i.naturalHeight })),
     };`,
    [name],
  );
}

/** The refs listed as mapped in the editor's #mapping section (#mapped li[data-mapped]). */
function mappedRefs(session) {
  return session.execute("return [...document.querySelectorAll('#mapping #mapped li[data-mapped]')].map((li) => li.dataset.mapped);");
}

describe("a new learner's journey", () => {
  let session;
  let dataDir;
  let itemId;
  const step = stepper(it, () => session, "journey");

  before(async () => {
    assert.ok(PICK, "EVIDENCE_E2E_PICK_FILE must be set in tauri-driver's environment (run through tests/e2e/run.sh)");
    await writeFile(PICK, makePng(96, 64));
    dataDir = await freshDataDir("journey");
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("first run on an empty data directory shows the welcome screen", async () => {
    session = await startApp(dataDir);
    const heading = await session.waitFor("h1");
    assert.match(await heading.text(), /welcome/i);
    await session.findByText("button", "Explore a sample portfolio");
    await saveArtifact(session, "journey-welcome");
  });

  step("creating a profile and enrolling on NOCN-L3-CD unit PWC and CD-NOS CLDSCCD15 leads to the dashboard", async () => {
    const gaps = await createProfile(session, LEARNER, { "NOCN-L3-CD": ["PWC"], "CD-NOS": ["CLDSCCD15"] });
    assert.equal(gaps, ALL_GAPS, "#gap-count on a new portfolio");
    const refs = await gapRefs(session);
    for (const ref of REFS) assert.ok(refs.includes(ref), `${ref} is listed as a gap (listed: ${refs.length})`);
  });

  step("a new evidence item's Markdown shows as formatted text in the live preview", async () => {
    await openNewEvidence(session);
    await fillEvidence(session, { title: TITLE, method: "reflective_account", date: isoDay(3), body: BODY });
    assert.equal(await (await session.find("#method")).property("value"), "reflective_account");
    assert.equal(await (await session.find("#activity-date")).property("value"), isoDay(3));
    const html = await session.waitUntil(
      async () => {
        const h = await (await session.find("#preview")).property("innerHTML");
        return /<h1[^>]*>\s*Meeting\s*<\/h1>/.test(h) && /<strong>Agreed<\/strong>/.test(h) ? h : null;
      },
      { message: "#preview to show <h1>Meeting</h1> and <strong>Agreed</strong>" },
    );
    assert.ok(html);
    assert.equal(await session.execute("return window.__hasUnsavedChanges();"), true, "unsaved changes before saving");
    await saveArtifact(session, "journey-preview");
  });

  step("saving the item keeps it and offers attachments and versions", async () => {
    await (await session.find("#save")).click();
    await session.waitFor("#attach", { timeout: 10_000 });
    await session.waitFor("#drop-zone", { visible: false });
    await session.waitFor("#versions", { visible: false });
    assert.equal(await errorText(session), "", "no error after saving");
    await session.waitUntil(() => session.execute("return window.__hasUnsavedChanges() === false;"), {
      message: "no unsaved changes after saving",
    });
    itemId = await session.execute(
      `const m = location.hash.match(/#\\/evidence\\/([^/]+)$/);
       return m && m[1] !== 'new' ? decodeURIComponent(m[1]) : (document.querySelector('#evidence-editor')?.dataset.id || null);`,
    );
    assert.match(itemId ?? "", /^[0-9a-f-]{36}$/, "the editor's address names the saved item's id");
  });

  step("attaching a file (the picked PNG) lists it with a thumbnail", async () => {
    await (await session.find("#attach")).click();
    const state = await session.waitUntil(
      async () => {
        const s = await attachmentState(session, basename(PICK));
        return s.named && s.thumbnails.length > 0 ? s : null;
      },
      { timeout: 10_000, message: `${basename(PICK)} listed with a thumbnail image` },
    );
    assert.ok(
      state.thumbnails.some((t) => t.src.startsWith("data:image/") && t.w > 0 && Math.abs(t.w / t.h - 1.5) < 0.05),
      `a data: thumbnail with the 96×64 PNG's proportions (saw ${JSON.stringify(state.thumbnails)})`,
    );
    assert.equal(await errorText(session), "", "no error after attaching");
    // The file is stored in the portfolio under its SHA-256, and the row names that blob.
    const sha = createHash("sha256").update(await readFile(PICK)).digest("hex");
    assert.deepEqual(state.shas, [sha], "the attachment row is the picked file's content");
    assert.ok((await stat(join(dataDir, "attachments", sha.slice(0, 2), sha))).size > 0, "the blob is in the portfolio");
    await session.execute("document.querySelector('#attachments, #attach').scrollIntoView({block: 'start'});");
    await saveArtifact(session, "journey-attached");
  });

  step("mapping the item to NOCN-L3-CD:PWC.1.1 and CD-NOS:CLDSCCD15.PC3", async () => {
    await session.waitFor("#mapping", { visible: false });
    for (const ref of REFS) {
      const box = await session.waitFor(`#mapping input[type=checkbox][data-ref="${ref}"]`, { visible: false });
      await session.execute("arguments[0].scrollIntoView({block: 'center'});", [box]);
      await tick(session, box);
    }
    await (await session.find("#map-selected")).click();
    const mapped = await session.waitUntil(
      async () => {
        const m = await mappedRefs(session);
        return REFS.every((r) => m.includes(r)) ? m : null;
      },
      { message: "both criteria listed as mapped" },
    );
    assert.equal(mapped.length, 2);
    const alerts = await session.execute(
      "return [...document.querySelectorAll('#mapping [role=alert]')].map((a) => a.textContent.trim()).filter(Boolean);",
    );
    assert.deepEqual(alerts, [], "no error in the mapping section");
    await session.execute("document.querySelector('#mapping').scrollIntoView({block: 'start'});");
    await saveArtifact(session, "journey-mapped");
  });

  step("submitting the item (status submitted, save) closes both gaps: 29 left", async () => {
    await fillEvidence(session, { status: "submitted" });
    await (await session.find("#save")).click();
    await session.waitUntil(() => session.execute("return window.__hasUnsavedChanges() === false;"), {
      message: "the submitted item saved",
    });
    assert.equal(await errorText(session), "");
    await clickNav(session, "Dashboard");
    await session.waitForText("#gap-count", String(ALL_GAPS - 2), { timeout: 10_000 });
    const refs = await gapRefs(session);
    for (const ref of REFS) assert.ok(!refs.includes(ref), `${ref} is no longer a gap`);
    assert.ok(refs.includes("NOCN-L3-CD:PWC.2.1") && refs.includes("CD-NOS:CLDSCCD15.PC1"), "other criteria are still gaps");
    assert.equal(refs.length, ALL_GAPS - 2, "the gap list has as many entries as #gap-count says");
    await saveArtifact(session, "journey-dashboard-29");
  });

  step("ending the session closes the app", async () => {
    await session.quit();
    const closed = await (async () => {
      for (let i = 0; i < 100; i++) {
        if (!(await appRunningOn(dataDir))) return true;
        await new Promise((r) => setTimeout(r, 100));
      }
      return false;
    })();
    assert.ok(closed, "the app process ended");
    assert.ok((await stat(`${dataDir}/evidence.sqlite3`)).size > 0);
  });

  step("reopened on the same data directory: learner, item, attachment and mappings are still there", async () => {
    session = await startApp(dataDir);
    const gaps = await waitForDashboard(session);
    assert.equal(gaps, ALL_GAPS - 2, "#gap-count after a restart");
    const learner = await session.execute(
      "const s = document.querySelector('#learner-switcher'); return s ? s.selectedOptions[0]?.textContent.trim() : document.body.innerText;",
    );
    assert.ok(learner.includes(LEARNER), `the learner ${LEARNER} is open (saw ${JSON.stringify(learner.slice(0, 80))})`);

    await clickNav(session, "Evidence");
    const row = await session.waitFor(`#evidence-list [data-id="${itemId}"]`);
    assert.ok((await row.text()).includes(TITLE), "the item is listed with its title");
    const rows = await session.findAll("#evidence-list [data-id]");
    assert.equal(rows.length, 1, "exactly one evidence item");
    const link = (await row.findAll("a"))[0] ?? row;
    await link.click();
    await session.waitFor("#evidence-editor");
    await session.waitUntil(async () => (await (await session.find("#title")).property("value")) === TITLE, {
      message: "the item's title in the editor",
    });
    await session.waitUntil(
      async () => {
        const s = await attachmentState(session, basename(PICK));
        return s.named && s.thumbnails.length > 0;
      },
      { message: "the attachment with its thumbnail" },
    );
    const mapped = await session.waitUntil(
      async () => {
        const m = await mappedRefs(session);
        return REFS.every((r) => m.includes(r)) ? m : null;
      },
      { message: "both mappings" },
    );
    assert.equal(mapped.length, 2, `exactly the two mappings (saw ${mapped.join(", ")})`);
    const preview = await (await session.find("#preview")).property("innerHTML");
    assert.match(preview, /<strong>Agreed<\/strong>/);
    const status = await session.execute(
      "const s = document.querySelector('#status'); return s.value ?? s.querySelector('input:checked')?.value;",
    );
    assert.equal(status, "submitted");
    await session.execute("document.querySelector('#attachments, #attach').scrollIntoView({block: 'start'});");
    await saveArtifact(session, "journey-reopened-item");
  });
});

describe("untrusted Markdown and invalid input", () => {
  let session;
  let dataDir;
  const step = stepper(it, () => session, "guards");
  const HOSTILE = '# Notes\n\n<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">\n\n[link](javascript:window.__pwned=3)';

  before(async () => {
    dataDir = await freshDataDir("guards");
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("a profile to work in", async () => {
    session = await startApp(dataDir);
    assert.equal(await createProfile(session, "Sam Reid", { "NOCN-L3-CD": ["PWC"] }), 3);
  });

  step("a body with <script> and an onerror handler previews inert", async () => {
    await openNewEvidence(session);
    await fillEvidence(session, { title: "Hostile body", method: "other", date: isoDay(1), body: HOSTILE });
    await session.waitUntil(async () => /Notes/.test(await (await session.find("#preview")).text()), {
      message: "the preview to render",
    });
    await new Promise((r) => setTimeout(r, 500)); // time for a broken image's onerror to fire, were it there
    const facts = await session.execute(
      `const p = document.querySelector('#preview');
       return {
         pwned: typeof window.__pwned,
         scripts: p.querySelectorAll('script').length,
         handlers: [...p.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
         jsLinks: [...p.querySelectorAll('a[href]')].filter((a) => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
         html: p.innerHTML,
       };`,
    );
    assert.equal(facts.pwned, "undefined", "window.__pwned is not set");
    assert.equal(facts.scripts, 0, `no <script> in the preview: ${facts.html}`);
    assert.equal(facts.handlers, 0, `no on* attributes in the preview: ${facts.html}`);
    assert.equal(facts.jsLinks, 0, `no javascript: links in the preview: ${facts.html}`);
  });

  step("saved and opened again from the list, the hostile body is still inert", async () => {
    await (await session.find("#save")).click();
    await session.waitFor("#attach");
    await clickNav(session, "Evidence");
    const row = await session.findByText("#evidence-list [data-id]", "Hostile body");
    await (await row.find("a")).click();
    await session.waitFor("#evidence-editor");
    // The stored item's HTML comes from the core (body_html), not from the live preview.
    await session.waitUntil(async () => /Notes/.test(await (await session.find("#preview")).text()), {
      message: "the stored item's preview",
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await session.execute("return typeof window.__pwned;"), "undefined");
    assert.equal(
      await session.execute("return document.querySelectorAll('#preview script, #preview [onerror], #preview a[href^=javascript]').length;"),
      0,
    );
    await saveArtifact(session, "guards-hostile-body");
  });

  step("an empty title is refused with a message, and nothing is saved", async () => {
    await openNewEvidence(session);
    await fillEvidence(session, { title: "   ", method: "reflective_account", date: isoDay(0), body: "Something" });
    await (await session.find("#save")).click();
    // The editor checks this itself (before asking the core): any visible alert naming the title.
    const message = await session.waitUntil(
      () =>
        session.execute(
          "return [...document.querySelectorAll('#evidence-editor [role=alert]')].map((a) => a.textContent.trim()).filter(Boolean).join(' | ');",
        ),
      { message: "an alert in the editor" },
    );
    assert.match(message, /title/i);
    assert.equal(await session.execute("return location.hash;"), "#/evidence/new", "nothing was saved");
  });

  step("a title with a control character shows the core's message in #error", async () => {
    // Typed through the value setter: a typed Tab would move the focus instead.
    await session.setValue(await session.find("#title"), "Tab\there");
    await (await session.find("#save")).click();
    const message = await session.waitUntil(async () => (await errorText(session)) || null, {
      message: "the core's message in #error",
    });
    assert.match(message, /evidence title contains a control character \(U\+0009\)/i);
    assert.equal(await (await session.find("#error")).attribute("role"), "alert");
    assert.equal(await session.execute("return location.hash;"), "#/evidence/new", "nothing was saved");
  });

  step("a future activity date shows the core's message in #error", async () => {
    const future = isoDay(-30);
    await fillEvidence(session, { title: "From the future", date: future });
    await (await session.find("#save")).click();
    const message = await session.waitUntil(
      async () => {
        const t = await errorText(session);
        return /future/i.test(t) ? t : null;
      },
      { message: "the future-date message in #error" },
    );
    assert.match(message, new RegExp(`activity date ${future} is in the future`, "i"));
    await saveArtifact(session, "guards-future-date");
    assert.equal(await session.execute("return location.hash;"), "#/evidence/new", "nothing was saved");
  });
});
