// Generated from the Rust types by `cargo test -p evidence-app bindings` (ts-rs). Do not edit.

export type ErrorCode = "not_found" | "invalid_input" | "invalid_framework" | "conflict" | "ambiguous" | "attachment_unreadable" | "database_too_new" | "read_only" | "storage_full" | "busy" | "io_error" | "database_error" | "unauthenticated" | "forbidden" | "sign_in_failed" | "sign_in_delayed" | "not_ready" | "invalid_bundle" | "bundle_too_new" | "framework_missing" | "cancelled" | "service_unavailable" | "internal";

export type ErrorPayload = { code: ErrorCode, message: string, 
/**
 * The input the error concerns (a form field such as `title`), so a form can highlight it.
 */
field: string | null, };

export type AppInfo = { data_dir: string, version: string, schema_version: number, };

export type Dropped = { count: number, names: Array<string>, };

export type FrameworkKind = "qualification" | "occupational_standard" | "values" | "competence_framework";

export type CriterionKind = "assessment_criterion" | "performance_criterion" | "knowledge_item" | "value_statement" | "indicator";

export type GroupKind = "unit" | "learning_outcome" | "key_area" | "standard" | "value" | "competence" | "section";

export type FrameworkSummary = { code: string, version: string, title: string, kind: FrameworkKind, verified: boolean, source: string, current: boolean, groups: number, criteria: number, imported_at: string, 
/**
 * Whether some unit or standard has no criteria, directly or through its children: the framework
 * lists it, but nobody can be assessed on it until a version with its criteria is imported.
 */
incomplete: boolean, 
/**
 * The codes of those units and standards, in document order.
 */
groups_without_criteria: Array<string>, 
/**
 * Learners using this version: enrolled on the framework (for the current version) or with
 * evidence mapped to its criteria.
 */
learners: number, 
/**
 * Evidence mappings to this version's criteria.
 */
mappings: number, };

export type FrameworkDoc = { code: string, title: string, kind: FrameworkKind, version: string, 
/**
 * Where the text comes from (publisher, document, date, address).
 */
source: string, 
/**
 * Whether the criteria text has been confirmed against the official specification.
 */
verified: boolean, description: string, 
/**
 * Groups in document order; a parent comes before its children.
 */
groups: Array<GroupDoc>, 
/**
 * Criteria in document order.
 */
criteria: Array<CriterionDoc>, 
/**
 * Which evidence methods are accepted for a kind of criterion or for named criteria.
 */
method_rules: Array<MethodRuleDoc>, };

export type GroupDoc = { code: string, kind: GroupKind, title: string, 
/**
 * Code of the parent group; `None` for a top-level group.
 */
parent: string | null, };

export type CriterionDoc = { code: string, kind: CriterionKind, text: string, 
/**
 * Code of the group it belongs to; `None` when the framework has no groups.
 */
group: string | null, };

export type MethodRuleDoc = { applies_to: CriterionKind | null, 
/**
 * Criterion codes of this framework; empty when the rule names a kind.
 */
criteria: Array<string>, methods: Array<Method>, 
/**
 * Where the rule comes from (an assessment strategy, a centre's policy, …).
 */
source: string, };

export type Suggestion = { ref: string, text: string, note: string, };

export type FileFormat = "native" | "moodle_csv" | "specification_text";

export type FileIntake = { 
/**
 * The file's name (never its path), to show.
 */
file_name: string, format: FileFormat, 
/**
 * The framework, for a native file or a Moodle CSV (not yet validated against the store).
 */
doc: FrameworkDoc | null, 
/**
 * The text, for a specification copy: it goes to the paste flow.
 */
text: string | null, };

export type SpecMeta = { code: string, title: string, version: string, 
/**
 * `qualification` (units, learning outcomes, assessment criteria) or `occupational_standard`
 * (standards, performance criteria, knowledge items).
 */
kind: FrameworkKind, source: string, };

export type LineRole = "blank" | "noise" | "unit_header" | "unit_fact" | "learning_outcome" | "criterion" | "continuation" | "unplaced";

export type LineOutcome = { 
/**
 * 1-based line number in the text.
 */
line: number, role: LineRole, 
/**
 * The code of the group or criterion the line opened or continued.
 */
code: string | null, 
/**
 * What sort of noise or fact it was, or why it was not placed.
 */
note: string | null, };

export type UnplacedLine = { 
/**
 * 1-based line number.
 */
line: number, 
/**
 * The line's text, cleaned (whitespace collapsed).
 */
text: string, reason: string, };

