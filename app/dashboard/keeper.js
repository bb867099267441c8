// Keeping the clone: download and import (file picker or drag-and-drop), saving it in the
// browser every few seconds and when the page is hidden, share links, and "forget". The
// clone a visit starts with (shared or saved) is sent with the one `init` (app/game/main.js);
// this module says what came back and only then starts saving. The weights text always comes
// from the worker's `export` and goes back through its `import`, which validates it with
// pymodel's own code: this module never interprets the weights itself.

import * as storage from "../game/storage.js";
import { shareUrl } from "../game/share.js";
import { Ownership } from "../game/owner.js";
import { readLimited, saveText } from "../game/files.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */

const SAVE_EVERY_MS = 5_000; // the saved clone is at most this old (plus one export)

const MARKUP = `
<h2>Keep your clone</h2>
<div class="mp-buttons">
  <button type="button" id="export-btn">Download clone</button>
  <label class="mp-button" for="import-input">Import clone…</label>
  <input type="file" id="import-input" accept=".json,application/json" class="mp-visually-hidden">
  <button type="button" id="share-btn">Copy share link</button>
  <button type="button" id="forget-btn" class="mp-danger">Forget my clone</button>
</div>
<p class="mp-sub">Or drop a clone file anywhere on the page. Your clone is saved in this browser
  (<span id="saved-at">not saved yet</span>); a share link carries it in the address itself, so
  nothing is uploaded.</p>
<input type="text" id="share-url" readonly hidden aria-label="Share link">
<p id="owner-status" class="mp-owner" role="status" hidden><span class="mp-owner-text"></span>
  <button type="button" id="take-over">Take over here</button></p>
`;

