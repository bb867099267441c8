// "Your clones": the clone that plays now, by name, and a small library of named clones kept
// in this browser (app/game/storage.js): save the one that plays, rename, delete, play against
// one, or send one to a duel. The weights text always comes from the worker's `export` and
// goes back through its `import` (which checks it with pymodel's own code); names are shown
// as text only. A library change that storage refuses (full, or switched off) is said and
// changes nothing.

import * as storage from "../game/storage.js";
import { mb } from "../game/files.js";
import { setText } from "./training.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */

const MARKUP = `
<h2>Your clones</h2>
<p class="mp-clone-now">Playing now: <strong id="clone-name" class="mp-clone"></strong></p>
<div class="mp-lab-row">
  <input type="text" id="library-name" placeholder="a name for it" aria-label="A name for the clone that plays now">
  <button type="button" id="clone-rename">Name it</button>
  <button type="button" id="library-save" class="mp-primary">Save in library</button>
</div>
<p class="mp-sub" id="library-count"></p>
<ul id="library-list" class="mp-library"></ul>
`;

export class LibraryCard {
  /**
   * @param {HTMLElement} el
   * @param {WorkerClient} client
   * @param {{notice: {show: (m: string, k?: any) => void}, saveNow: () => void,
   *   changed: () => void, duel: (id: string) => void}} opts changed: the library changed
   *   (the duel card lists it too); duel: send a library clone to the duel card
   */
  constructor(el, client, opts) {
    this.el = el;
    this.client = client;
    this.opts = opts;
    this.max = 0; // the schema's limits.library_clones
    this.nameChars = 0; // ... and limits.name_chars
    /** @type {string | null} */ this.name = null;
    el.innerHTML = MARKUP;
    const q = (/** @type {string} */ id) => /** @type {any} */ (el.querySelector("#" + id));
    this.q = q;
    q("library-save").addEventListener("click", () => this.save());
    q("clone-rename").addEventListener("click", () => this.nameIt());
    q("library-name").addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => e.key === "Enter" && this.nameIt());
    this.offs = [
      client.on("settings", (s) => this.showName(s.name)),
      client.on("metrics", (m) => m.settings && this.showName(m.settings.name)),
      client.on("imported", (m) => this.showName(m.name)),
    ];
    this.showName(null);
  }

  /** @param {any} schema @param {any} settings the ready reply's */
  start(schema, settings) {
    this.max = schema.limits.library_clones;
    this.nameChars = schema.limits.name_chars;
    q(this.el, "library-name").maxLength = this.nameChars;
    this.showName(settings?.name ?? null);
    this.render();
  }

  /** @param {string | null | undefined} name */
  showName(name) {
    if (name === undefined) return;
    this.name = name;
    setText(this.q("clone-name"), name || "an unnamed clone");
    this.el.dataset.name = name || "";
  }

  /** Name the clone that plays now (the worker keeps it in its weights file). */
  async nameIt() {
    const name = this.q("library-name").value.trim();
    if (!name) return this.name;
    try {
      const reply = await this.client.request("set_name", { name });
      this.showName(reply.name);
      this.opts.saveNow();
      return reply.name;
    } catch (err) {
      this.opts.notice.show(`Could not name it: ${/** @type {Error} */ (err).message}`, "error");
      return undefined;
    }
  }

  /** Save the clone that plays now in the library, under its name (named now if typed). */
  async save() {
    const typed = await this.nameIt();
    if (typed === undefined) return;
    const name = typed || `Clone of ${new Date().toLocaleString()}`;
    let text;
    try {
      text = (await this.client.request("export")).text;
    } catch (err) {
      this.opts.notice.show(`Could not export the clone: ${/** @type {Error} */ (err).message}`, "error");
      return;
    }
    const out = storage.saveToLibrary(name, text, this.max);
    if (!out.ok) {
      this.opts.notice.show(out.message, "error");
      return;
    }
    this.q("library-name").value = "";
    this.opts.notice.show(`Saved “${name}” in your library.`, "ok");
    this.render();
  }

  /** The list, from storage. */
  render() {
    const list = storage.listClones();
    setText(this.q("library-count"), `${list.length} of ${this.max} clones kept in this browser${list.length ? "" : ": save the one that plays to start your library"}.`);
    this.q("library-list").replaceChildren(...list.map((e) => this.row(e)));
    this.el.dataset.count = String(list.length);
    this.opts.changed();
  }

  /** @param {storage.LibraryEntry} e */
  row(e) {
    const li = document.createElement("li");
    li.dataset.id = e.id;
    const name = document.createElement("span");
    name.className = "mp-library-name";
    name.textContent = e.name;
    const when = document.createElement("span");
    when.className = "mp-sub";
    when.textContent = ` ${new Date(e.saved_at).toLocaleString()}, ${mb(e.bytes)}`;
    const buttons = document.createElement("span");
    buttons.className = "mp-library-buttons";
    const button = (/** @type {string} */ label, /** @type {string} */ cls, /** @type {() => void} */ run) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = cls;
      b.textContent = label;
      b.addEventListener("click", run);
      return b;
    };
    buttons.append(
      button("Play", "library-play", () => this.play(e)),
      button("Duel", "library-duel", () => this.opts.duel(e.id)),
      button("Rename", "library-rename", () => this.rename(li, e)),
      button("Delete", "library-delete mp-danger", () => this.remove(e)),
    );
    li.append(name, when, buttons);
    return li;
  }

  /** Play against a library clone: it replaces the one that plays (asked first). @param {storage.LibraryEntry} e */
  async play(e) {
    if (!confirm(`Play against “${e.name}”? The clone that plays now is replaced (save it in your library first to keep it).`)) return;
    const text = storage.loadFromLibrary(e.id);
    if (!text) {
      this.opts.notice.show("That clone is no longer in your library.", "error");
      return;
    }
    try {
      await this.client.request("import", { text, name: e.name });
      this.opts.notice.show(`You now play against “${e.name}”; it keeps learning from you (its saved copy stays as it was).`, "ok");
      this.opts.saveNow();
    } catch (err) {
      this.opts.notice.show(`Could not play “${e.name}”: ${/** @type {Error} */ (err).message} The current clone keeps playing.`, "error");
    }
  }

  /** Rename in place: the name becomes a field, Enter or OK keeps it, Escape leaves it. @param {HTMLElement} li @param {storage.LibraryEntry} e */
  rename(li, e) {
    const input = document.createElement("input");
    input.type = "text";
    input.className = "library-rename-input";
    input.value = e.name;
    input.maxLength = this.nameChars;
    input.setAttribute("aria-label", `A new name for ${e.name}`);
    const ok = document.createElement("button");
    ok.type = "button";
    ok.className = "library-rename-ok";
    ok.textContent = "OK";
    const keep = () => {
      const name = input.value.trim();
      if (!name || name === e.name) return this.render();
      const out = storage.renameInLibrary(e.id, name);
      if (!out.ok) this.opts.notice.show(out.message, "error");
      this.render();
    };
    ok.addEventListener("click", keep);
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") keep();
      if (ev.key === "Escape") this.render();
    });
    li.replaceChildren(input, ok);
    input.focus();
    input.select();
  }

  /** @param {storage.LibraryEntry} e */
  remove(e) {
    if (!confirm(`Delete “${e.name}” from your library?`)) return;
    const out = storage.deleteFromLibrary(e.id);
    if (!out.ok) this.opts.notice.show(out.message, "error");
    else this.opts.notice.show(`Deleted “${e.name}” from your library.`, "info");
    this.render();
  }

  destroy() {
    for (const off of this.offs) off();
  }
}

/** @param {HTMLElement} el @param {string} id */
function q(el, id) {
  return /** @type {HTMLInputElement} */ (el.querySelector("#" + id));
}
