// The app's shared state: the learners, the one being worked on, their enrolments and their progress
// (gaps and coverage), and cached framework documents.
//
// Gaps (totals per framework and group, and the criteria needing attention) are small and drive the
// dashboard, the ready panel and the nav count: they are re-fetched after every change. Coverage
// (every criterion's evidence ids and the whole evidence list) can be hundreds of KB, so it is fetched
// only by the screens that show it (the matrix and criterion views), each time they are shown.

import * as api from "./api";
import type { ApiError } from "./api";
import type { Coverage, Enrolment, FrameworkDoc, FrameworkSummary, Gaps, Learner, PortfolioPermissions, SignInChoice, User } from "./bindings";

/**
 * What stands before the portfolio: nothing ("open": signed in, or a portfolio without accounts),
 * the sign-in screen, or (a machine with several portfolios from before accounts) the centre set-up.
 */
export type Gate = "open" | "sign-in" | "setup-centre";

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
  /** The signed-in user; null on a portfolio without accounts (or while locked). */
  user = $state<User | null>(null);
  gate = $state<Gate>("open");
  /** The sign-in screen's user picker. */
  choices = $state<SignInChoice[]>([]);
  /** Who locked the app (the sign-in screen offers them first). */
  lockedBy = $state<string | null>(null);
  /** Minutes without use before the app locks (0: never). */
  lockMinutes = $state(0);
  learners = $state<Learner[]>([]);
  learner = $state<Learner | null>(null);
  enrolments = $state<Enrolment[]>([]);
  gaps = $state<Gaps | null>(null);
  coverage = $state<Coverage | null>(null);
  /** What the signed-in user may do with this portfolio (null until known: nothing is offered). */
  may = $state<PortfolioPermissions | null>(null);
  progressError = $state<ApiError | null>(null);
  #frameworks: Promise<FrameworkSummary[]> | null = null;
  #docs = new Map<string, Promise<FrameworkDoc>>();

  get isSample(): boolean {
    return this.learner?.is_sample ?? false;
  }

  /**
   * Decides what comes first: a laptop from before accounts is adopted by its learner, a personal
   * laptop opens straight in, a shared machine asks who is there; then the portfolio opens.
   */
  async load(): Promise<void> {
    let state = await api.accountsState();
    if (state.state === "no_accounts" && state.learners === 1) {
      const adopted = await api.adoptSinglePortfolio();
      if (adopted) state = { state: "open_user", user: adopted };
    }
    if (state.state === "no_accounts") {
      this.gate = state.learners > 1 ? "setup-centre" : "open";
      if (this.gate === "open") await this.openPortfolios();
      return;
    }
    if (state.state === "sign_in" || state.state === "locked") {
      // An encrypted portfolio cannot list its accounts before someone unlocks it: no picker.
      this.choices = state.state === "sign_in" ? state.users : [];
      this.gate = "sign-in";
      return;
    }
    await this.openPortfolios(await api.signIn(state.user.username, null));
  }

  /** Signs in from the sign-in screen, then opens the portfolios this user may see. */
  async signIn(username: string, password: string | null): Promise<void> {
    const user = await api.signIn(username, password);
    this.lockedBy = null;
    await this.openPortfolios(user);
  }

  /** After set-up (first run): the new user is signed in. */
  async begin(user: User): Promise<void> {
    await this.openPortfolios(user);
  }

  /** Locks the app (on demand or when idle): nobody is signed in until the sign-in screen is used. */
  async lock(): Promise<void> {
    const who = this.user?.username ?? null;
    await api.signOut();
    this.#forget();
    this.lockedBy = who;
    const state = await api.accountsState();
    this.choices = state.state === "sign_in" ? state.users : [];
    this.gate = "sign-in";
  }

  #forget(): void {
    this.user = null;
    this.learners = [];
    this.learner = null;
    this.enrolments = [];
    this.gaps = null;
    this.coverage = null;
  }

  get isAdmin(): boolean {
    return this.user === null ? this.gate === "open" : this.user.roles.includes("administrator");
  }

  /** Whether the signed-in user has `role` (on a portfolio without accounts, whoever is there has every role). */
  has(role: string): boolean {
    return this.user === null ? this.gate === "open" : this.user.roles.includes(role as never);
  }

  /** Whether the portfolio on screen is the signed-in user's own (or the sample, or no accounts). */
  get ownsPortfolio(): boolean {
    return this.may?.own ?? false;
  }

  /** Whether this user can lock the app (a passwordless personal laptop cannot). */
  get canLock(): boolean {
    return this.user !== null && this.user.has_password;
  }

  /**
   * Loads the learners `user` may see and opens their own portfolio, the last one used, or the first;
   * the screens change once, when everything is there.
   */
  async openPortfolios(user: User | null = null): Promise<void> {
    this.lockMinutes = user ? await api.lockAfterMinutes() : 0;
    this.learners = await api.listLearners();
    const last = remembered();
    const own = user?.learner_id ?? null;
    const chosen =
      this.learners.find((l) => l.id === own) ??
      this.learners.find((l) => l.id === last) ??
      this.learners.find((l) => !l.is_sample) ??
      this.learners[0] ??
      null;
    if (chosen) await this.select(chosen);
    this.user = user;
    this.gate = "open";
  }

  async select(learner: Learner): Promise<void> {
    if (!this.learners.some((l) => l.id === learner.id)) {
      this.learners = [...this.learners, learner].sort((a, b) => a.name.localeCompare(b.name));
    }
    this.learner = learner;
    this.may = null;
    this.gaps = null;
    this.coverage = null;
    remember(learner.id);
    await Promise.all([this.refreshPermissions(), this.refreshEnrolments(), this.refreshGaps()]);
  }

  /** What the signed-in user may do with the portfolio on screen: the core decides. */
  async refreshPermissions(): Promise<void> {
    const learner = this.learner;
    if (!learner) return;
    const may = await api.portfolioPermissions(learner.id);
    if (this.learner?.id === learner.id) this.may = may;
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

  /** After a framework version is published: the next reads fetch the new versions. */
  frameworksChanged(): void {
    this.#frameworks = null;
    this.#docs.clear();
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
