// The page's status surfaces: the loading overlay with its progress bar, the fatal error box
// that replaces it when the game cannot start, and dismissible notices for problems the game
// survives (a bad URL parameter, a failed request). DOM only; no game logic.

// The boot stages of app/game/pyboot.js, in order (older names kept for the Lab's worker).
const STAGE_LABELS = /** @type {Record<string, string>} */ ({
  runtime: "Starting the Python runtime",
  pyodide: "Starting the Python runtime",
  stdlib: "Loading the Python standard library",
  numpy: "Loading numpy",
  packages: "Loading numpy",
  "numpy-import": "Importing numpy",
  pymodel: "Importing the model",
  model: "Importing the model",
  session: "Starting the game",
  init: "Starting the game",
});

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

export class Status {
  constructor() {
    this.overlay = byId("loading");
    this.bar = /** @type {HTMLProgressElement} */ (byId("load-progress"));
    this.stage = byId("load-stage");
    this.percent = byId("load-percent");
    this.detail = byId("load-detail");
    this.errorBox = byId("error-box");
    this.notices = byId("notices");
    this.lastProgress = performance.now();
    this.failed = false;
    /** @type {Record<string, number> | null} ms per boot stage, from the last progress */
    this.bootTimes = null;
    // No progress for a while: say so, rather than leaving a frozen bar.
    this.watchdog = setInterval(() => {
      if (performance.now() - this.lastProgress > 20000 && !this.overlay.hidden) {
        this.detail.textContent = "This is taking longer than usual (a slow connection?). Still trying…";
      }
    }, 5000);
  }

  /**
   * @param {{stage: string, loaded: number, total: number, detail?: string,
   *   times?: Record<string, number>}} msg
   */
  progress({ stage, loaded, total, detail, times }) {
    if (times) this.bootTimes = times;
    if (this.failed) return;
    this.lastProgress = performance.now();
    const fraction = total > 0 ? Math.min(Math.max(loaded / total, 0), 1) : 0;
    this.bar.max = 1;
    this.bar.value = fraction;
    this.bar.setAttribute("aria-valuetext", `${Math.round(fraction * 100)}%`);
    this.stage.textContent = STAGE_LABELS[stage] || stage;
    this.percent.textContent = `${Math.floor(fraction * 100)}%`;
    const bytes = total > 100000 ? ` (${mb(loaded)} of ${mb(total)} MB)` : "";
    this.detail.textContent = `${detail || ""}${bytes}`.trim();
  }

  /** The game is playable: the overlay goes. */
  ready() {
    clearInterval(this.watchdog);
    this.overlay.hidden = true;
  }

  /**
   * The game cannot run: the message replaces the progress bar, with the detail folded away.
   * @param {string} message one clear sentence
   * @param {string} [detail] a traceback, or ''
   * @param {string} [title] the heading above the message
   */
  fatal(message, detail = "", title = "The game could not start") {
    this.failed = true;
    clearInterval(this.watchdog);
    this.overlay.hidden = true;
    this.errorBox.hidden = false;
    byId("error-title").textContent = title;
    byId("error-message").textContent = message;
    const more = /** @type {HTMLDetailsElement} */ (byId("error-detail"));
    more.hidden = !detail;
    byId("error-detail-text").textContent = detail;
  }

  /**
   * A notice the player can dismiss; the game goes on.
   * @param {string} message
   * @param {{kind?: 'warning' | 'error' | 'ok', detail?: string,
   *   action?: {label: string, run: () => void}}} [options] action: a button in the notice
   * @returns {HTMLElement} the notice, so its sender can take it away
   */
  notice(message, { kind = "warning", detail = "", action = undefined } = {}) {
    const item = document.createElement("div");
    item.className = `notice notice--${kind}`;
    item.setAttribute("role", kind === "error" ? "alert" : "status");
    const text = document.createElement("p");
    text.textContent = message;
    item.append(text);
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button notice-action";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      item.append(button);
    }
    if (detail) {
      const more = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = "Details";
      const pre = document.createElement("pre");
      pre.textContent = detail;
      more.append(summary, pre);
      item.append(more);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.className = "notice-close";
    close.setAttribute("aria-label", "Dismiss this message");
    close.textContent = "×";
    close.addEventListener("click", () => item.remove());
    item.append(close);
    this.notices.append(item);
    // Keep the list short if something repeats.
    while (this.notices.children.length > 4) this.notices.firstElementChild?.remove();
    return item;
  }
}

/** @param {number} bytes */
const mb = (bytes) => (bytes / 1e6).toFixed(1);
