// A centre's computer prepared with the `evidence` command (docs/cli.md), for the tests and
// screenshots of signed judgements (issue 14): an administrator, an assessor assigned to a learner,
// the learner's submitted item mapped to unit PWC's three criteria, and the assessor's signed "not yet
// met" on one of them. And a forgery of the kind a learner could make: her portfolio taken to her
// personal laptop, where she is the administrator and makes an "assessor" of her own, who judges that
// criterion met; the laptop's bundle is what the centre is then asked to import.

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { join } from "node:path";

import { CLI } from "./bench-data.mjs";

const run = promisify(execFile);

export const CENTRE_PASSWORD = "centre password 1";
export const LAPTOP_PASSWORD = "laptop password 1";
export const UNIT = ["NOCN-L3-CD:PWC.1.1", "NOCN-L3-CD:PWC.2.1", "NOCN-L3-CD:PWC.3.1"];
/** Judged "not yet met" at the centre, and "met" by the laptop's own "assessor". */
export const FORGED_REF = "NOCN-L3-CD:PWC.2.1";
export const ITEM = "Residents' forum minutes";

/**
 * Runs `evidence --data-dir DIR --json ARGS…` as `user` (with `password`), returning its JSON.
 * `newPassword` goes in EVIDENCE_NEW_PASSWORD for the commands that set one.
 */
export async function evidence(dataDir, args, { user, password, newPassword } = {}) {
  if (!existsSync(CLI)) throw new Error(`the evidence command ${CLI} is not built: cargo build -p evidence-cli`);
  const env = { ...process.env };
  delete env.EVIDENCE_USER;
  delete env.EVIDENCE_PASSWORD;
  delete env.EVIDENCE_NEW_PASSWORD;
  if (user) env.EVIDENCE_USER = user;
  if (password) env.EVIDENCE_PASSWORD = password;
  if (newPassword) env.EVIDENCE_NEW_PASSWORD = newPassword;
  try {
    const { stdout } = await run(CLI, ["--data-dir", dataDir, "--json", ...args], { env, maxBuffer: 16 << 20 });
    return JSON.parse(stdout);
  } catch (err) {
    err.message += `\n    evidence ${args.join(" ")}: ${err.stderr ?? ""}`;
    throw err;
  }
}

/**
 * Sets `dataDir` (empty) up as a centre: Ada Admin (`ada`), Asa Assessor (`asa`, assigned to Lena as
 * her assessor) and Lena Learner (`lena`), all with CENTRE_PASSWORD; Lena enrolled on NOCN-L3-CD
 * unit PWC, with one submitted item mapped to its three criteria, which Asa has judged "not yet met"
 * for FORGED_REF. Returns `{learnerId, itemId, fingerprint}` (the centre key's fingerprint).
 */
export async function prepareCentre(dataDir) {
  const as = (user) => ({ user, password: CENTRE_PASSWORD });
  await evidence(dataDir, ["setup", "centre", "--username", "ada", "--name", "Ada Admin"], { newPassword: CENTRE_PASSWORD });
  const admin = { ...as("ada"), newPassword: CENTRE_PASSWORD };
  await evidence(dataDir, ["users", "add", "--username", "asa", "--name", "Asa Assessor", "--role", "assessor"], admin);
  const lena = await evidence(dataDir, ["users", "add", "--username", "lena", "--name", "Lena Learner", "--role", "learner"], admin);
  const learnerId = lena.learner_id;
  await evidence(dataDir, ["assign", "asa", "--learner", learnerId, "--as", "assessor"], as("ada"));
  const [own] = (await evidence(dataDir, ["centres", "list"], as("ada"))).filter((k) => k.own);
  await evidence(dataDir, ["enrol", "--learner", learnerId, "NOCN-L3-CD", "--unit", "PWC"], as("lena"));
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const item = await evidence(
    dataDir,
    ["add", "--learner", learnerId, "--title", ITEM, "--method", "product_evidence", "--date", yesterday, "--body", "Minutes of the forum.", "--submit"],
    as("lena"),
  );
  await evidence(dataDir, ["map", item.id, ...UNIT], as("lena"));
  await evidence(
    dataDir,
    ["judge", "--learner", learnerId, FORGED_REF, "--not-yet-met", "--evidence", item.id, "--comment", "Say more about tokenism."],
    as("asa"),
  );
  return { learnerId, itemId: item.id, fingerprint: own.fingerprint };
}

/**
 * The forgery: Lena's portfolio, saved at the centre, is imported on a fresh "personal laptop"
 * (`laptopDir`), where she sets the laptop up as her own, gives herself a password, adds an assessor
 * also called "Asa Assessor", assigns him to herself, and has him judge FORGED_REF met — a judgement
 * signed with a real key, but one no centre certified. Saves the laptop's bundle as `out`; returns
 * what the laptop's judgement is (a Judgement of docs/cli.md).
 */
export async function forgeOnLaptop(centreDir, laptopDir, { learnerId, itemId }, out) {
  const fromCentre = join(centreDir, "saved-at-the-centre.zip");
  await evidence(centreDir, ["bundle", "export", "--learner", learnerId, "--out", fromCentre], { user: "lena", password: CENTRE_PASSWORD });
  await evidence(laptopDir, ["bundle", "import", fromCentre]);
  const me = (await evidence(laptopDir, ["setup", "personal", learnerId])).username;
  await evidence(laptopDir, ["users", "password", me], { newPassword: LAPTOP_PASSWORD });
  const mine = { user: me, password: LAPTOP_PASSWORD, newPassword: LAPTOP_PASSWORD };
  await evidence(laptopDir, ["users", "add", "--username", "asa", "--name", "Asa Assessor", "--role", "assessor"], mine);
  await evidence(laptopDir, ["assign", "asa", "--learner", learnerId, "--as", "assessor"], mine);
  const judged = await evidence(
    laptopDir,
    ["judge", "--learner", learnerId, FORGED_REF, "--met", "--evidence", itemId, "--comment", "Met."],
    { user: "asa", password: LAPTOP_PASSWORD },
  );
  await evidence(laptopDir, ["bundle", "export", "--learner", learnerId, "--out", out], mine);
  return judged;
}
