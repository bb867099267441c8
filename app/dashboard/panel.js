// The training dashboard: live charts of the clone learning, the network view, the sampler
// and learning controls, and (through keeper.js) export, import, persistence and sharing.
// It owns its markup inside the container main.js gives it and its stylesheet panel.css.
// It only talks to the worker through the WorkerClient, so main.js needs two calls:
//   const panel = mountPanel(container, client, hooks);  // right after creating the client
//   panel.onReady(readyMsg, restored);                    // when init replies `ready`
// The clone the visit starts with went with `init`; onReady only says what came back.

import { History, drawBars, drawLines, fmt } from "./charts.js";
import { drawNetwork } from "./netview.js";
import { Controls } from "./controls.js";
import { Keeper } from "./keeper.js";
import { StyleCard } from "./stylecard.js";
import { LabCard } from "../lab/lab.js";

const NETWORK_POLL_MS = 250; // ~4 network views a second: lively, and cheap for the frame rate

/** @typedef {import("../game/client.js").WorkerClient} WorkerClient */
/**
 * @typedef {{getFrame?: () => any, setGhost?: (on: boolean) => void,
 *   holdPause?: (on: boolean, why: string) => void}} Hooks
 */

const MARKUP = `
<div id="panel-notice" class="mp-notice" role="alert" hidden><span class="mp-notice-text"></span><button
  type="button" class="mp-notice-close" aria-label="Dismiss"></button></div>
<section class="mp-card mp-charts" aria-label="Training">
  <header class="mp-head">
    <h2>Your clone is learning</h2>
    <p class="mp-rate" title="Minibatch steps per second of the time spent training: what this device can do. The clone takes a fixed number of steps per second of play."><span id="steps-per-s">–</span> steps/s training speed</p>
  </header>
  <p id="clone-status" class="mp-status">Starting…</p>
  <figure><figcaption>Loss (lower is better)</figcaption>
    <canvas id="loss-chart" data-updates="0" role="img" aria-label="Training loss over game time"></canvas></figure>
  <figure><figcaption>Mirror score: how often it picks your move</figcaption>
    <canvas id="mirror-chart" data-updates="0" role="img" aria-label="Mirror score while the ball approaches and moves away"></canvas></figure>
  <figure><figcaption>Frames seen vs kept for training</figcaption>
    <canvas id="samples-chart" data-updates="0" role="img" aria-label="Samples seen and kept"></canvas></figure>
  <figure><figcaption>Replay buffer: frames by action and phase</figcaption>
    <canvas id="buffer-chart" data-updates="0" role="img" aria-label="Buffer make-up"></canvas></figure>
</section>
<section class="mp-card" id="style-card" aria-label="You vs your clone"></section>
<section class="mp-card mp-lab" id="lab" aria-label="The Lab"></section>
<section class="mp-card" aria-label="Network">
  <h2>The network, live</h2>
  <canvas id="network-view" data-updates="0" role="img"
    aria-label="The clone's network: units coloured by activation, weights by sign and size"></canvas>
  <p class="mp-hint">Blue positive, orange negative; thicker lines are larger weights. The
    right column is the move it would make now.</p>
</section>
<section class="mp-card" id="controls" aria-label="Controls"></section>
<section class="mp-card" id="keeper" aria-label="Keep and share your clone"></section>
`;

/**
 * Build the dashboard inside `container` and start listening to the worker.
 * @param {HTMLElement} container
 * @param {WorkerClient} client
 * @param {Hooks} [hooks]
 * @returns {{onReady: (readyMsg: any, restored: any) => Promise<void>, suspend: () => void,
 *   destroy: () => void}}
 */
