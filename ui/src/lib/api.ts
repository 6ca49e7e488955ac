// The backend contract: one typed function per Tauri command of the shell (src-tauri/app).
// Argument names are camelCase, as Tauri 2 maps them to the commands' snake_case parameters.
// Every command rejects with an ErrorPayload {code, message}; `call` turns that into an ApiError.

import { Channel, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  AccountsState,
  AppInfo,
  AssignedAs,
  Assignment,
  Attachment,
  AuditEntry,
  AuditReport,
  BundleImport,
  ConflictView,
  BundleKind,
  CaseloadRow,
  Coverage,
  Enrolment,
  ErrorPayload,
  Evidence,
  ExportedReport,
  EvidenceEditInput,
  EvidenceFilterInput,
  EvidenceSummary,
  EvidenceVersion,
  Feedback,
  FrameworkDoc,
  FrameworkSummary,
  Gaps,
  Judgement,
  Learner,
  MapReport,
  NewEvidenceInput,
  NewUser,
  Outcome,
  Readiness,
  ReportFormat,
  ReportKind,
  ReportProgress,
  SearchHit,
  Signature,
  Suggestion,
  UnitSignOff,
  User,
  VersionDiff,
} from "./bindings";

/** An error reported by the core: branch on `code`, show `message`. */
export class ApiError extends Error {
  readonly code: string;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = "ApiError";
    this.code = payload.code;
  }
}

function isPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Turns anything a command may reject with into an ApiError. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isPayload(err)) return new ApiError(err);
  if (typeof window !== "undefined" && !("__TAURI_INTERNALS__" in window)) {
    return new ApiError({
      code: "no_backend",
      message: "Evidence Tracker's data is only available inside the desktop app.",
    });
  }
  const message = err instanceof Error ? err.message : typeof err === "string" ? err : "Something went wrong.";
  return new ApiError({ code: "unknown", message });
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toApiError(err);
  }
}

export const appInfo = () => call<AppInfo>("app_info");

export const listFrameworks = () => call<FrameworkSummary[]>("list_frameworks");
export const getFramework = (code: string) => call<FrameworkDoc>("get_framework", { code });

export const listLearners = () => call<Learner[]>("list_learners");
export const addLearner = (name: string, email: string | null) => call<Learner>("add_learner", { name, email });
export const enrol = (learner: string, framework: string, units: string[]) =>
  call<Enrolment>("enrol", { learner, framework, units });
/** Ends an enrolment; the learner's evidence and its mappings are kept. */
export const unenrol = (learner: string, framework: string) => call<null>("unenrol", { learner, framework });
export const enrolments = (learner: string) => call<Enrolment[]>("enrolments", { learner });
export const openSamplePortfolio = () => call<Learner>("open_sample_portfolio");

// Accounts: set-up, signing in and out, locking, users, assignments, the audit trail.
export const accountsState = () => call<AccountsState>("accounts_state");
export const adoptSinglePortfolio = () => call<User | null>("adopt_single_portfolio");
export const setupPersonal = (name: string) => call<User>("setup_personal", { name });
export const setupCentre = (username: string, displayName: string, password: string) =>
  call<User>("setup_centre", { username, displayName, password });
export const signIn = (username: string, password: string | null) => call<User>("sign_in", { username, password });
export const signOut = () => call<null>("sign_out");
export const lockAfterMinutes = () => call<number>("lock_after_minutes");
export const setLockAfterMinutes = (minutes: number) => call<null>("set_lock_after_minutes", { minutes });
export const listAllLearners = () => call<Learner[]>("list_all_learners");
export const listUsers = () => call<User[]>("list_users");
export const addUser = (input: NewUser) => call<User>("add_user", { new: input });
export const setPassword = (username: string, current: string | null, password: string) =>
  call<null>("set_password", { username, current, new: password });
export const assign = (username: string, learner: string, role: AssignedAs) =>
  call<Assignment>("assign", { username, learner, role });
export const unassign = (username: string, learner: string, role: AssignedAs) =>
  call<null>("unassign", { username, learner, role });
export const assignments = () => call<Assignment[]>("assignments");
export const verifyAudit = () => call<AuditReport>("verify_audit");
// Review and judgement.
export const addFeedback = (id: string, body: string, requestChanges: boolean) =>
  call<Feedback>("add_feedback", { id, body, requestChanges });
export const feedback = (id: string) => call<Feedback[]>("feedback", { id });
export const evidenceDiff = (id: string, from: number, to: number) => call<VersionDiff>("evidence_diff", { id, from, to });
export const judge = (learner: string, criterion: string, outcome: Outcome, comment: string, evidence: string[]) =>
  call<Judgement>("judge", { learner, criterion, outcome, comment, evidence });
