// Issue 14, "signatures only their signer can make", in the real window of a centre's computer
// (prepared with the `evidence` command: lib/centre.mjs). The administrator's Users page shows the
// centre's key; the assessor judges a criterion met and its page shows who signed, with which key,
// certified by the centre, and that it verifies. Then the learner brings in a bundle from her personal
// laptop, where she made an "assessor" of her own who judged a criterion met: the Bundles page lists
// that judgement as not counted with its reason, and the criterion, its standing judgement and the
// portfolio's gaps are as they were.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";

import { freshDataDir, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { checkAccessible } from "./lib/axe.mjs";
import { CENTRE_PASSWORD, FORGED_REF, ITEM, evidence, forgeOnLaptop, prepareCentre } from "./lib/centre.mjs";
import { clickNav, importBundleFile, judgeMet, openCriterion, signIn, switchUser } from "./lib/steps.mjs";

const SAVE_DIR = process.env.EVIDENCE_E2E_SAVE_DIR;
const JUDGED_REF = "NOCN-L3-CD:PWC.1.1";

/** The criterion page's status badge, e.g. "Not yet met". */
async function criterionStatus(session) {
  return (await session.waitForText("p.status .badge", (t) => t.trim().length > 0)).trim();
}

/** The learner's gaps and standing judgements, as the `evidence` command reads them at the centre. */
async function recorded(centreDir, learnerId) {
  const as = { user: "asa", password: CENTRE_PASSWORD };
  const gaps = await evidence(centreDir, ["gaps", "--learner", learnerId], as);
  const judgements = await evidence(centreDir, ["judgements", "--learner", learnerId], as);
  return {
    gaps: gaps.gaps.map((g) => `${g.ref}:${g.status}`),
    totals: gaps.totals,
    standing: judgements.filter((j) => j.standing).map((j) => `${j.ref}:${j.outcome}:${j.id}`).sort(),
    judgements,
  };
}

describe("signatures only their signer can make", () => {
  let session;
  let centreDir;
  let centre;
  let forgedBundle;
  let forged;
  const step = stepper(it, () => session, "signatures");

  before(async () => {
    assert.ok(SAVE_DIR, "EVIDENCE_E2E_SAVE_DIR must be set in tauri-driver's environment (run through tests/e2e/run.sh)");
    centreDir = await freshDataDir("signatures-centre");
    centre = await prepareCentre(centreDir);
    const laptopDir = await freshDataDir("signatures-laptop");
    forgedBundle = join(laptopDir, "lena-from-her-laptop.zip");
    forged = await forgeOnLaptop(centreDir, laptopDir, centre, forgedBundle);
    assert.equal(forged.outcome, "met", "on her laptop, her own assessor judged it met");
    assert.match(forged.signature.key_id, /^ed25519:[0-9a-f]{32}$/, "signed with a real key");
    assert.equal(forged.signature.certified_by, null, "a key no centre certified");
    session = await startApp(centreDir);
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("the administrator's Users page shows this centre's key and its fingerprint", async () => {
    await signIn(session, "ada", "Ada Admin", CENTRE_PASSWORD);
    await clickNav(session, "Users");
    const own = await session.waitFor("#centre-keys #own-centre-key code[data-fingerprint]");
    assert.equal(await own.attribute("data-fingerprint"), centre.fingerprint, "the fingerprint `evidence centres list` gives");
    assert.match(await (await session.find("#own-centre-key")).text(), new RegExp(`This centre: Ada Admin's centre\\s+Fingerprint .*\\s*${centre.fingerprint}`));
    assert.match(await (await session.find("#no-other-centres")).text(), /No other centre is known here/);
    await checkAccessible(session, "users page with the centre keys");
    await saveArtifact(session, "signatures-centre-keys");
  });

  step("an assessor's judgement shows its verified signer", async () => {
    await switchUser(session, "asa", "Asa Assessor", CENTRE_PASSWORD);
    await openCriterion(session, ITEM, JUDGED_REF);
    assert.equal(await criterionStatus(session), "Evidenced, not yet assessed");
    // The assessor reads the links but is not offered to change them (the core would refuse).
    const offered = await session.execute(
      "return { unlink: document.querySelectorAll('#criterion-evidence button').length, link: !!document.querySelector('form.link') };",
    );
    assert.deepEqual(offered, { unlink: 0, link: false });
    await judgeMet(session, "The minutes show shared aims agreed.");
    const li = await session.waitFor("#judgements li[data-outcome=met]");
    assert.equal(await li.attribute("data-counted"), "true");
    assert.equal(await li.attribute("data-standing"), "true");
    await session.waitUntil(async () => (await criterionStatus(session)) === "Met", { message: "the criterion shown as met" });

    // The signature as the core recorded it, and as the page words it.
    const [judged] = (await recorded(centreDir, centre.learnerId)).judgements.filter((j) => j.ref === JUDGED_REF);
    const sig = judged.signature;
    assert.match(sig.key_id, /^ed25519:[0-9a-f]{32}$/);
    assert.equal(sig.certified_by, "Ada Admin's centre");
    assert.equal(sig.matches, true);
    const note = await li.find(".signature");
    assert.equal(await note.attribute("data-signature"), sig.id);
    assert.equal(await note.attribute("data-matches"), "true");
    assert.equal(await note.attribute("data-counted"), "true");
    const key = await note.find(".key");
    assert.equal(await key.attribute("data-key"), sig.key_id);
    assert.equal(await key.attribute("title"), `Signed with the signing key ${sig.key_id}`);
    const text = (await li.text()).replace(/\s+/g, " ");
    assert.match(text, /^Met — Asa Assessor, .*“The minutes show shared aims agreed\.” Relied on E1 \(version 1\)\./);
    const shown =
      `Signed by Asa Assessor, .+ \\(${sig.content_hash.slice(0, 12)}…\\) ` +
      `with key ${sig.key_id.slice(8, 20)}…, certified by Ada Admin's centre — still matches$`;
    assert.match(text, new RegExp(shown), text);
    await checkAccessible(session, "criterion with a verified signature");
    await saveArtifact(session, "signatures-verified");
  });

  step("importing a forged bundle shows the refusal and changes nothing", async () => {
    const before = await recorded(centreDir, centre.learnerId);
    assert.deepEqual(before.gaps, [`${FORGED_REF}:not_yet_met`], "one gap: the criterion judged not yet met");
    await switchUser(session, "lena", "Lena Learner", CENTRE_PASSWORD);
    assert.equal(await waitForDashboard(session), 1);

    const done = await importBundleFile(session, forgedBundle);
    assert.match(await done.text(), /Imported Lena Learner: 0 item\(s\) added, .* 1 assessment\(s\), 1 signature\(s\)\./);
    const refusal = await session.waitFor("#bundle-not-counted");
    assert.equal(await refusal.attribute("role"), "alert");
    assert.match(await refusal.text(), /Kept but not counted — these signed records did not verify:/);
    const listed = await session.execute(
      "return [...document.querySelectorAll('#bundle-not-counted li')].map((li) => [li.dataset.subject, li.textContent.trim()]);",
    );
    assert.deepEqual(listed, [
      [
        `judgement:${forged.id}`,
        `judgement by Asa Assessor: no centre this computer trusts has certified the key ${forged.signature.key_id}`,
      ],
    ]);
    await checkAccessible(session, "bundle import with a judgement not counted");
    await saveArtifact(session, "signatures-not-counted");

    // Nothing counts that did not verify: the same gaps, standing judgements and totals.
    const after = await recorded(centreDir, centre.learnerId);
    assert.deepEqual(after.gaps, before.gaps);
    assert.deepEqual(after.standing, before.standing);
    assert.deepEqual(after.totals, before.totals);
    const kept = after.judgements.find((j) => j.id === forged.id);
    assert.ok(kept, "the forged judgement is kept");
    assert.equal(kept.counted, false);
    assert.equal(kept.standing, false);
    assert.match(kept.signature.not_counted, /^no centre this computer trusts has certified the key/);

    // And in the window: the dashboard's gaps, and the criterion still not yet met, the forgery shown
    // beside the standing judgement as unverified.
    await clickNav(session, "Dashboard");
    assert.equal(await waitForDashboard(session), 1, "the same one gap");
    await openCriterion(session, ITEM, FORGED_REF);
    assert.equal(await criterionStatus(session), "Not yet met");
    assert.equal((await session.findAll("#criterion-evidence button")).length, 1, "its learner may unlink her item");
    const shown = await session.execute(
      `return [...document.querySelectorAll('#judgements li')].map((li) => ({
         id: li.dataset.judgement, outcome: li.dataset.outcome, standing: li.dataset.standing, counted: li.dataset.counted,
         text: li.textContent.replace(/\\s+/g, ' ').trim() }));`,
    );
    const fake = shown.find((j) => j.id === forged.id);
    assert.deepEqual([fake.outcome, fake.standing, fake.counted], ["met", "false", "false"]);
    assert.match(fake.text, /^Met \(unverified, not counted\) — Asa Assessor,/);
    assert.match(fake.text, /— unverified, not counted: no centre this computer trusts has certified the key ed25519:[0-9a-f]{32}$/);
    const standing = shown.filter((j) => j.standing === "true");
    assert.deepEqual(standing.map((j) => j.outcome), ["not_yet_met"]);
    assert.match(standing[0].text, /certified by Ada Admin's centre — still matches$/);
  });

  step("an administrator disables the assessor: she signs in no more, and what she signed still verifies", async () => {
    await switchUser(session, "ada", "Ada Admin", CENTRE_PASSWORD);
    await clickNav(session, "Users");
    const row = 'tr[data-username="asa"]';
    assert.equal((await session.findAll('tr[data-username="ada"] button[data-action]')).length, 0, "no button to disable oneself");
    await (await session.waitFor(`${row} button[data-action=disable]`)).click();
    await session.findByText("#users-message", "Asa Assessor is disabled: they cannot sign in, and their key signs nothing more.");
    await session.waitFor(`${row} button[data-action=enable]`);
    assert.match(await (await session.find(row)).text(), /disabled/);
    await checkAccessible(session, "users page with a disabled account");

    // The core refuses her sign-in, whichever way she tries; her judgement still verifies.
    await assert.rejects(
      evidence(centreDir, ["users", "whoami"], { user: "asa", password: CENTRE_PASSWORD }),
      /sign_in_failed|could not sign in|username or password/i,
    );
    const asAdmin = { user: "ada", password: CENTRE_PASSWORD };
    const audit = await evidence(centreDir, ["audit", "verify"], asAdmin);
    assert.equal(audit.intact, true, JSON.stringify(audit.problems));
    const [user] = (await evidence(centreDir, ["users", "list"], asAdmin)).filter((u) => u.username === "asa");
    assert.equal(user.disabled, true);
  });
});
