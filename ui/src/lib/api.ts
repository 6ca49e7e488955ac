// The backend contract. Every command's function is generated from the Rust command itself
// (commands.ts; `UPDATE_BINDINGS=1 cargo test -p evidence-app ipc_gen` rewrites it), so no command
// name or argument is written here. This file adds only what the window wraps around some of
// them: progress callbacks as Tauri channels, job ids for long work, the files-dropped and
// link-requested events.

import { Channel } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AuditEntry, BundleImport, BundleKind, ExportedReport, ReportFormat, ReportKind, ReportProgress } from "./bindings";
import * as commands from "./commands";

export * from "./commands";
export { ApiError, toApiError } from "./invoke";

/** The audit trail of one item or one learner (or all, for an administrator). */
export const history = (scope: { evidence?: string; learner?: string }): Promise<AuditEntry[]> =>
  commands.history(scope.evidence ?? null, scope.learner ?? null);

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
 * Listens for links clicked in the window: the shell keeps the window on the app and sends the
 * address here, to be confirmed before `openLink` hands it to the system browser.
 */
export async function onLinkRequested(handler: (address: string) => void): Promise<UnlistenFn> {
  try {
    return await listen<string>("link-requested", (event) => handler(event.payload));
  } catch {
    return () => {};
  }
}

let jobCount = 0;

/** A fresh id for a long job, which `cancelJob` can name while it runs. */
export function newJobId(kind: string): string {
  jobCount += 1;
  return `${kind}-${Date.now().toString(36)}-${jobCount}`;
}

function progressChannel(onProgress: (progress: ReportProgress) => void): Channel<ReportProgress> {
  const channel = new Channel<ReportProgress>();
  channel.onmessage = onProgress;
  return channel;
}

/**
 * Exports a report: the app asks where to save it (a native dialog), builds it while `onProgress`
 * hears how far it has got, and writes the file. Resolves to null when the user cancels the dialog;
 * rejects with code "cancelled" when `cancelJob(job)` stopped it (nothing is written).
 */
export const exportReport = (
  kind: ReportKind,
  format: ReportFormat,
  learner: string | null,
  onProgress: (progress: ReportProgress) => void,
  job: string = newJobId("report"),
): Promise<ExportedReport | null> => commands.exportReport(kind, format, learner, job, progressChannel(onProgress));

/** Saves the learner's portfolio (or a read-only quality-assurance bundle) where the user chooses. */
export const exportBundle = (
  learner: string,
  kind: BundleKind,
  onProgress: (progress: ReportProgress) => void,
  job: string = newJobId("bundle"),
): Promise<ExportedReport | null> => commands.exportBundle(learner, kind, job, progressChannel(onProgress));

/** Imports a bundle the user chooses; null when they cancel the dialog. */
export const importBundle = (
  onProgress: (progress: ReportProgress) => void,
  job: string = newJobId("import"),
): Promise<BundleImport | null> => commands.importBundle(job, progressChannel(onProgress));