export type Draft = { 
/**
 * Valid ([`FrameworkDoc::validate`]), never `verified`.
 */
doc: FrameworkDoc, 
/**
 * What each line became, in line order: one entry per line, two when a line holds two things
 * (a learning outcome and the first criterion of a flattened table row).
 */
lines: Array<LineOutcome>, 
/**
 * Every line left out of the draft, with the reason.
 */
unplaced: Array<UnplacedLine>, };

export type WordChange = { change: string, text: string, };

export type AddedCriterion = { reference: string, text: string, };

export type AlteredCriterion = { reference: string, old_text: string, 
/**
 * Empty for a removed criterion.
 */
new_text: string, 
/**
 * The words that went and came (empty for a removed criterion).
 */
diff: Array<WordChange>, 
/**
 * Evidence mappings to it, across all learners.
 */
mappings: number, 
/**
 * Learners with a standing judgement on it.
 */
judgements: number, };

export type LearnerEffect = { learner_id: string, name: string, 
/**
 * Mappings that move onto the new version (same code; reworded criteria included).
 */
mappings_carried: number, 
/**
 * Mappings to criteria the new version removes: they stay on the old version and stop counting.
 */
mappings_on_removed: number, 
/**
 * Standing judgements that carry over (the criterion's words are unchanged).
 */
judgements_carried: number, 
/**
 * Criteria judged before whose words change: the judgement is marked for re-checking.
 */
judgements_to_recheck: Array<string>, 
/**
 * Criteria judged before that the new version removes.
 */
judgements_on_removed: Array<string>, };

export type ImportOutcome = "added" | "new_version" | "unchanged";

export type ImportPreview = { framework: string, title: string, kind: FrameworkKind, version: string, verified: boolean, source: string, previous_version: string | null, outcome: ImportOutcome, 
/**
 * Why the import would be refused (this version is stored with other content), if it would.
 */
refused: string | null, groups: number, criteria: number, 
/**
 * Where the numbering skips (`U1.1.3 follows U1.1.1: U1.1.2 is missing`): not an error, as a
 * specification may number so, but worth a look before publishing.
 */
numbering_gaps: Array<string>, added: Array<AddedCriterion>, removed: Array<AlteredCriterion>, reworded: Array<AlteredCriterion>, learners: Array<LearnerEffect>, };

export type RemovedCriterion = { ref: string, text: string, 
/**
 * Evidence mappings to it, which no longer count towards coverage.
 */
mappings: number, };

export type ChangedCriterion = { ref: string, old_text: string, new_text: string, 
/**
 * Evidence mappings kept, which a tutor may want to re-check against the new text.
 */
mappings: number, };

export type ImportReport = { framework: string, version: string, previous_version: string | null, outcome: ImportOutcome, groups: number, criteria: number, 
/**
 * Criterion codes new in this version.
 */
added: Array<string>, 
/**
 * Criteria of the previous version that this one no longer has.
 */
removed: Array<RemovedCriterion>, 
/**
 * Criteria whose text changed between the versions.
 */
changed: Array<ChangedCriterion>, 
/**
 * Evidence mappings moved onto the new version.
 */
mappings_kept: number, 
/**
 * Assessors' judgements moved onto the new version (their criterion's words are unchanged).
 */
judgements_kept: number, 
/**
 * Judgements left on the previous version because their criterion was reworded: an assessor
 * judges the criterion again against its new words.
 */
judgements_to_recheck: number, };

export type Learner = { id: string, name: string, email: string | null, created_at: string, 
/**
 * The sample portfolio: example data every user may explore, never anyone's own. The core
 * decides this; the UI shows it.
 */
is_sample: boolean, };

export type PortfolioPermissions = { 
/**
 * The portfolio is the acting user's own (or the sample, or there are no accounts).
 */
own: boolean, read: boolean, 
/**
 * Add, edit, attach, map, submit and declare evidence.
 */
change_evidence: boolean, enrol: boolean, 
/**
 * Write in an item's feedback thread.
 */
discuss: boolean, 
/**
 * Return an item to the learner for changes.
 */
review: boolean, 
/**
 * Judge criteria and sign units off.
 */
judge: boolean, 
/**
 * Export the portfolio as a bundle for another computer.
 */
carry_portfolio: boolean, 
/**
 * Export a read-only quality-assurance bundle.
 */
quality_assure: boolean, };

export type Enrolment = { framework: string, 
/**
 * Chosen unit codes; empty means the whole framework.
 */
units: Array<string>, enrolled_at: string, 
/**
 * The chosen units or standards (every one, for the whole framework) whose criteria the
 * framework's current version does not have yet, in document order: the learner cannot be
 * assessed on them until a version with their criteria is imported (for a NOS standard, pasted
 * from its NOS page).
 */
criteria_missing: Array<string>, };

