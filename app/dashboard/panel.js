// The training dashboard: the cards beside the court. Training (charts), you vs your clone,
// the mirror test (mirrorcard.js), clone against clone (duelcard.js), the network view, the
// controls, keeping the clone (keeper.js: export, import, persistence, sharing) and your
// library of named clones (library.js), plus an empty slot the page mounts the Lab into. It owns its markup
// inside the container main.js gives it and its stylesheet panel.css, and talks to the
// worker only through the WorkerClient:
//   const panel = new Panel(container, client, hooks);  // right after creating the client
//   panel.onReady(readyMsg, restored);                   // when init replies `ready`
// The clone the visit starts with went with `init`; onReady only says what came back.

import { Controls } from "./controls.js";
import { DuelCard } from "./duelcard.js";
import { Keeper } from "./keeper.js";
import { LibraryCard } from "./library.js";
import { MirrorCard } from "./mirrorcard.js";
import { NetworkCard } from "./netcard.js";
import { StyleCard } from "./stylecard.js";
import { TrainingCard } from "./training.js";

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */
/** @typedef {{setGhost?: (on: boolean) => void, holdPause?: (on: boolean, why: string) => void}} Hooks */

const MARKUP = `
<div id="panel-notice" class="mp-notice" role="alert" hidden><span class="mp-notice-text"></span><button
  type="button" class="mp-notice-close" aria-label="Dismiss"></button></div>
<section class="mp-card mp-charts" id="training-card" aria-label="Training"></section>
<section class="mp-card" id="style-card" aria-label="You vs your clone"></section>
<section class="mp-card mp-mirror" id="mirror-card" aria-label="Which one is you? The mirror test"></section>
<section class="mp-card mp-lab" id="lab" aria-label="The Lab"></section>
<section class="mp-card mp-duel" id="duel-card" aria-label="Clone against clone"></section>
<section class="mp-card" id="network-card" aria-label="Network"></section>
<section class="mp-card" id="controls" aria-label="Controls"></section>
<section class="mp-card" id="keeper" aria-label="Keep and share your clone"></section>
<section class="mp-card" id="library-card" aria-label="Your clones"></section>
`;

export class Panel {
  /**
   * Build the dashboard inside `container` and start listening to the worker.
   * @param {HTMLElement} container
   * @param {WorkerClient} client
   * @param {Hooks} [hooks]
   */
  constructor(container, client, hooks = {}) {
    linkStylesheet();
    this.container = container;
    this.client = client;
    container.classList.add("mp-panel");
    container.innerHTML = MARKUP;
    const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (container.querySelector("#" + id));
    this.notice = makeNotice($("panel-notice"));
    this.training = new TrainingCard($("training-card"), client);
    this.style = new StyleCard($("style-card"), client);
    this.network = new NetworkCard($("network-card"), client);
    const onNewClone = () => {
      this.training.clear();
      this.style.clear();
    };
    this.controls = new Controls($("controls"), client, { notice: this.notice, hooks, onReset: onNewClone });
    this.keeper = new Keeper($("keeper"), client, { notice: this.notice, controls: this.controls, container });
    const held = { notice: this.notice, holdPause: hooks.holdPause };
    this.mirror = new MirrorCard($("mirror-card"), client, held);
    this.duel = new DuelCard($("duel-card"), client, { ...held, yourName: () => this.library.name });
    this.library = new LibraryCard($("library-card"), client, {
      notice: this.notice,
      saveNow: () => this.keeper.save(),
      changed: () => this.duel.refreshLibrary(),
      duel: (id) => {
        this.duel.loadSaved(id);
        this.duel.el.scrollIntoView({ behavior: "smooth", block: "start" });
      },
    });
    this.offs = [
      client.on("metrics", (m) => m.settings && this.controls.sync(m.settings)),
      client.on("settings", (s) => this.controls.sync(s)),
      client.on("imported", onNewClone),
    ];
  }

  /** The empty card the page mounts the Lab into. */
  get labSlot() {
    return /** @type {HTMLElement} */ (this.container.querySelector("#lab"));
  }

  /** The sampler and knobs the player uses now (the Lab's "your settings"), or null. */
  yours() {
    const s = this.controls.settings;
    return s ? { sampler: s.sampler, knobs: s.knobs } : null;
  }

  /**
   * @param {any} readyMsg the worker's `ready` reply
   * @param {import("../game/session.js").Restored} restored
   */
  onReady(readyMsg, restored) {
    const schema = readyMsg.schema;
    this.training.configure(schema.actions);
    this.controls.configure(schema, restored.knobsBy);
    this.controls.sync(readyMsg.settings || {}, true);
    this.network.start(schema, readyMsg.features || schema.features);
    this.container.dataset.ready = "true";
    this.keeper.start(restored, schema.limits.weights_bytes);
    this.style.start(schema.style_traits);
    this.mirror.start(schema);
    this.duel.start(schema);
    this.library.start(schema, readyMsg.settings);
    this.client.request("get_metrics").catch(() => {});
  }

  /** The worker is being replaced: no saving (nor polling) until onReady comes again. */
  suspend() {
    this.network.suspend();
    this.keeper.restored = false;
  }

  destroy() {
    for (const off of this.offs) off();
    for (const card of [this.training, this.network, this.keeper, this.style, this.mirror, this.duel, this.library]) card.destroy();
    this.container.innerHTML = "";
  }
}

/** Add panel.css (beside this module) once; relative, so the site works under a sub-path. */
function linkStylesheet() {
  if (document.querySelector("link[data-panel-css]")) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("panel.css", import.meta.url).href;
  link.dataset.panelCss = "";
  document.head.appendChild(link);
}

/**
 * The panel's one notice line: info fades after a while, errors stay until dismissed.
 * @param {HTMLElement} el
 */
function makeNotice(el) {
  const text = /** @type {HTMLElement} */ (el.querySelector(".mp-notice-text"));
  /** @type {number | undefined} */ let timer;
  el.querySelector(".mp-notice-close")?.addEventListener("click", () => (el.hidden = true));
  /**
   * @param {string} message
   * @param {"info" | "ok" | "error"} [kind]
   */
  function show(message, kind = "info") {
    clearTimeout(timer);
    text.textContent = message;
    el.dataset.kind = kind;
    el.hidden = false;
    if (kind !== "error") timer = window.setTimeout(() => (el.hidden = true), 12000);
  }
  return { show, hide: () => (el.hidden = true) };
}

/** @typedef {ReturnType<typeof makeNotice>} Notice */
