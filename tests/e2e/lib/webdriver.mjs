// A small W3C WebDriver client over fetch, enough to drive Evidence Tracker through tauri-driver.
// Spec: https://www.w3.org/TR/webdriver2/ — every command is JSON over HTTP; errors come back as
// {value: {error, message, stacktrace}} with a 4xx/5xx status.

const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

/** Special keys (W3C WebDriver "normalised key values"). */
export const Keys = Object.freeze({
  ENTER: "\uE007",
  TAB: "\uE004",
  BACKSPACE: "\uE003",
  ESCAPE: "\uE00C",
  CONTROL: "\uE009",
});

export class WebDriverError extends Error {
  constructor(command, status, value) {
    super(`${command}: ${value?.error ?? status}: ${value?.message ?? JSON.stringify(value)}`);
    this.name = "WebDriverError";
    this.error = value?.error;
    this.status = status;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** An element found in the page; methods forward to its session. */
export class Element {
  constructor(session, id, description) {
    this.session = session;
    this.id = id;
    this.description = description;
  }
  toJSON() {
    return { [ELEMENT_KEY]: this.id };
  }
  #path(suffix = "") {
    return `/element/${encodeURIComponent(this.id)}${suffix}`;
  }
  click() {
    return this.session.cmd("POST", this.#path("/click"), {});
  }
  clear() {
    return this.session.cmd("POST", this.#path("/clear"), {});
  }
  sendKeys(text) {
    return this.session.cmd("POST", this.#path("/value"), { text: String(text) });
  }
  text() {
    return this.session.cmd("GET", this.#path("/text"));
  }
  attribute(name) {
    return this.session.cmd("GET", this.#path(`/attribute/${encodeURIComponent(name)}`));
  }
  property(name) {
    return this.session.cmd("GET", this.#path(`/property/${encodeURIComponent(name)}`));
  }
  tagName() {
    return this.session.cmd("GET", this.#path("/name"));
  }
  isDisplayed() {
    return this.session.cmd("GET", this.#path("/displayed"));
  }
  isEnabled() {
    return this.session.cmd("GET", this.#path("/enabled"));
  }
  isSelected() {
    return this.session.cmd("GET", this.#path("/selected"));
  }
  async find(css) {
    const value = await this.session.cmd("POST", this.#path("/element"), { using: "css selector", value: css });
    return new Element(this.session, value[ELEMENT_KEY], `${this.description} ${css}`);
  }
  async findAll(css) {
    const value = await this.session.cmd("POST", this.#path("/elements"), { using: "css selector", value: css });
    return value.map((v) => new Element(this.session, v[ELEMENT_KEY], `${this.description} ${css}`));
  }
  /** A PNG (base64) of this element. */
  screenshot() {
    return this.session.cmd("GET", this.#path("/screenshot"));
  }
}

/** One WebDriver session: with tauri-driver, one running instance of the app. */
export class Session {
  constructor(base, id, capabilities) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
    this.closed = false;
  }

  /**
   * Starts the app. `application` must be an absolute path; `args` are passed to it.
   * tauri-driver launches it through WebKitWebDriver, with tauri-driver's own environment.
   */
  static async start({ application, args = [], base = process.env.WEBDRIVER_URL ?? "http://127.0.0.1:4444" }) {
    const body = {
      capabilities: {
        alwaysMatch: {
          "tauri:options": { application, args },
        },
      },
    };
    const value = await request(base, "POST", "/session", body, "new session");
    const session = new Session(base, value.sessionId, value.capabilities);
    return session;
  }

  /** Sends one command of this session; returns its `value`. */
  cmd(method, path, body) {
    return request(this.base, method, `/session/${encodeURIComponent(this.id)}${path}`, body, `${method} ${path}`);
  }

  /** Ends the session: WebKitWebDriver closes the browser, i.e. the app quits. */
  async quit() {
    if (this.closed) return;
    this.closed = true;
    await request(this.base, "DELETE", `/session/${encodeURIComponent(this.id)}`, undefined, "delete session");
  }

  setTimeouts({ script, pageLoad, implicit } = {}) {
    return this.cmd("POST", "/timeouts", { script, pageLoad, implicit });
  }

  url() {
    return this.cmd("GET", "/url");
  }
  title() {
    return this.cmd("GET", "/title");
  }
  source() {
    return this.cmd("GET", "/source");
  }
  windowRect() {
    return this.cmd("GET", "/window/rect");
  }
  setWindowRect(rect) {
    return this.cmd("POST", "/window/rect", rect);
  }

  async find(css) {
    const value = await this.cmd("POST", "/element", { using: "css selector", value: css });
    return new Element(this, value[ELEMENT_KEY], css);
  }
  async findAll(css) {
    const value = await this.cmd("POST", "/elements", { using: "css selector", value: css });
    return value.map((v) => new Element(this, v[ELEMENT_KEY], css));
  }
  async findByXPath(xpath) {
    const value = await this.cmd("POST", "/element", { using: "xpath", value: xpath });
    return new Element(this, value[ELEMENT_KEY], xpath);
  }
  async findAllByXPath(xpath) {
    const value = await this.cmd("POST", "/elements", { using: "xpath", value: xpath });
    return value.map((v) => new Element(this, v[ELEMENT_KEY], xpath));
  }
  activeElement() {
    return this.cmd("GET", "/element/active").then((v) => new Element(this, v[ELEMENT_KEY], "active element"));
  }

  /** Runs `script` (a function body) synchronously in the page; `arguments` holds `args`. */
  async execute(script, args = []) {
    return this.#revive(await this.cmd("POST", "/execute/sync", { script, args }));
  }
  /** Runs `script` asynchronously: it must call `arguments[arguments.length - 1](result)`. */
  async executeAsync(script, args = []) {
    return this.#revive(await this.cmd("POST", "/execute/async", { script, args }));
  }
  /** Runs an async function body (may `await`); its resolved value comes back. */
  executePromise(body, args = []) {
    return this.executeAsync(
      `const done = arguments[arguments.length - 1];
       const args = Array.prototype.slice.call(arguments, 0, -1);
       (async function () { ${body} }).apply(null, args).then(
         (value) => done({ ok: true, value }),
         (error) => done({ ok: false, error: String(error && error.stack || error) }));`,
      args,
    ).then((r) => {
      if (!r || !r.ok) throw new Error(`script failed: ${r?.error}`);
      return r.value;
    });
  }

  #revive(value) {
    if (value && typeof value === "object") {
      if (typeof value[ELEMENT_KEY] === "string") return new Element(this, value[ELEMENT_KEY], "script result");
      if (Array.isArray(value)) return value.map((v) => this.#revive(v));
    }
    return value;
  }

  /** A PNG (base64) of the window's viewport. */
  screenshot() {
    return this.cmd("GET", "/screenshot");
  }

  // ---- waiting -------------------------------------------------------------------------------

  /** Polls `probe` until it returns a truthy value (returned); throws `message` after `timeout` ms. */
  async waitUntil(probe, { timeout = 10_000, interval = 100, message = "condition" } = {}) {
    const deadline = Date.now() + timeout;
    let lastError;
    for (;;) {
      try {
        const value = await probe();
        if (value) return value;
        lastError = undefined;
      } catch (err) {
        if (err instanceof WebDriverError && err.error === "invalid session id") throw err;
        lastError = err;
      }
      if (Date.now() > deadline) {
        const why = lastError ? ` (last error: ${lastError.message})` : "";
        throw new Error(`timed out after ${timeout} ms waiting for ${message}${why}`);
      }
      await sleep(interval);
    }
  }

  /** Waits for an element matching `css` (displayed unless `visible: false`); returns it. */
  waitFor(css, { timeout = 10_000, visible = true } = {}) {
    return this.waitUntil(
      async () => {
        const found = await this.findAll(css);
        for (const el of found) {
          if (!visible || (await el.isDisplayed())) return el;
        }
        return null;
      },
      { timeout, message: `${visible ? "a visible " : ""}element ${css}` },
    );
  }

  /** Waits until no element matches `css` (or none is displayed). */
  waitGone(css, { timeout = 10_000 } = {}) {
    return this.waitUntil(
      async () => {
        for (const el of await this.findAll(css)) {
          if (await el.isDisplayed().catch(() => false)) return false;
        }
        return true;
      },
      { timeout, message: `${css} to disappear` },
    );
  }

  /** Waits for the text of `css` to satisfy `predicate` (a string means equality after trim). */
  async waitForText(css, predicate, { timeout = 10_000 } = {}) {
    const test = typeof predicate === "function" ? predicate : (t) => t.trim() === String(predicate);
    let last;
    try {
      return await this.waitUntil(
        async () => {
          last = await (await this.find(css)).text();
          return test(last) ? last : null;
        },
        { timeout, message: `text of ${css}` },
      );
    } catch (err) {
      err.message += ` — last text: ${JSON.stringify(last)}`;
      throw err;
    }
  }

  /** The first element matching `css` whose visible text includes `text` (case-insensitive). */
  async findByText(css, text, { timeout = 10_000 } = {}) {
    const wanted = text.toLowerCase();
    return this.waitUntil(
      async () => {
        for (const el of await this.findAll(css)) {
          const t = (await el.text()).toLowerCase();
          if (t.includes(wanted) && (await el.isDisplayed())) return el;
        }
        return null;
      },
      { timeout, message: `${css} with text ${JSON.stringify(text)}` },
    );
  }

  // ---- form helpers --------------------------------------------------------------------------

  /**
   * Sets an input's, textarea's or select's value as a user's edit would end: through the native
   * value setter, then `input` and `change` events (what Svelte's bindings listen to). Used for date
   * inputs and selects, which WebKit's send-keys does not fill reliably.
   */
  async setValue(el, value) {
    const got = await this.execute(
      `const el = arguments[0], value = arguments[1];
       const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
                   : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
                   : HTMLInputElement.prototype;
       Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
       el.dispatchEvent(new Event('input', { bubbles: true }));
       el.dispatchEvent(new Event('change', { bubbles: true }));
       return el.value;`,
      [el, value],
    );
    // A select silently refuses a value it does not offer: say so instead of testing the wrong thing.
    if (got !== value) throw new Error(`the field did not take the value ${JSON.stringify(value)} (it holds ${JSON.stringify(got)})`);
    return got;
  }

  /** Clears a text field and types `text` into it; falls back to setValue if typing was lost. */
  async type(el, text) {
    await el.clear();
    if (text !== "") await el.sendKeys(text);
    const got = await el.property("value");
    if (got !== text) await this.setValue(el, text);
    return el;
  }
}

/** The longest any one WebDriver request may take (starting the app included). */
const REQUEST_TIMEOUT_MS = 90_000;

async function request(base, method, path, body, what) {
  let response;
  try {
    response = await fetch(base + path, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json; charset=utf-8" },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A driver that never answers must fail the test, not hang the run.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    if (err.name === "TimeoutError") {
      throw new Error(`${what}: the WebDriver server gave no answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
    }
    throw new Error(`${what}: cannot reach the WebDriver server at ${base}: ${err.cause?.message ?? err.message}`);
  }
  const raw = await response.text();
  let json;
  try {
    json = raw ? JSON.parse(raw) : {};
  } catch {
    throw new Error(`${what}: HTTP ${response.status}, not JSON: ${raw.slice(0, 500)}`);
  }
  if (!response.ok) {
    throw new WebDriverError(what, response.status, json.value);
  }
  return json.value;
}