export type Method = "direct_observation" | "witness_testimony" | "expert_witness" | "professional_discussion" | "questioning" | "product_evidence" | "reflective_account" | "recognition_of_prior_learning" | "other";

export type Status = "draft" | "submitted";

export type Witness = { name: string, 
/**
 * Job and organisation, e.g. "Housing officer, Anytown Council".
 */
role: string, 
/**
 * To the learner, e.g. "line manager" or "partner organisation worker".
 */
relationship: string, };

export type VersionNumber = number;

export type Evidence = { id: string, learner_id: string, 
/**
 * The item's number in the learner's portfolio (1, 2, …).
 */
number: number, title: string, method: Method, activity_date: string, recorded_at: string, updated_at: string, status: Status, version: VersionNumber, 
/**
 * Who gave the testimony (witness testimony and expert witness only; empty otherwise).
 */
witness: Witness, body_markdown: string, 
/**
 * The body rendered and sanitised: safe to insert into a page.
 */
body_html: string, attachments: Array<Attachment>, mappings: Array<MappingView>, };

export type EvidenceSummary = { id: string, number: number, title: string, method: Method, activity_date: string, status: Status, version: VersionNumber, attachments: number, criteria: Array<string>, };

export type EvidenceVersion = { version: VersionNumber, title: string, method: Method, activity_date: string, status: Status, witness: Witness, body_markdown: string, saved_at: string, };

export type Attachment = { sha256: string, file_name: string, media_type: string, size: number, added_at: string, };

export type MappingView = { ref: string, text: string, note: string, 
/**
 * The framework version of the criterion.
 */
framework_version: string, 
/**
 * False when a newer framework version dropped this criterion: the mapping is kept but no longer
 * counts towards coverage.
 */
current: boolean, };

export type MapReport = { evidence: string, 
/**
 * Criteria newly mapped.
 */
mapped: Array<string>, 
/**
 * Criteria that were already mapped (their note is updated when one was given).
 */
already_mapped: Array<string>, 
/**
 * Mapped criteria of frameworks the learner is not enrolled on (kept, but not in their gaps).
 */
outside_enrolments: Array<string>, 
/**
 * Crosswalk suggestions for the criteria mapped, not yet mapped themselves.
 */
suggestions: Array<Suggestion>, };

export type SearchHit = { id: string, learner_id: string, number: number, title: string, method: Method, status: Status, activity_date: string, 
/**
 * A short extract around the match, with matches between `[` and `]`.
 */
snippet: string, };

export type NewEvidenceInput = { learner: string, title: string, method: Method, activity_date: string, body_markdown: string, status: Status, 
/**
 * Witness testimony and expert witness only; absent means none recorded yet.
 */
witness?: Witness, };

export type EvidenceEditInput = { title?: string, method?: Method, activity_date?: string, body_markdown?: string, status?: Status, witness_name?: string, witness_role?: string, witness_relationship?: string, };

export type EvidenceFilterInput = { method?: Method, status?: Status, criterion?: string, from?: string, to?: string, };

export type CriterionStatus = "no_evidence" | "draft_only" | "evidenced" | "not_yet_met" | "met";

export type GapFlag = "no_evidence" | "draft_only" | "not_current" | "not_yet_met";

export type Totals = { criteria: number, evidenced: number, draft_only: number, no_evidence: number, 
/**
 * Evidenced, but only by evidence older than the currency threshold.
 */
not_current: number, 
/**
 * Of the evidenced: judged met by an assessor.
 */
met: number, 
/**
 * Of the evidenced: judged not yet met.
 */
not_yet_met: number, };

export type EvidenceRef = { id: string, number: number, title: string, method: Method, status: Status, activity_date: string, };

export type CriterionCoverage = { ref: string, framework: string, 
/**
 * The group codes from the top of the tree down (e.g. unit, learning outcome).
 */
groups: Array<string>, kind: CriterionKind, text: string, status: CriterionStatus, 
/**
 * Ids of the evidence items mapped to it.
 */
evidence: Array<string>, flags: Array<GapFlag>, };

export type GroupCoverage = { code: string, title: string, kind: GroupKind, parent: string | null, depth: number, totals: Totals, };

export type FrameworkCoverage = { code: string, version: string, title: string, verified: boolean, 
/**
 * Units chosen at enrolment; empty means all.
 */
units: Array<string>, totals: Totals, groups: Array<GroupCoverage>, };