export function mountPanel(container, client, hooks = {}) {
  linkStylesheet();
  container.classList.add("mp-panel");
  container.innerHTML = MARKUP;
  const $ = (/** @type {string} */ id) => /** @type {any} */ (container.querySelector("#" + id));

  const notice = makeNotice($("panel-notice"));
  const history = new History(400);
  /** @type {any} */ let lastMetrics = null;
  /** @type {any} */ let lastNetwork = null;
  /** @type {{features?: string[], actions?: string[]}} */ let labels = {};
  /** @type {any} */ let schemaNow = null;
  /** The network view's input labels follow the clone's own feature set. @param {any} s */
  function inputsOf(s) {
    const set = schemaNow?.feature_sets?.find((/** @type {any} */ f) => f.name === s?.feature_set);
    if (set && labels.features !== set.features) {
      labels = { ...labels, features: set.features };
      netDue = true;
    }
  }
  let ready = false;
  let chartsDue = false;
  let netDue = false;

  const styleCard = new StyleCard($("style-card"), client);
  const onNewClone = () => {
    history.clear();
    styleCard.clear();
  };
  const controls = new Controls($("controls"), client, { notice, hooks, onReset: onNewClone });
  const keeper = new Keeper($("keeper"), client, { notice, controls, container });
  const labCard = new LabCard($("lab"), client, {
    notice,
    holdPause: hooks.holdPause,
    yours: () => (controls.settings ? { sampler: controls.settings.sampler, knobs: controls.settings.knobs } : null),
  });

  /** Redraw at most once per animation frame, however often messages come. */
  function schedule() {
    requestAnimationFrame(() => {
      if (chartsDue) drawCharts();
      if (chartsDue) labCard.draw();
      if (netDue && lastNetwork) drawNetwork($("network-view"), lastNetwork, labels);
      chartsDue = netDue = false;
    });
  }

  function drawCharts() {
    const xs = history.t;
    drawLines($("loss-chart"), xs, [{ label: "loss", color: "#ffd166", values: history.col("loss") }], {
      yMin: 0,
    });
    drawLines(
      $("mirror-chart"),
      xs,
      [
        { label: "approaching", color: "#4fc3f7", values: history.col("approach") },
        { label: "moving away", color: "#f78c6c", values: history.col("away") },
        { label: "all", color: "rgba(230,236,245,0.5)", values: history.col("all"), dash: [3, 3] },
      ],
      { yMin: 0, yMax: 1, percent: true, empty: "needs a few rallies…" },
    );
    drawLines($("samples-chart"), xs, [
      { label: "seen", color: "#a0aec0", values: history.col("seen") },
      { label: "kept", color: "#7bd88f", values: history.col("kept") },
    ], { yMin: 0 });
    const buf = lastMetrics && lastMetrics.buffer;
    const actions = labels.actions || ["up", "stay", "down"];
    drawBars(
      $("buffer-chart"),
      actions,
      [
        { label: "approaching", color: "#4fc3f7", values: actions.map((a) => (buf && buf.approach ? buf.approach[a] || 0 : 0)) },
        { label: "away", color: "#f78c6c", values: actions.map((a) => (buf && buf.away ? buf.away[a] || 0 : 0)) },
      ],
      { caption: buf ? `${fmt(buf.size)} / ${fmt(buf.capacity)}` : "" },
    );
  }

  const offs = [
    client.on("metrics", (m) => {
      lastMetrics = m;
      const mirror = m.mirror || {};
      history.push(Number(m.t) || 0, {
        loss: m.loss,
        approach: mirror.approach,
        away: mirror.away,
        all: mirror.all,
        seen: m.seen,
        kept: m.kept,
      });
      $("steps-per-s").textContent = Number.isFinite(m.steps_per_s) ? Math.round(m.steps_per_s).toLocaleString("en") : "–";
      $("clone-status").textContent = statusLine(m);
      labCard.showRecording(m.recording);
      if (m.settings) {
        controls.sync(m.settings);
        inputsOf(m.settings);
      }
      chartsDue = true;
      if (!document.hidden) schedule();
    }),
    client.on("settings", (s) => {
      controls.sync(s);
      inputsOf(s);
    }),
    client.on("network", (n) => {
      lastNetwork = n;
      netDue = true;
      if (!document.hidden) schedule();
    }),
    client.on("imported", onNewClone),
  ];

  // Poll the network a few times a second while the tab is visible, one request at a time,
  // so a busy worker is never sent a queue of them.
  let inFlight = false;
  const poll = setInterval(() => {
    if (!ready || inFlight || document.hidden) return;
    inFlight = true;
    client.request("get_network").catch(() => {}).finally(() => (inFlight = false));
  }, NETWORK_POLL_MS);

  const resize = new ResizeObserver(() => {
    chartsDue = true;
    netDue = true;
    schedule();
  });
  resize.observe(container);

  return {
    /**
     * @param {any} readyMsg the worker's `ready` reply
     * @param {import("../game/session.js").Restored} restored
     */
    async onReady(readyMsg, restored) {
      const schema = readyMsg.schema;
      schemaNow = schema;
      labels = { features: readyMsg.features || schema.features, actions: schema.actions };
      controls.configure(schema, restored.knobsBy);
      labCard.configure(schema);
      controls.sync(readyMsg.settings || {}, true);
      ready = true;
      container.dataset.ready = "true";
      keeper.start(restored, schema.limits.weights_bytes);
      styleCard.start();
      client.request("get_metrics").catch(() => {});
    },
    /** The worker is being replaced: no saving (nor polling) until onReady comes again. */
    suspend() {
      ready = false;
      keeper.restored = false;
    },
    destroy() {
      clearInterval(poll);
      resize.disconnect();
      for (const off of offs) off();
      keeper.destroy();
      styleCard.destroy();
      container.innerHTML = "";
    },
  };
}

/** @param {any} m a metrics message */
function statusLine(m) {
  const s = m.settings || {};
  const parts = [
    s.learning === false ? "learning paused" : "learning",
    `${s.sampler || "?"} sampler`,
    `${fmt(m.steps || 0)} steps`,
  ];
  if (m.buffer) parts.push(`buffer ${fmt(m.buffer.size)}/${fmt(m.buffer.capacity)}`);
  if (Number.isFinite(m.loss)) parts.push(`loss ${m.loss.toFixed(3)}`);
  return parts.join(" · ");
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