export const judgements = (learner: string) => call<Judgement[]>("judgements", { learner });
export const signOffUnit = (learner: string, framework: string, unit: string) =>
  call<UnitSignOff>("sign_off_unit", { learner, framework, unit });
export const unitSignOffs = (learner: string) => call<UnitSignOff[]>("unit_sign_offs", { learner });
export const declare = (id: string) => call<Signature>("declare", { id });
export const declaration = (id: string) => call<Signature | null>("declaration", { id });
export const readiness = (learner: string, unit: string | null = null) => call<Readiness>("readiness", { learner, unit });
export const caseload = () => call<CaseloadRow[]>("caseload");
export const setTargetDate = (learner: string, date: string | null) => call<null>("set_target_date", { learner, date });
export const history = (scope: { evidence?: string; learner?: string }) =>
  call<AuditEntry[]>("history", { evidence: scope.evidence ?? null, learner: scope.learner ?? null });

export const addEvidence = (input: NewEvidenceInput) => call<Evidence>("add_evidence", { input });
export const editEvidence = (id: string, edit: EvidenceEditInput) => call<Evidence>("edit_evidence", { id, edit });
export const getEvidence = (id: string) => call<Evidence>("get_evidence", { id });
export const evidenceVersions = (id: string) => call<EvidenceVersion[]>("evidence_versions", { id });
export const listEvidence = (learner: string, filter: EvidenceFilterInput) =>
  call<EvidenceSummary[]>("list_evidence", { learner, filter });
export const searchEvidence = (text: string, learner: string) =>
  call<SearchHit[]>("search_evidence", { text, learner });
export const renderMarkdown = (markdown: string) => call<string>("render_markdown", { markdown });

export const mapEvidence = (id: string, criteria: string[], note: string | null) =>
  call<MapReport>("map_evidence", { id, criteria, note });
export const unmapEvidence = (id: string, criteria: string[]) => call<null>("unmap_evidence", { id, criteria });
export const crosswalkSuggestions = (criterion: string) => call<Suggestion[]>("crosswalk_suggestions", { criterion });

export const gaps = (learner: string) => call<Gaps>("gaps", { learner });
export const coverage = (learner: string) => call<Coverage>("coverage", { learner });

export const attachWithDialog = (id: string) => call<Attachment[]>("attach_with_dialog", { id });
export const attachDropped = (id: string) => call<Attachment[]>("attach_dropped", { id });
export const attachmentPreview = (sha256: string) => call<string | null>("attachment_preview", { sha256 });

/** What the shell emits as "files-dropped" when files are dropped on the window. */
export type FilesDropped = { count: number; names: string[] };

/** Listens for files dropped on the window; resolves to the function that stops listening. */
export async function onFilesDropped(handler: (payload: FilesDropped) => void): Promise<UnlistenFn> {
  try {
    return await listen<FilesDropped>("files-dropped", (event) => handler(event.payload));
  } catch {
    return () => {};
  }
}

/**
 * Exports a report: the app asks where to save it (a native dialog), builds it while `onProgress`
 * hears how far it has got, and writes the file. Resolves to null when the user cancels the dialog.
 */
export function exportReport(
  kind: ReportKind,
  format: ReportFormat,
  learner: string | null,
  onProgress: (progress: ReportProgress) => void,
): Promise<ExportedReport | null> {
  return call<ExportedReport | null>("export_report", { kind, format, learner, onProgress: progressChannel(onProgress) });
}

function progressChannel(onProgress: (progress: ReportProgress) => void): Channel<ReportProgress> {
  const channel = new Channel<ReportProgress>();
  channel.onmessage = onProgress;
  return channel;
}

/** Saves the learner's portfolio (or a read-only quality-assurance bundle) where the user chooses. */
export const exportBundle = (learner: string, kind: BundleKind, onProgress: (progress: ReportProgress) => void) =>
  call<ExportedReport | null>("export_bundle", { learner, kind, onProgress: progressChannel(onProgress) });

/** Imports a bundle the user chooses; null when they cancel the dialog. */
export const importBundle = (onProgress: (progress: ReportProgress) => void) =>
  call<BundleImport | null>("import_bundle", { onProgress: progressChannel(onProgress) });

/** The open conflict on an item (changed on both computers), or null. */
export const evidenceConflict = (id: string) => call<ConflictView | null>("evidence_conflict", { id });
/** Resolves it: `takeRemote` names the fields to take from the other computer. */
export const resolveConflict = (id: string, takeRemote: string[]) =>
  call<Evidence>("resolve_conflict", { id, takeRemote });
