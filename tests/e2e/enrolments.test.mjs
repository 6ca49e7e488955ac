// Changing what a learner works towards after the first run: ending an enrolment takes its criteria
// off the dashboard (the evidence stays), and enrolling again brings them back.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { clickButton, freshDataDir, saveArtifact, startApp, stepper, waitForDashboard } from "./lib/app.mjs";
import { chooseEnrolments, clickNav, createProfile } from "./lib/steps.mjs";

/** Opens Frameworks → "Change frameworks and units". */
async function openEnrolmentForm(session) {
  await clickNav(session, "Frameworks");
  await (await session.waitFor("#change-enrolments")).click();
  await session.waitFor("#enrol-form fieldset[data-framework]");
}

describe("changing enrolments", () => {
  let session;
  const step = stepper(it, () => session, "enrolments");

  before(async () => {
    session = await startApp(await freshDataDir("enrolments"));
  });
  after(async () => {
    await session?.quit().catch(() => {});
  });

  step("a learner enrolled on unit PWC and standard CLDSCCD15 has 31 gaps", async () => {
    assert.equal(await createProfile(session, "Lee Chen", { "NOCN-L3-CD": ["PWC"], "CD-NOS": ["CLDSCCD15"] }), 31);
  });

  step("unticking an enrolled framework says what saving will do; saving leaves the unit's 3 gaps", async () => {
    await openEnrolmentForm(session);
    const box = await session.find("#fw-CD-NOS");
    assert.equal(await box.isEnabled(), true, "an enrolled framework can be unticked");
    assert.equal((await session.findAll("[data-ending]")).length, 0, "no warning before anything is unticked");
    await chooseEnrolments(session, { "NOCN-L3-CD": ["PWC"] });
    const warning = await session.waitFor('[data-ending="CD-NOS"]');
    assert.match(await warning.text(), /ends the enrolment on CD-NOS.*Evidence and its mappings are kept/s);
    await session.execute("arguments[0].scrollIntoView({block: 'center'});", [warning]);
    await saveArtifact(session, "enrolments-ending");
    await clickButton(session, "Save enrolments");
    await session.findByText("[role=status]", "Enrolments saved.");
    await clickNav(session, "Dashboard");
    assert.equal(await waitForDashboard(session), 3);
    const refs = await session.execute("return [...document.querySelectorAll('li[data-ref]')].map((li) => li.dataset.ref);");
    assert.deepEqual(refs.filter((r) => r.startsWith("CD-NOS:")), [], "no CD-NOS criterion is listed as a gap");
  });

  step("enrolling on the standard again brings its 28 criteria back", async () => {
    await openEnrolmentForm(session);
    await chooseEnrolments(session, { "NOCN-L3-CD": ["PWC"], "CD-NOS": ["CLDSCCD15"] });
    await clickButton(session, "Save enrolments");
    await session.findByText("[role=status]", "Enrolments saved.");
    await clickNav(session, "Dashboard");
    assert.equal(await waitForDashboard(session), 31);
  });

  step("a personal laptop's learner adds a password; then the app can lock and asks for it", async () => {
    assert.equal((await session.findAll("#lock")).length, 0, "no lock without a password");
    await (await session.find("#add-password")).click();
    await session.type(await session.find("#own-password"), "my laptop password");
    await session.type(await session.find("#own-password-again"), "my laptop password");
    await (await session.find("#save-password")).click();
    await (await session.waitFor("#lock")).click();
    await session.waitFor("#sign-in-form");
    await session.type(await session.find("#password"), "my laptop password");
    await (await session.find("#sign-in")).click();
    await session.findByText("#signed-in-as", "Lee Chen", { timeout: 15_000 });
    assert.equal(await waitForDashboard(session), 31);
  });
});
