// A small hash router: #/dashboard, #/evidence, #/evidence/new, #/evidence/ID, #/criterion/REF,
// #/matrix, #/frameworks, #/frameworks/CODE, #/framework-load, #/framework-load/CODE/STANDARD, #/welcome, #/welcome/profile, #/welcome/centre, #/users,
// #/audit, #/caseload, #/bundles.
// A page with unsaved edits registers a guard; the guard decides (by asking) whether to leave.

export type Route =
  | { name: "home" }
  | { name: "welcome"; step: "intro" | "profile" | "centre" }
  | { name: "users" }
  | { name: "audit" }
  | { name: "caseload" }
  | { name: "bundles" }
  | { name: "dashboard" }
  | { name: "evidence" }
  | { name: "evidence-new" }
  | { name: "evidence-item"; id: string }
  | { name: "criterion"; ref: string }
  | { name: "matrix" }
  | { name: "frameworks"; code: string | null }
  | { name: "framework-load"; fillIn: { framework: string; standard: string } | null };

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, "");
  const [head, ...rest] = path.split("/");
  const tail = decode(rest.join("/"));
  switch (head) {
    case "welcome":
      return { name: "welcome", step: tail === "profile" || tail === "centre" ? tail : "intro" };
    case "users":
      return { name: "users" };
    case "audit":
      return { name: "audit" };
    case "caseload":
      return { name: "caseload" };
    case "bundles":
      return { name: "bundles" };
    case "dashboard":
      return { name: "dashboard" };
    case "evidence":
      if (tail === "new") return { name: "evidence-new" };
      return tail ? { name: "evidence-item", id: tail } : { name: "evidence" };
    case "criterion":
      return tail ? { name: "criterion", ref: tail } : { name: "dashboard" };
    case "matrix":
      return { name: "matrix" };
    case "frameworks":
      return { name: "frameworks", code: tail || null };
    case "framework-load": {
      const [framework, standard] = rest.map(decode);
      return { name: "framework-load", fillIn: framework && standard ? { framework, standard } : null };
    }
    default:
      return { name: "home" };
  }
}

/** Link targets. References keep their ':' readable (encodeURI leaves it alone). */
export const href = {
  dashboard: () => "#/dashboard",
  evidence: () => "#/evidence",
  newEvidence: () => "#/evidence/new",
  item: (id: string) => `#/evidence/${encodeURIComponent(id)}`,
  criterion: (ref: string) => `#/criterion/${encodeURI(ref).replace(/#/g, "%23")}`,
  matrix: () => "#/matrix",
  frameworks: (code?: string) => (code ? `#/frameworks/${encodeURIComponent(code)}` : "#/frameworks"),
  loadFramework: () => "#/framework-load",
  fillInStandard: (framework: string, standard: string) =>
    `#/framework-load/${encodeURIComponent(framework)}/${encodeURIComponent(standard)}`,
  welcome: () => "#/welcome",
  profile: () => "#/welcome/profile",
  centre: () => "#/welcome/centre",
  users: () => "#/users",
  audit: () => "#/audit",
  caseload: () => "#/caseload",
  bundles: () => "#/bundles",
};

/** Decides whether the user may leave the current page (true: leave). */
export type LeaveGuard = (to: string) => Promise<boolean>;

class Router {
  route = $state<Route>({ name: "home" });
  /** Counts page changes, so that each visit to #/evidence/new gets a fresh editor. */
  visits = $state(0);
  /** Items created by the editor shown at #/evidence/new, with that editor's key: saving a new item
   * moves the address to the item without replacing the editor. */
  readonly adopted = new Map<string, string>();
  #hash = "";
  #guard: LeaveGuard | null = null;
  #asking = false;

  start(): void {
    this.#hash = location.hash;
    this.route = parseRoute(this.#hash);
    window.addEventListener("hashchange", () => void this.#changed());
  }

  /** Registers the guard of the page shown; returns the function that removes it. */
  guard(fn: LeaveGuard): () => void {
    this.#guard = fn;
    return () => {
      if (this.#guard === fn) this.#guard = null;
    };
  }

  /** Goes to a link target, through the guard; resolves to whether the page changed. */
  async go(target: string): Promise<boolean> {
    if (target === this.#hash) {
      this.route = parseRoute(target);
      return true;
    }
    if (!(await this.#mayLeave(target))) return false;
    history.pushState(history.state, "", target);
    this.#show(target);
    return true;
  }

  /** Asks the page shown (through its guard) whether the window may close; true: close. */
  mayClose(): Promise<boolean> {
    return this.#mayLeave("");
  }

  /** Replaces the current page without a guard or a new history entry (after saving a new item, say). */
  replace(target: string): void {
    history.replaceState(history.state, "", target);
    this.#hash = location.hash;
    this.route = parseRoute(this.#hash);
  }

  async #mayLeave(target: string): Promise<boolean> {
    const guard = this.#guard;
    if (!guard) return true;
    if (this.#asking) return false;
    this.#asking = true;
    try {
      return await guard(target);
    } finally {
      this.#asking = false;
    }
  }

  /** The key of the editor for the current route: a new one per visit to #/evidence/new. */
  editorKey(): string {
    const r = this.route;
    if (r.name === "evidence-new") return `new:${this.visits}`;
    if (r.name === "evidence-item") return this.adopted.get(r.id) ?? r.id;
    return "";
  }

  #show(target: string): void {
    this.visits += 1;
    this.#hash = target;
    this.route = parseRoute(target);
    window.scrollTo(0, 0);
  }

  async #changed(): Promise<void> {
    const next = location.hash;
    if (next === this.#hash) return;
    if (this.#guard) {
      // Show the page's own address again while the user decides.
      history.replaceState(history.state, "", this.#hash || "#/");
      if (!(await this.#mayLeave(next))) return;
      history.replaceState(history.state, "", next);
    }
    this.#show(next);
  }
}

export const router = new Router();
