// Whether the page shown has unsaved edits (read by the shell and E2E tests through
// window.__hasUnsavedChanges), and the per-item drafts kept in sessionStorage so a reload restores them.

import type { Method, Status, Witness } from "./bindings";

export const unsaved = $state({ dirty: false });

export type DraftFields = {
  title: string;
  method: Method;
  activity_date: string;
  body_markdown: string;
  status: Status;
  witness: Witness;
};

const PREFIX = "evidence-tracker:draft:";

function key(learner: string, id: string | null): string {
  return `${PREFIX}${learner}:${id ?? "new"}`;
}

export function loadDraft(learner: string, id: string | null): DraftFields | null {
  try {
    const text = sessionStorage.getItem(key(learner, id));
    if (!text) return null;
    const value = JSON.parse(text) as Partial<DraftFields>;
    if (
      typeof value.title === "string" &&
      typeof value.method === "string" &&
      typeof value.activity_date === "string" &&
      typeof value.body_markdown === "string" &&
      typeof value.status === "string"
    ) {
      // Drafts kept before witnesses were recorded have none.
      const witness = value.witness ?? { name: "", role: "", relationship: "" };
      return { ...(value as DraftFields), witness };
    }
  } catch {
    // Storage unavailable or corrupt: nothing to restore.
  }
  return null;
}

export function saveDraft(learner: string, id: string | null, fields: DraftFields): void {
  try {
    sessionStorage.setItem(key(learner, id), JSON.stringify(fields));
  } catch {
    // Storage full or unavailable: the dirty flag still protects the edit in this page.
  }
}

export function clearDraft(learner: string, id: string | null): void {
  try {
    sessionStorage.removeItem(key(learner, id));
  } catch {
    // Nothing to do.
  }
}
