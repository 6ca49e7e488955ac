// How the generated command functions (commands.ts) reach the shell: Tauri's invoke, with every
// rejection turned into an ApiError whose `code` is one of the core's error codes.

import { invoke } from "@tauri-apps/api/core";
import type { ErrorCode, ErrorPayload } from "./bindings";

/** What the UI itself may report, besides the core's codes. */
export type UiErrorCode = "no_backend" | "unknown";

/** An error reported by the core: branch on `code`, show `message`, highlight `field` if named. */
export class ApiError extends Error {
  readonly code: ErrorCode | UiErrorCode;
  /** The input the error concerns (e.g. "title"), when the core names one. */
  readonly field: string | null;
  constructor(payload: { code: ErrorCode | UiErrorCode; message: string; field?: string | null }) {
    super(payload.message);
    this.name = "ApiError";
    this.code = payload.code;
    this.field = payload.field ?? null;
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

/** Calls one command; used only by the generated functions in commands.ts. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toApiError(err);
  }
}