export class Keeper {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} client
   * @param {{notice: {show: (m: string, k?: any) => void}, controls: import("./controls.js").Controls,
   *   container: HTMLElement}} opts
   */
  constructor(el, client, opts) {
    this.el = el;
    this.client = client;
    this.opts = opts;
    this.restored = false; // no saving until the saved clone is back, or we would overwrite it
    this.maxFileBytes = 0; // the schema's limits.weights_bytes, set by start()
    this.quotaWarned = false;
    el.innerHTML = MARKUP;
    const q = (/** @type {string} */ s) => /** @type {any} */ (el.querySelector(s));
    this.shareField = /** @type {HTMLInputElement} */ (q("#share-url"));
    this.savedAtEl = q("#saved-at");

    q("#export-btn").addEventListener("click", () => this.download());
    q("#share-btn").addEventListener("click", () => this.share());
    q("#forget-btn").addEventListener("click", () => this.forget());
    q("#take-over").addEventListener("click", () => this.ownership?.takeOver());
    /** @type {Ownership | null} */ this.ownership = null;
    const input = /** @type {HTMLInputElement} */ (q("#import-input"));
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      input.value = ""; // the same file can be picked again
      if (file) this.importFile(file);
    });
    opts.controls.onChange = () => this.save();

    this.overlay = document.createElement("div");
    this.overlay.className = "mp-drop-overlay";
    this.overlay.textContent = "Drop a clone file to play against it";
    this.overlay.hidden = true;
    document.body.appendChild(this.overlay);
    this.listeners = /** @type {[EventTarget, string, EventListener][]} */ ([
      [document, "dragover", (e) => this.onDrag(/** @type {DragEvent} */ (e))],
      [document, "dragleave", (e) => { if (!/** @type {DragEvent} */ (e).relatedTarget) this.overlay.hidden = true; }],
      [document, "drop", (e) => this.onDrop(/** @type {DragEvent} */ (e))],
      [document, "visibilitychange", () => document.hidden && this.save()],
      [window, "pagehide", () => this.restored && this.owns() && this.saveSettings()],
    ]);
    for (const [t, type, fn] of this.listeners) t.addEventListener(type, fn);
    this.timer = setInterval(() => this.save(), SAVE_EVERY_MS);
    this.showSavedAt();
  }

  /**
   * The game is playing the clone it started with: say where it came from, and start saving.
   * @param {import("../game/session.js").Restored} restored
   * @param {number} maxFileBytes the schema's limit on a weights file
   */
  async start(restored, maxFileBytes) {
    this.maxFileBytes = maxFileBytes;
    for (const n of restored.notices) this.opts.notice.show(n.text, n.kind);
    if (!this.ownership) {
      this.ownership = new Ownership({
        saveNow: () => this.save(),
        onChange: (owns, why) => this.showOwner(owns, why),
      });
      await this.ownership.claim();
    }
    this.restored = true;
    this.opts.container.dataset.restored = restored.source;
    if (restored.source === "share") this.save();
  }

  /** True when this tab saves the clone (see app/game/owner.js). */
  owns() {
    return !this.ownership || this.ownership.owns;
  }

  /** @param {boolean} owns @param {string} why */
  async showOwner(owns, why) {
    const box = /** @type {HTMLElement} */ (this.el.querySelector("#owner-status"));
    const text = /** @type {HTMLElement} */ (box.querySelector(".mp-owner-text"));
    this.opts.container.dataset.owner = owns ? "yes" : "no";
    box.hidden = owns;
    if (why === "guest") {
      text.textContent = "Your clone is open in another tab, which saves it. This tab plays but does not save.";
    } else if (why === "handed-over") {
      text.textContent = "Another tab took over your clone: this tab plays on but no longer saves it.";
    } else if (why === "took-over") {
      // Play on from the clone the other tab saved as it let go.
      const saved = storage.loadClone();
      if (saved && (await this.load(saved))) {
        this.opts.notice.show("This tab now saves your clone: it plays the clone the other tab just saved.", "ok");
      } else {
        this.opts.notice.show("This tab now saves your clone.", "ok");
      }
      this.save();
    }
  }

  /** @param {string} text @returns {Promise<boolean>} */
  async load(text) {
    try {
      await this.client.request("import", { text });
      return true;
    } catch (err) {
      this.lastError = /** @type {Error} */ (err).message;
      return false;
    }
  }

  async exportText() {
    const reply = await this.client.request("export");
    return { text: /** @type {string} */ (reply.text), filename: /** @type {string | undefined} */ (reply.filename) };
  }

  /** Save the clone and settings now (after the restore, so we never save over it; and only
   * in the tab that owns the saved clone). */
  async save() {
    if (!this.restored || !this.owns()) return;
    this.saveSettings();
    let text;
    try {
      ({ text } = await this.exportText());
    } catch {
      return; // the worker is busy or gone; the next save will try again
    }
    const out = storage.saveClone(text);
    if (!out.ok && !this.quotaWarned) {
      this.quotaWarned = true;
      this.opts.notice.show(out.message, "error");
    } else if (out.ok) {
      this.quotaWarned = false;
      this.showSavedAt();
      // A counter tests can wait on ("saved after I turned learning off").
      const c = this.opts.container;
      c.dataset.saves = String(Number(c.dataset.saves || 0) + 1);
    }
  }

  saveSettings() {
    if (!this.owns()) return;
    const out = storage.saveSettings(/** @type {any} */ (this.opts.controls.snapshot()));
    if (!out.ok && !this.quotaWarned) {
      this.quotaWarned = true;
      this.opts.notice.show(out.message, "error");
    }
  }

  showSavedAt() {
    const at = storage.savedAt();
    this.savedAtEl.textContent = at ? `saved ${new Date(at).toLocaleTimeString()}` : "not saved yet";
  }

  async download() {
    try {
      const { text, filename } = await this.exportText();
      const name = filename || defaultName();
      saveText(text, name, "application/json");
      this.opts.notice.show(`Downloaded ${name}.`, "ok");
    } catch (err) {
      this.opts.notice.show(`Could not export the clone: ${/** @type {Error} */ (err).message}`, "error");
    }
  }

  /** @param {File} file */
  async importFile(file) {
    const { notice } = this.opts;
    const name = file.name || "the file";
    const read = await readLimited(file, this.maxFileBytes, "a clone file");
    if ("error" in read) {
      notice.show(read.error, "error");
      return;
    }
    const { text } = read;
    try {
      const reply = await this.client.request("import", { text });
      const sizes = Array.isArray(reply.layer_sizes) ? ` (${reply.layer_sizes.join("-")}${reply.feature_set ? `, ${reply.feature_set} inputs` : ""})` : "";
      const learning = this.opts.controls.settings?.learning !== false;
      const named = typeof reply.name === "string" && reply.name ? `, named \u201c${reply.name}\u201d,` : "";
      notice.show(`Imported clone "${name}"${named}${sizes}: the AI now plays with it${learning ? " and keeps learning from you" : ""}.`, "ok");
      this.save();
    } catch (err) {
      notice.show(`Could not import "${name}": ${sentence(/** @type {Error} */ (err).message)} The current clone keeps playing.`, "error");
    }
  }

  /** @param {DragEvent} e */
  onDrag(e) {
    if (!e.dataTransfer || !Array.from(e.dataTransfer.types || []).includes("Files")) return;
    e.preventDefault(); // allows the drop
    e.dataTransfer.dropEffect = "copy";
    this.overlay.hidden = false;
  }

  /** @param {DragEvent} e */
  onDrop(e) {
    this.overlay.hidden = true;
    const file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (!file) return;
    e.preventDefault(); // otherwise the browser navigates to the file
    this.importFile(file);
  }

  async share() {
    const { notice } = this.opts;
    let url;
    try {
      url = await shareUrl((await this.exportText()).text);
    } catch (err) {
      notice.show(`Could not make a share link: ${/** @type {Error} */ (err).message}`, "error");
      return;
    }
    // The field always shows the link, so it can be copied by hand when the clipboard is refused.
    this.shareField.value = url;
    this.shareField.hidden = false;
    const kb = `${Math.ceil(url.length / 1024)} KB`;
    try {
      await navigator.clipboard.writeText(url);
      notice.show(`Share link copied (${kb}). Whoever opens it plays against your clone.`, "ok");
    } catch {
      this.shareField.focus();
      this.shareField.select();
      notice.show(`Copy the share link from the field below (${kb}): the clipboard is not available here.`, "info");
    }
  }

  async forget() {
    if (!confirm("Forget your clone? Its saved copy in this browser is deleted and the AI starts again from random weights.")) return;
    storage.forget();
    try {
      await this.client.request("reset_ai");
    } catch {
      // the saved copy is gone either way
    }
    this.opts.controls.opts.onReset?.();
    this.showSavedAt();
    this.opts.notice.show("Your clone is forgotten: the AI starts again from random weights.", "info");
  }

  destroy() {
    clearInterval(this.timer);
    for (const [t, type, fn] of this.listeners) t.removeEventListener(type, fn);
    this.overlay.remove();
  }
}

/** A worker message as a sentence: capital not needed, final stop added when missing. */
function sentence(/** @type {string} */ msg) {
  const m = (msg || "unknown error").trim();
  return /[.!?]$/.test(m) ? m : m + ".";
}


/** mirror-pong-clone-YYYYMMDD-HHMM.json, in local time */
export function defaultName(d = new Date()) {
  const p = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `mirror-pong-clone-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.json`;
}
