// Generated from the command functions in src-tauri/app/src/commands by
// `UPDATE_BINDINGS=1 cargo test -p evidence-app ipc_gen`; do not edit by hand.
// One function per command: arguments in the command's order (a trailing optional one
// may be left out), sent under the camelCase names Tauri expects; every function
// rejects with an ApiError carrying the core's error code.

import type { Channel } from "@tauri-apps/api/core";
import type {
  AccountsState,
  AppInfo,
  AssignedAs,
  Assignment,
  Attachment,
  AuditEntry,
  AuditReport,
  BundleImport,
  BundleKind,
  CarriedFramework,
  CaseloadRow,
  CentreKey,
  ConflictView,
  Coverage,
  Draft,
  EncryptedAtRest,
  Enrolment,
  Evidence,
  EvidenceEditInput,
  EvidenceFilterInput,
  EvidenceSummary,
  EvidenceVersion,
  ExportedReport,
  Feedback,
  FileIntake,
  FrameworkDoc,
  FrameworkSummary,
  Gaps,
  ImportPreview,
  ImportReport,
  Judgement,
  Learner,
  MapReport,
  MethodRuleDoc,
  NewEvidenceInput,
  NewUser,
  Outcome,
  PortfolioPermissions,
  Readiness,
  ReportFormat,
  ReportKind,
  ReportProgress,
  SearchHit,
  Signature,
  SpecMeta,
  Suggestion,
  UnitSignOff,
  User,
  VersionDiff,
  VersionNumber,
} from "./bindings";
import { call } from "./invoke";

/** The evidence methods a criterion accepts, and where the rule comes from; null when any will do. */
export const acceptedMethods = (criterion: string): Promise<MethodRuleDoc | null> =>
  call<MethodRuleDoc | null>("accepted_methods", { criterion });

export const accountsState = (): Promise<AccountsState> =>
  call<AccountsState>("accounts_state");

export const addEvidence = (input: NewEvidenceInput): Promise<Evidence> =>
  call<Evidence>("add_evidence", { input });

export const addFeedback = (id: string, body: string, requestChanges: boolean): Promise<Feedback> =>
  call<Feedback>("add_feedback", { id, body, requestChanges });

export const addLearner = (name: string, email: string | null = null): Promise<Learner> =>
  call<Learner>("add_learner", { name, email });

export const addUser = (new_: NewUser): Promise<User> =>
  call<User>("add_user", { new: new_ });

export const adoptSinglePortfolio = (): Promise<User | null> =>
  call<User | null>("adopt_single_portfolio");

export const appInfo = (): Promise<AppInfo> =>
  call<AppInfo>("app_info");

export const assign = (username: string, learner: string, role: AssignedAs): Promise<Assignment> =>
  call<Assignment>("assign", { username, learner, role });

export const assignments = (): Promise<Assignment[]> =>
  call<Assignment[]>("assignments");

export const attachDropped = (id: string): Promise<Attachment[]> =>
  call<Attachment[]>("attach_dropped", { id });

export const attachWithDialog = (id: string): Promise<Attachment[]> =>
  call<Attachment[]>("attach_with_dialog", { id });

export const attachmentPreview = (sha256: string): Promise<string | null> =>
  call<string | null>("attachment_preview", { sha256 });

/** Asks the running job the window named `job` to stop; false when it has finished already. The job then ends with the error `cancelled`, having kept nothing. */
export const cancelJob = (job: string): Promise<boolean> =>
  call<boolean>("cancel_job", { job });

export const caseload = (): Promise<CaseloadRow[]> =>
  call<CaseloadRow[]>("caseload");

export const centreKeys = (): Promise<CentreKey[]> =>
  call<CentreKey[]>("centre_keys");

export const coverage = (learner: string): Promise<Coverage> =>
  call<Coverage>("coverage", { learner });

export const crosswalkSuggestions = (criterion: string): Promise<Suggestion[]> =>
  call<Suggestion[]>("crosswalk_suggestions", { criterion });

export const currentUser = (): Promise<User | null> =>
  call<User | null>("current_user");

export const declaration = (id: string): Promise<Signature | null> =>
  call<Signature | null>("declaration", { id });

export const declare = (id: string): Promise<Signature> =>
  call<Signature>("declare", { id });

/** Turns text copied from a specification into a draft, accounting for every line. */
export const draftFromText = (text: string, meta: SpecMeta): Promise<Draft> =>
  call<Draft>("draft_from_text", { text, meta });

export const editEvidence = (id: string, edit: EvidenceEditInput): Promise<Evidence> =>
  call<Evidence>("edit_evidence", { id, edit });

/** Encrypts the portfolio database at rest (administrators, with their password again), first stopping long work, which holds connections of its own. */
export const encryptAtRest = (password: string): Promise<EncryptedAtRest> =>
  call<EncryptedAtRest>("encrypt_at_rest", { password });