export type Coverage = { learner: Learner, generated_at: string, 
/**
 * Evidence dated before this day is no longer current.
 */
currency_years: number, stale_before: string, totals: Totals, frameworks: Array<FrameworkCoverage>, criteria: Array<CriterionCoverage>, 
/**
 * The learner's evidence items, by number.
 */
evidence: Array<EvidenceRef>, };

export type Gaps = { learner: Learner, currency_years: number, stale_before: string, totals: Totals, 
/**
 * Totals per framework and group, as in [`Coverage::frameworks`] (what a dashboard draws).
 */
frameworks: Array<FrameworkCoverage>, 
/**
 * Criteria with at least one flag, in framework order.
 */
gaps: Array<CriterionCoverage>, };

export type Role = "learner" | "tutor" | "assessor" | "iqa" | "administrator";

export type AssignedAs = "tutor" | "assessor" | "iqa";

export type User = { id: string, username: string, display_name: string, roles: Array<Role>, 
/**
 * The learner whose portfolio this user owns, for users with the learner role.
 */
learner_id: string | null, has_password: boolean, disabled: boolean, created_at: string, };

export type SignInChoice = { username: string, display_name: string, has_password: boolean, };

export type AccountsState = { "state": "no_accounts", learners: number, } | { "state": "open_user", user: User, } | { "state": "sign_in", users: Array<SignInChoice>, } | { "state": "locked" };

export type NewUser = { username: string, display_name: string, roles: Array<Role>, password: string | null, 
/**
 * For the learner role: an existing learner (id or name) whose portfolio this user owns; when
 * absent a new learner named after the user is created.
 */
learner: string | null, };

export type Assignment = { username: string, display_name: string, learner_id: string, learner_name: string, role: AssignedAs, assigned_at: string, };

export type AuditEntry = { seq: number, at: string, user_id: string | null, user_name: string, action: string, subject: string, learner_id: string | null, before: string | null, after: string | null, prev_hash: string, hash: string, 
/**
 * The key that signed the entry and its signature (hex); `None` for an entry made with no key
 * at hand, or by an earlier version (absent in bundles of earlier versions).
 */
key_id: string | null, signature: string | null, };

export type AuditProblem = { 
/**
 * The entry number (or the record's identifier for a signature).
 */
at: string, 
/**
 * `altered`, `missing`, `broken_link` or `signature_mismatch`.
 */
kind: string, message: string, };

export type AuditReport = { 
/**
 * Entries read.
 */
entries: number, 
/**
 * True when nothing is wrong.
 */
intact: boolean, problems: Array<AuditProblem>, };

export type Feedback = { id: string, evidence_id: string, author_id: string | null, author_name: string, body: string, 
/**
 * The item version the comment was written on.
 */
on_version: VersionNumber, 
/**
 * The comment returned the item to its learner for changes.
 */
requests_changes: boolean, created_at: string, };

export type Outcome = "met" | "not_yet_met";

export type CitedEvidence = { id: string, number: number, version: VersionNumber, title: string, };

export type SignatureKind = "judgement" | "unit_sign_off" | "declaration";

export type Signature = { id: string, kind: SignatureKind, subject: string, signer_name: string, signed_at: string, 
/**
 * SHA-256 (hex) of the signed content.
 */
content_hash: string, 
/**
 * The signing key that signed it (`ed25519:…`); `None` for a legacy signature, a hash only —
 * made before accounts had keys, or on a computer without accounts.
 */
key_id: string | null, 
/**
 * The trusted centre that certified the key as the signer's (`None`: no such certificate).
 */
certified_by: string | null, 
/**
 * Why it does not count, for a judgement or sign-off from a bundle that did not verify
 * ("unverified — not counted"); `None` for one that counts.
 */
not_counted: string | null, 
/**
 * Whether what was signed is still what the portfolio holds (false once a cited item has a newer
 * version or a new attachment, or a record was altered).
 */
matches: boolean, };

export type Judgement = { id: string, learner_id: string, ref: string, outcome: Outcome, comment: string, assessor_name: string, judged_at: string, evidence: Array<CitedEvidence>, signature: Signature, 
/**
 * False for a judgement from a bundle whose signature did not verify: kept, shown, never counted.
 */
counted: boolean, 
/**
 * Whether it is the one that stands for its criterion: the newest counted judgement by the time
 * it was signed.
 */
standing: boolean, };

export type UnitSignOff = { framework: string, unit: string, signature: Signature, };

export type FieldChange = { field: string, before: string, after: string, };

export type DiffLine = { change: string, text: string, };

export type VersionDiff = { evidence_id: string, from: VersionNumber, to: VersionNumber, fields: Array<FieldChange>, 
/**
 * Empty when the body did not change.
 */
body: Array<DiffLine>, };

