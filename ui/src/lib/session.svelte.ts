// The app's shared state: the learners, the one being worked on, their enrolments and their progress
// (gaps and coverage), and cached framework documents.
//
// Gaps (totals per framework and group, and the criteria needing attention) are small and drive the
// dashboard, the ready panel and the nav count: they are re-fetched after every change. Coverage
// (every criterion's evidence ids and the whole evidence list) can be hundreds of KB, so it is fetched
// only by the screens that show it (the matrix and criterion views), each time they are shown.

import * as api from "./api";
import type { ApiError } from "./api";
import type { Coverage, Enrolment, FrameworkDoc, FrameworkSummary, Gaps, Learner } from "./bindings";

const LAST_LEARNER = "evidence-tracker:last-learner";
export const SAMPLE_NAME = "Sample portfolio (example)";

function remembered(): string | null {
  try {
    return localStorage.getItem(LAST_LEARNER);
  } catch {
    return null;
  }
}

function remember(id: string): void {
  try {
    localStorage.setItem(LAST_LEARNER, id);
  } catch {
    // Not essential.
  }
}

class Session {
  learners = $state<Learner[]>([]);
  learner = $state<Learner | null>(null);
  enrolments = $state<Enrolment[]>([]);
  gaps = $state<Gaps | null>(null);
  coverage = $state<Coverage | null>(null);
  progressError = $state<ApiError | null>(null);
  #frameworks: Promise<FrameworkSummary[]> | null = null;
  #docs = new Map<string, Promise<FrameworkDoc>>();

  get isSample(): boolean {
    return this.learner !== null && /\bsample portfolio\b/i.test(this.learner.name);
  }

  /** Loads the learners and opens the last one used (or the first). */
  async load(): Promise<void> {
    this.learners = await api.listLearners();
    const last = remembered();
    const chosen = this.learners.find((l) => l.id === last) ?? this.learners[0] ?? null;
    if (chosen) await this.select(chosen);
  }

  async select(learner: Learner): Promise<void> {
    if (!this.learners.some((l) => l.id === learner.id)) {
      this.learners = [...this.learners, learner].sort((a, b) => a.name.localeCompare(b.name));
    }
    this.learner = learner;
    this.gaps = null;
    this.coverage = null;
    remember(learner.id);
    await Promise.all([this.refreshEnrolments(), this.refreshGaps()]);
  }

  async refreshEnrolments(): Promise<void> {
    const learner = this.learner;
    if (!learner) return;
    const list = await api.enrolments(learner.id);
    if (this.learner?.id === learner.id) this.enrolments = list;
  }

  /** Re-fetches the gaps (what the dashboard, ready panel and nav show); errors go to progressError. */
  async refreshGaps(): Promise<void> {
    const learner = this.learner;
    if (!learner) return;
    try {
      const gaps = await api.gaps(learner.id);
      if (this.learner?.id !== learner.id) return;
      this.gaps = gaps;
      this.progressError = null;
    } catch (err) {
      this.progressError = api.toApiError(err);
    }
  }

  /** Re-fetches the full coverage (for the matrix and criterion views); errors go to progressError. */
  async refreshCoverage(): Promise<void> {
    const learner = this.learner;
    if (!learner) return;
    try {
      const coverage = await api.coverage(learner.id);
      if (this.learner?.id !== learner.id) return;
      this.coverage = coverage;
      this.progressError = null;
    } catch (err) {
      this.progressError = api.toApiError(err);
    }
  }

  /**
   * After a change to the portfolio: re-fetch the gaps only. The coverage is not fetched here; the
   * matrix and criterion views re-fetch it whenever they are shown.
   */
  async changed(): Promise<void> {
    await this.refreshGaps();
  }

  frameworks(): Promise<FrameworkSummary[]> {
    this.#frameworks ??= api.listFrameworks().catch((err: unknown) => {
      this.#frameworks = null;
      throw err;
    });
    return this.#frameworks;
  }

  framework(code: string): Promise<FrameworkDoc> {
    let doc = this.#docs.get(code);
    if (!doc) {
      doc = api.getFramework(code).catch((err: unknown) => {
        this.#docs.delete(code);
        throw err;
      });
      this.#docs.set(code, doc);
    }
    return doc;
  }
}

export const session = new Session();

let interactive = false;

/** Marks 'app-interactive' once, when the first screen has rendered its data. */
export function markInteractive(): void {
  if (interactive) return;
  interactive = true;
  performance.mark("app-interactive");
}