export const enrol = (learner: string, framework: string, units: string[]): Promise<Enrolment> =>
  call<Enrolment>("enrol", { learner, framework, units });

export const enrolments = (learner: string): Promise<Enrolment[]> =>
  call<Enrolment[]>("enrolments", { learner });

export const evidenceConflict = (id: string): Promise<ConflictView | null> =>
  call<ConflictView | null>("evidence_conflict", { id });

export const evidenceDiff = (id: string, from: VersionNumber, to: VersionNumber): Promise<VersionDiff> =>
  call<VersionDiff>("evidence_diff", { id, from, to });

export const evidenceVersions = (id: string): Promise<EvidenceVersion[]> =>
  call<EvidenceVersion[]>("evidence_versions", { id });

/** Saves a bundle where the user chooses, as a job (`job` names it for `cancel_job`): `None` when the user cancels the dialog, the error `cancelled` when they cancel the work (then no file is left). */
export const exportBundle = (learner: string, kind: BundleKind, job: string, onProgress: Channel<ReportProgress>): Promise<ExportedReport | null> =>
  call<ExportedReport | null>("export_bundle", { learner, kind, job, onProgress });

/** Saves a stored version as a native framework file where the user chooses; null when they cancel. */
export const exportFramework = (code: string, version: string | null = null): Promise<ExportedReport | null> =>
  call<ExportedReport | null>("export_framework", { code, version });

/** Builds a report and saves it where the user chooses; `job` is the window's name for the work, for `cancel_job`. `None` when the user cancels the dialog; the error `cancelled` when they cancel the work (then no file is written). */
export const exportReport = (kind: ReportKind, format: ReportFormat, learner: string | null, job: string, onProgress: Channel<ReportProgress>): Promise<ExportedReport | null> =>
  call<ExportedReport | null>("export_report", { kind, format, learner, job, onProgress });

export const feedback = (id: string): Promise<Feedback[]> =>
  call<Feedback[]>("feedback", { id });

/** The current version of `framework` with the units or standards of `part` (a draft read from pasted text) filled in, as version `version`: to preview and publish like any draft. */
export const fillInFramework = (framework: string, part: FrameworkDoc, version: string): Promise<FrameworkDoc> =>
  call<FrameworkDoc>("fill_in_framework", { framework, part, version });

/** One stored version of a framework (the current one when `version` is null). */
export const frameworkVersion = (code: string, version: string | null = null): Promise<FrameworkDoc> =>
  call<FrameworkDoc>("framework_version", { code, version });

/** Every stored version of every framework, with how many learners and mappings use each. */
export const frameworkVersions = (): Promise<FrameworkSummary[]> =>
  call<FrameworkSummary[]>("framework_versions");

export const gaps = (learner: string): Promise<Gaps> =>
  call<Gaps>("gaps", { learner });

export const getEvidence = (id: string): Promise<Evidence> =>
  call<Evidence>("get_evidence", { id });

export const getFramework = (code: string): Promise<FrameworkDoc> =>
  call<FrameworkDoc>("get_framework", { code });

/** An item's history (`evidence`), a learner's (`learner`), or the whole log (neither). */
export const history = (evidence: string | null = null, learner: string | null = null): Promise<AuditEntry[]> =>
  call<AuditEntry[]>("history", { evidence, learner });

/** Imports a bundle the user chooses, as a job (`job` names it for `cancel_job`): `None` when the user cancels the dialog, the error `cancelled` when they cancel the work (then nothing is written). */
export const importBundle = (job: string, onProgress: Channel<ReportProgress>): Promise<BundleImport | null> =>
  call<BundleImport | null>("import_bundle", { job, onProgress });

/** Whether this computer's portfolio database is encrypted at rest. */
export const isEncrypted = (): Promise<boolean> =>
  call<boolean>("is_encrypted");

export const judge = (learner: string, criterion: string, outcome: Outcome, comment: string, evidence: string[]): Promise<Judgement> =>
  call<Judgement>("judge", { learner, criterion, outcome, comment, evidence });

export const judgements = (learner: string): Promise<Judgement[]> =>
  call<Judgement[]>("judgements", { learner });

/** The framework versions the bundle last chosen for import carries, and whether each is here (after an import refused with `framework_missing`, to load the one it names). */
export const lastBundleFrameworks = (): Promise<CarriedFramework[]> =>
  call<CarriedFramework[]>("last_bundle_frameworks");

export const listAllLearners = (): Promise<Learner[]> =>
  call<Learner[]>("list_all_learners");

export const listEvidence = (learner: string, filter: EvidenceFilterInput): Promise<EvidenceSummary[]> =>
  call<EvidenceSummary[]>("list_evidence", { learner, filter });

export const listFrameworks = (): Promise<FrameworkSummary[]> =>
  call<FrameworkSummary[]>("list_frameworks");