export type Rag = "red" | "amber" | "green";

export type CaseloadRow = { learner: Learner, totals: Totals, 
/**
 * Evidenced criteria as a share of all, 0 to 1.
 */
share_evidenced: number, 
/**
 * Submitted items at a version nobody has commented on or judged yet.
 */
awaiting_review: number, 
/**
 * Items returned to the learner and not yet resubmitted.
 */
changes_requested: number, last_activity: string | null, target_date: string | null, rag: Rag, 
/**
 * Why the status is what it is, in words.
 */
reasons: Array<string>, };

export type EvidenceRule = "valid" | "authentic" | "reliable" | "current" | "sufficient";

export type BlockerKind = "no_evidence" | "draft_only" | "not_assessed" | "not_met" | "assessment_outdated" | "not_current" | "no_declaration" | "witness_incomplete" | "method_not_accepted";

export type Blocker = { kind: BlockerKind, rule: EvidenceRule, 
/**
 * What the rule asks, in a sentence ([`EvidenceRule::meaning`]).
 */
rule_meaning: string, 
/**
 * The criterion concerned (`FRAMEWORK:CODE`), if any.
 */
criterion: string | null, 
/**
 * The evidence item concerned, if any.
 */
evidence: string | null, message: string, 
/**
 * What to do about it.
 */
fix: string, };

export type Readiness = { learner: Learner, 
/**
 * `FRAMEWORK:UNIT` when the check covers one unit, else null.
 */
unit: string | null, checked_at: string, criteria: number, ready: boolean, blockers: Array<Blocker>, };

export type ReportKind = "coverage" | "evidence-record" | "units" | "cohort";

export type ReportFormat = "csv" | "html" | "pdf";

export type ReportProgress = { 
/**
 * What is being done, in words.
 */
stage: string, done: number, total: number, };

export type ExportedReport = { file_name: string, 
/**
 * Where it was saved, to show the user.
 */
location: string, bytes: number, 
/**
 * The file's SHA-256, for a bundle (to tell whoever receives it).
 */
sha256: string | null, };

export type BundleKind = "portfolio" | "quality_assurance";

export type ConflictedItem = { evidence: string, title: string, fields: Array<string>, };

export type BundleImport = { sha256: string, learner: Learner | null, new_learner: boolean, items_added: number, items_updated: number, versions_added: number, mappings_added: number, 
/**
 * Mappings taken away here because the other computer removed them.
 */
mappings_removed: number, attachments_added: number, feedback_added: number, judgements_added: number, signatures_added: number, 
/**
 * Judgements, sign-offs and declarations kept as "unverified — not counted", with the reason.
 */
not_counted: Array<NotCounted>, 
/**
 * Centres this laptop trusted because the bundle carried their certificates (the first import).
 */
centres_trusted: Array<string>, audit_entries_added: number, 
/**
 * Items changed on both sides since they were last exchanged, left as they are here.
 */
conflicts: Array<ConflictedItem>, 
/**
 * True when the bundle held nothing this computer lacked: nothing was written.
 */
unchanged: boolean, };

export type CarriedFramework = { doc: FrameworkDoc, stored_here: boolean, };

export type NotCounted = { 
/**
 * `judgement`, `unit_sign_off` or `declaration`.
 */
kind: string, subject: string, signer_name: string, reason: string, };

export type CentreKey = { 
/**
 * `ed25519:` and the first 16 bytes of the SHA-256 of the public key, in hex.
 */
key_id: string, 
/**
 * The whole public key (hex): what an administrator compares before trusting it.
 */
fingerprint: string, name: string, own: boolean, 
/**
 * When it was trusted, and by whom; `None` while it is not.
 */
trusted_at: string | null, trusted_by: string | null, };

export type EncryptedAtRest = { 
/**
 * Tables copied into the encrypted database (each checked row by row).
 */
tables: number, 
/**
 * Attached files sealed in place.
 */
attachments: number, 
/**
 * Accounts that cannot unlock the portfolio yet: each gets its seal at its next sign-in while
 * the portfolio is open (or when an administrator sets its password).
 */
not_yet_sealed: Array<string>, };

export type FieldConflict = { field: string, 
/**
 * This computer's value, as text.
 */
local: string, 
/**
 * The other computer's value, as text.
 */
remote: string, };

export type ConflictView = { evidence: string, number: number, title: string, 
/**
 * The installation the other side came from.
 */
origin: string, detected_at: string, fields: Array<FieldConflict>, };

/** The methods whose evidence is testimony naming its witness (as the core decides). */
export const WITNESS_METHODS: readonly Method[] = ["witness_testimony", "expert_witness"];
