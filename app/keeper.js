// Keeping the clone: download and import (file picker or drag-and-drop), saving it in the
// browser every few seconds and when the page is hidden, restoring it on the next visit,
// share links, and "forget". The weights text always comes from the worker's `export` and
// goes back through its `import`, which validates it with pymodel's own code: this module
// never interprets the weights itself.

import * as storage from "./storage.js";
import { clearFragment, decodeClone, shareUrl } from "./share.js";

/** @typedef {import("./client.js").WorkerClient} WorkerClient */

const SAVE_EVERY_MS = 10_000;
export const MAX_FILE_BYTES = 2_000_000; // pymodel.weights.MAX_TEXT_CHARS: nothing bigger is ours

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
    this.quotaWarned = false;
    el.innerHTML = MARKUP;
    const q = (/** @type {string} */ s) => /** @type {any} */ (el.querySelector(s));
    this.shareField = /** @type {HTMLInputElement} */ (q("#share-url"));
    this.savedAtEl = q("#saved-at");
    // The fragment is read now, while main.js boots the worker, so onReady only waits for it.
    this.shared = decodeClone(location.hash).then((r) => {
      if (r) clearFragment(); // a reload then plays the saved (and further trained) clone
      return r;
    });

    q("#export-btn").addEventListener("click", () => this.download());
    q("#share-btn").addEventListener("click", () => this.share());
    q("#forget-btn").addEventListener("click", () => this.forget());
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
      [window, "pagehide", () => this.restored && this.saveSettings()],
    ]);
    for (const [t, type, fn] of this.listeners) t.addEventListener(type, fn);
    this.timer = setInterval(() => this.save(), SAVE_EVERY_MS);
    this.showSavedAt();
  }

  /** Bring back a shared clone (first) or the saved one, then the saved settings. */
  async restore() {
    const { notice, container } = this.opts;
    // Settings first: with learning off, the clone that comes back is exactly the saved one.
    await this.opts.controls.restore(storage.loadSettings());
    let source = "none";
    const shared = await this.shared;
    if (shared && "error" in shared) {
      notice.show(shared.error, "error");
      source = "damaged-share";
    } else if (shared) {
      source = (await this.load(shared.text)) ? "share" : "refused-share";
      if (source === "share") notice.show("You are playing a shared clone. It keeps learning from you and is now your saved clone.", "ok");
      else notice.show(`This share link's clone was refused: ${this.lastError}`, "error");
    }
    if (source === "none" || source === "damaged-share") {
      const text = storage.loadClone();
      if (text) {
        if (await this.load(text)) {
          source = source === "none" ? "saved" : source;
          if (source === "saved") notice.show("Welcome back: your clone is restored.", "ok");
        } else {
          notice.show(`Your saved clone could not be restored (${this.lastError}), so the AI starts from random weights.`, "error");
        }
      }
    }
    this.restored = true;
    container.dataset.restored = source;
    if (source === "share") this.save();
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

  /** Save the clone and settings now (after the restore, so we never save over it). */
  async save() {
    if (!this.restored) return;
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
      const blob = new Blob([text], { type: "application/json" });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = filename || defaultName();
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      this.opts.notice.show(`Downloaded ${a.download}.`, "ok");
    } catch (err) {
      this.opts.notice.show(`Could not export the clone: ${/** @type {Error} */ (err).message}`, "error");
    }
  }

  /** @param {File} file */
  async importFile(file) {
    const { notice } = this.opts;
    const name = file.name || "the file";
    if (file.size > MAX_FILE_BYTES) {
      // Refused on its size alone: a huge file is never read into memory.
      notice.show(`Could not import "${name}": it is ${mb(file.size)}, and a clone file is at most ${mb(MAX_FILE_BYTES)}. Nothing was changed.`, "error");
      return;
    }
    let text;
    try {
      text = await file.text();
    } catch (err) {
      notice.show(`Could not read "${name}": ${/** @type {Error} */ (err).message}`, "error");
      return;
    }
    try {
      const reply = await this.client.request("import", { text });
      const sizes = Array.isArray(reply.layer_sizes) ? ` (${reply.layer_sizes.join("-")})` : "";
      const learning = this.opts.controls.settings?.learning !== false;
      notice.show(`Imported clone "${name}"${sizes}: the AI now plays with it${learning ? " and keeps learning from you" : ""}.`, "ok");
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

/** @param {number} bytes */
function mb(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

/** mirror-pong-clone-YYYYMMDD-HHMM.json, in local time */
export function defaultName(d = new Date()) {
  const p = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `mirror-pong-clone-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.json`;
}