export const listLearners = (): Promise<Learner[]> =>
  call<Learner[]>("list_learners");

export const listUsers = (): Promise<User[]> =>
  call<User[]>("list_users");

export const lockAfterMinutes = (): Promise<number> =>
  call<number>("lock_after_minutes");

export const mapEvidence = (id: string, criteria: string[], note: string | null = null): Promise<MapReport> =>
  call<MapReport>("map_evidence", { id, criteria, note });

/** Asks for a framework file (native TOML, Moodle CSV or specification text) and reads it; null when the user cancels. */
export const openFrameworkFile = (): Promise<FileIntake | null> =>
  call<FileIntake | null>("open_framework_file");

/** Opens a web or e-mail address the user has just confirmed, in the system browser. */
export const openLink = (address: string): Promise<null> =>
  call<null>("open_link", { address });

export const openSamplePortfolio = (): Promise<Learner> =>
  call<Learner>("open_sample_portfolio");

/** What the signed-in user may do with a learner's portfolio (the core's decision, shown by the UI). */
export const portfolioPermissions = (learner: string): Promise<PortfolioPermissions> =>
  call<PortfolioPermissions>("portfolio_permissions", { learner });

/** What publishing `doc` would do, learner by learner; writes nothing. */
export const previewFramework = (doc: FrameworkDoc): Promise<ImportPreview> =>
  call<ImportPreview>("preview_framework", { doc });

/** Publishes `doc` as an immutable version, in one transaction with its audit entry. */
export const publishFramework = (doc: FrameworkDoc): Promise<ImportReport> =>
  call<ImportReport>("publish_framework", { doc });

/** Reads the first file dropped on the window as a framework file; null when none is held. */
export const readDroppedFramework = (): Promise<FileIntake | null> =>
  call<FileIntake | null>("read_dropped_framework");

/** Everything that blocks the learner's submission, or one unit's (`FRAMEWORK:UNIT`). */
export const readiness = (learner: string, unit: string | null = null): Promise<Readiness> =>
  call<Readiness>("readiness", { learner, unit });

export const renderMarkdown = (markdown: string): Promise<string> =>
  call<string>("render_markdown", { markdown });

/** The draft with its learning outcomes and criteria numbered in order. */
export const renumberDraft = (doc: FrameworkDoc): Promise<FrameworkDoc> =>
  call<FrameworkDoc>("renumber_draft", { doc });

export const resolveConflict = (id: string, takeRemote: string[]): Promise<Evidence> =>
  call<Evidence>("resolve_conflict", { id, takeRemote });

export const searchEvidence = (text: string, learner: string | null = null): Promise<SearchHit[]> =>
  call<SearchHit[]>("search_evidence", { text, learner });

/** Disables or enables an account (administrators). */
export const setAccountDisabled = (username: string, disabled: boolean): Promise<User> =>
  call<User>("set_account_disabled", { username, disabled });

export const setLockAfterMinutes = (minutes: number): Promise<null> =>
  call<null>("set_lock_after_minutes", { minutes });

export const setPassword = (username: string, current: string | null, new_: string): Promise<null> =>
  call<null>("set_password", { username, current, new: new_ });

/** `date` is YYYY-MM-DD, or null to clear it. */
export const setTargetDate = (learner: string, date: string | null = null): Promise<null> =>
  call<null>("set_target_date", { learner, date });

export const setupCentre = (username: string, displayName: string, password: string): Promise<User> =>
  call<User>("setup_centre", { username, displayName, password });

export const setupPersonal = (name: string): Promise<User> =>
  call<User>("setup_personal", { name });

export const signIn = (username: string, password: string | null = null): Promise<User> =>
  call<User>("sign_in", { username, password });

export const signOffUnit = (learner: string, framework: string, unit: string): Promise<UnitSignOff> =>
  call<UnitSignOff>("sign_off_unit", { learner, framework, unit });

/** Signs out, first stopping any long work still running: it acts for the user who started it. */
export const signOut = (): Promise<null> =>
  call<null>("sign_out");

export const trustCentre = (fingerprint: string, name: string): Promise<CentreKey> =>
  call<CentreKey>("trust_centre", { fingerprint, name });

export const unassign = (username: string, learner: string, role: AssignedAs): Promise<null> =>
  call<null>("unassign", { username, learner, role });

export const unenrol = (learner: string, framework: string): Promise<null> =>
  call<null>("unenrol", { learner, framework });

export const unitSignOffs = (learner: string): Promise<UnitSignOff[]> =>
  call<UnitSignOff[]>("unit_sign_offs", { learner });

export const unmapEvidence = (id: string, criteria: string[]): Promise<null> =>
  call<null>("unmap_evidence", { id, criteria });

export const verifyAudit = (): Promise<AuditReport> =>
  call<AuditReport>("verify_audit");
