// Draws frame snapshots on the court canvas. It knows no rules: it only places what the
// worker reports. Frames arrive a few dozen times a second at uneven intervals, the screen
// refreshes at its own rate, so we draw about one frame interval in the past and interpolate
// between the two snapshots around that moment (Fiedler, "Fix Your Timestep!").
// Units are court units (court height 1.0, y down), as in pymodel/worker/protocol.py.
// Besides the court it draws the match (frame.match): the points to win and the match number,
// the serve countdown (3, 2, 1 before a match's first serve; a shrinking ring and an arrow
// towards the receiver before the others) and the rally counter.
// Each frame costs as little as it can: what does not move (the court, its lines, the score)
// is drawn once into a backdrop and copied, the glowing paddles and ball are pre-rendered
// sprites (a blur per frame is the dearest thing a canvas does), only what moved is redrawn,
// the backing store's pixel ratio is capped (dom.js), no frame is even scheduled while
// nothing moves (booting, paused), and nothing in the frame loop reads layout: the canvas's
// size is read in resize() only.

import { backingDpr } from "../ui/dom.js";

/** @typedef {{tick: number, t: number, ball: {x: number, y: number, vx: number, vy: number, r: number},
 *   paddles: {left: {x: number, y: number}, right: {x: number, y: number}},
 *   paddle: {w: number, h: number}, court: {w: number, h: number},
 *   score: {left: number, right: number}, paused: boolean, ghost_y: number | null,
 *   events: string[], rally?: number, match?: {to: number, number: number, state: string,
 *   serve_in: number, serve_to: string}}} Frame */

const COLORS = {
  court: "#070b16",
  line: "rgba(160, 190, 255, 0.28)",
  border: "rgba(160, 190, 255, 0.35)",
  left: "#4ff0ff", // the human
  right: "#ff5ccf", // the clone
  ghost: "rgba(255, 92, 207, 0.35)",
  ball: "#ffffff",
  score: "rgba(220, 230, 255, 0.55)",
  label: "rgba(220, 230, 255, 0.45)",
  veil: "rgba(4, 6, 14, 0.62)",
  text: "#f4f7ff",
  pill: "rgba(7, 11, 22, 0.85)",
  countdown: "#ffcf5c",
};
const FONT = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "Courier New", monospace';
const HISTORY = 8; // snapshots kept for interpolation
const EVENTS_THAT_TELEPORT = ["score_left", "score_right", "serve"]; // ball jumps: no lerp
const GLOW = { paddle: 14, ball: 16 }; // CSS px of blur around the paddles and the ball
const STALL_MS = 250; // no snapshot for this long: the loop sleeps until the next one

export class Renderer {
  /**
   * @param {HTMLCanvasElement} canvas drawn at the size CSS gives it (the container keeps
   *   the court's aspect ratio through the --court-aspect custom property set here).
   */
  constructor(canvas) {
    this.canvas = canvas;
    // Opaque: the backdrop covers every pixel, so the compositor need not blend the court.
    this.ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d", { alpha: false }));
    /** @type {Frame[]} latest last */
    this.frames = [];
    /** @type {number | null} game time minus performance.now()/1000, smoothed */
    this.offset = null;
    this.interval = 1 / 60; // smoothed game time between snapshots
    this.paused = false;
    this.showGhost = true;
    this.court = { w: 1.5, h: 1.0 };
    this.running = false;
    this.scheduled = false; // an animation frame is requested
    this.lastPush = -Infinity; // performance.now() of the latest snapshot
    this.dpr = 1; // backing pixels per CSS pixel (capped)
    /** @type {{t: number, left_y: number} | null} the latest draw, read by scripts/bench/ */
    this.lastDrawn = null;
    this.nextServe = 0; // seconds of a serve's wait between points (schema.match.next_serve_s)
    this.layers = new Layers();
    /** @type {Frame | null | undefined} what the canvas shows now (undefined: must redraw) */
    this.shown = undefined;
    /** @type {Rect[]} device pixels drawn over the backdrop in the last draw */
    this.drawn = [];
    this.resize = this.resize.bind(this);
    this.loop = this.loop.bind(this);
    this.observer = new ResizeObserver(this.resize);
    this.observer.observe(canvas);
    window.addEventListener("resize", this.resize);
    this.setAspect(this.court);
    this.resize();
  }

  /** Start drawing at the display's rate (while there is something new to draw). */
  start() {
    this.running = true;
    this.wake();
  }

  /** Ask for an animation frame unless one is asked for: the loop sleeps when nothing moves
   * (booting, paused, a stalled worker), so an idle page schedules no frames at all. */
  wake() {
    if (!this.running || this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(this.loop);
  }

  /** @param {Frame} frame a snapshot from the worker */
  push(frame) {
    const last = this.frames[this.frames.length - 1];
    if (last && frame.t < last.t) this.frames = []; // a new session: forget the old one
    if (last && frame.t > last.t) {
      this.interval += (Math.min(frame.t - last.t, 0.25) - this.interval) * 0.1;
    }
    this.frames.push(frame);
    if (this.frames.length > HISTORY) this.frames.shift();
    this.lastPush = performance.now();
    this.wake();
    // Map game time to the page clock, smoothing out delivery jitter; jump after a stall.
    const target = frame.t - performance.now() / 1000;
    if (this.offset === null || Math.abs(target - this.offset) > 0.25) this.offset = target;
    else this.offset += (target - this.offset) * 0.08;
    if (frame.court.w !== this.court.w || frame.court.h !== this.court.h) this.setAspect(frame.court);
  }

  /** The schema's match timings. @param {{next_serve_s: number} | undefined} match */
  configure(match) {
    if (match) this.nextServe = match.next_serve_s;
  }

  /** @param {boolean} paused */
  setPaused(paused) {
    this.paused = paused;
    this.shown = undefined;
    this.wake();
  }

  /** @param {boolean} on draw the ghost paddle when frames carry ghost_y */
  setGhost(on) {
    this.showGhost = on;
    this.shown = undefined;
    this.wake();
  }

  /** @param {{w: number, h: number}} court */
  setAspect(court) {
    this.court = { w: court.w, h: court.h };
    // On the game column if there is one, so the controls can share the court's width.
    const box = this.canvas.closest(".game") || this.canvas.parentElement || this.canvas;
    box.style.setProperty("--court-aspect", String(court.w / court.h));
  }

  /** Backing store = CSS size x the capped devicePixelRatio, so lines stay sharp. The only
   * place the renderer reads layout. */
  resize() {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = backingDpr();
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.dpr = dpr;
    this.shown = undefined;
    if (this.running) this.wake();
    else this.draw();
  }

  loop() {
    this.scheduled = false;
    if (!this.running) return;
    this.draw();
    // Snapshots keep coming while the game runs: interpolate until they stop (or it pauses).
    if (!this.paused && performance.now() - this.lastPush < STALL_MS) this.wake();
  }

  /** The snapshot to show now: interpolated about one interval behind the newest. */
  sample() {
    const frames = this.frames;
    if (frames.length === 0) return null;
    const newest = frames[frames.length - 1];
    if (this.paused || frames.length === 1 || this.offset === null) return newest;
    const delay = Math.min(Math.max(this.interval * 1.5, 1 / 60), 0.15);
    const t = Math.min(performance.now() / 1000 + this.offset - delay, newest.t);
    let i = frames.length - 1;
    while (i > 0 && frames[i - 1].t > t) i--;
    if (i === 0) return frames[0];
    const a = frames[i - 1];
    const b = frames[i];
    const span = b.t - a.t;
    const k = span > 0 ? Math.min(Math.max((t - a.t) / span, 0), 1) : 1;
    return lerpFrame(a, b, k);
  }

  draw() {
    const frame = this.sample();
    if (frame === this.shown) return; // the same snapshot as on the canvas (paused, stalled)
    const whole = this.shown === undefined || this.paused;
    this.shown = frame;
    const { ctx, canvas } = this;
    const court = frame ? frame.court : this.court;
    const sx = canvas.width / court.w; // device pixels per court unit
    const sy = canvas.height / court.h;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const back = this.layers.backdrop(canvas.width, canvas.height, court, frame?.score, this.dpr);
    if (whole || back.fresh) {
      ctx.drawImage(back.canvas, 0, 0);
    } else {
      // Only where something moved: the backdrop back over last frame's sprites.
      for (const [x, y, w, h] of this.drawn) ctx.drawImage(back.canvas, x, y, w, h, x, y, w, h);
    }
    /** @type {Rect[]} */
    const drawn = [];
    this.drawn = drawn;
    if (!frame) return;
    const { w, h } = frame.paddle;
    if (this.showGhost && frame.ghost_y !== null && frame.ghost_y !== undefined) {
      drawn.push(this.drawGhost(frame.paddles.left.x, frame.ghost_y, w, h, sx, sy));
    }
    const sprites = this.layers.sprites(w * sx, h * sy, frame.ball.r * sx, this.dpr);
    drawn.push(sprites.left.draw(ctx, frame.paddles.left.x * sx, frame.paddles.left.y * sy));
    this.lastDrawn = { t: performance.now(), left_y: frame.paddles.left.y };
    drawn.push(sprites.right.draw(ctx, frame.paddles.right.x * sx, frame.paddles.right.y * sy));
    drawn.push(sprites.ball.draw(ctx, frame.ball.x * sx, frame.ball.y * sy));
    drawn.push(...this.drawMatch(frame, court, sx, sy));
    if (this.paused) this.drawPaused(court);
  }

  /**
   * The points to win, the rally, the serve countdown, over the sprites.
   * @param {Frame} frame @param {{w: number, h: number}} court
   * @param {number} sx @param {number} sy device pixels per court unit
   * @returns {Rect[]} the device pixels it covers
   */
  drawMatch(frame, court, sx, sy) {
    const { ctx } = this;
    const m = frame.match;
    const mid = court.w / 2;
    /** @type {Rect[]} */
    const drawn = [];
    const inPlay = !m || (m.state !== "over" && !(m.serve_in > 0));
    if (frame.rally && inPlay) {
      const color = frame.rally >= 10 ? COLORS.countdown : COLORS.text;
      drawn.push(pill(ctx, sx, `RALLY ${frame.rally}`, mid, 0.29, 0.036, color));
    }
    if (!m) return drawn;
    const label = m.state === "free" ? `FREE PLAY · AFTER MATCH ${m.number}` : `MATCH ${m.number} · FIRST TO ${m.to}`;
    drawn.push(pill(ctx, sx, label, mid, court.h - 0.045, 0.03, COLORS.score));
    if (!(m.serve_in > 0) || m.state === "over") return drawn;
    const dir = m.serve_to === "left" ? -1 : 1;
    const { x, y, r } = frame.ball;
    if (m.state === "countdown") {
      const cy = court.h / 2 - 0.17;
      text(ctx, sx, String(Math.ceil(m.serve_in)), mid, cy, 0.2, COLORS.countdown);
      drawn.push(cover((mid - 0.15) * sx, (cy - 0.15) * sy, 0.3 * sx, 0.3 * sy));
    }
    ctx.setTransform(sx, 0, 0, sy, 0, 0);
    ctx.fillStyle = COLORS.countdown;
    if (m.state !== "countdown") {
      const k = this.nextServe > 0 ? Math.min(m.serve_in / this.nextServe, 1) : 1;
      ctx.strokeStyle = COLORS.countdown;
      ctx.lineWidth = 0.006;
      ctx.beginPath();
      ctx.arc(x, y, r + 0.02, -Math.PI / 2, -Math.PI / 2 + k * Math.PI * 2);
      ctx.stroke();
    }
    // An arrow towards the player who receives the serve.
    const ax = x + dir * (r + 0.05);
    ctx.beginPath();
    ctx.moveTo(ax + dir * 0.035, y);
    ctx.lineTo(ax, y - 0.022);
    ctx.lineTo(ax, y + 0.022);
    ctx.closePath();
    ctx.fill();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const reach = r + 0.1;
    drawn.push(cover((x - reach) * sx - 2, (y - reach) * sy - 2, 2 * reach * sx + 4, 2 * reach * sy + 4));
    return drawn;
  }

  /**
   * The ghost paddle, a dashed outline where the clone would move in the player's place.
   * @param {number} x @param {number} y centre, court units @param {number} w @param {number} h
   * @param {number} sx @param {number} sy device pixels per court unit
   * @returns {Rect} the device pixels it covers
   */
  drawGhost(x, y, w, h, sx, sy) {
    const { ctx } = this;
    const line = 2 * this.dpr;
    ctx.setTransform(sx, 0, 0, sy, 0, 0);
    ctx.strokeStyle = COLORS.ghost;
    ctx.lineWidth = line / sx;
    ctx.setLineDash([0.02, 0.015]);
    ctx.strokeRect(x - w / 2, y - h / 2, w, h);
    ctx.setLineDash([]);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    return cover((x - w / 2) * sx - line, (y - h / 2) * sy - line, w * sx + 2 * line, h * sy + 2 * line);
  }

  /** @param {{w: number, h: number}} court */
  drawPaused(court) {
    const { ctx, canvas } = this;
    ctx.fillStyle = COLORS.veil;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const s = canvas.width / court.w;
    text(ctx, s, "PAUSED", court.w / 2, court.h / 2 - 0.05, 0.08, COLORS.text);
    text(ctx, s, "press Space to resume", court.w / 2, court.h / 2 + 0.05, 0.04, COLORS.text, "400");
  }
}

/**
 * What the renderer draws once and copies: the backdrop (court, lines, score), redrawn when
 * the size or the score changes, and the glowing sprites, redrawn when a size changes.
 */
class Layers {
  constructor() {
    this.back = document.createElement("canvas");
    this.backKey = "";
    /** @type {{left: Sprite, right: Sprite, ball: Sprite} | null} */
    this.set = null;
    this.spriteKey = "";
  }

  /**
   * @param {number} width @param {number} height device pixels
   * @param {{w: number, h: number}} court @param {{left: number, right: number} | undefined} score
   * @param {number} dpr
   * @returns {{canvas: HTMLCanvasElement, fresh: boolean}} fresh: redrawn since the last call
   */
  backdrop(width, height, court, score, dpr) {
    const key = [width, height, court.w, court.h, score?.left, score?.right].join(",");
    if (key === this.backKey) return { canvas: this.back, fresh: false };
    this.backKey = key;
    const c = this.back;
    c.width = width;
    c.height = height;
    const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext("2d"));
    ctx.fillStyle = COLORS.court;
    ctx.fillRect(0, 0, width, height);
    const sx = width / court.w;
    const px = 1 / sx; // one device pixel, in court units
    ctx.setTransform(sx, 0, 0, height / court.h, 0, 0);
    // Centre line, dashed, and a thin border.
    ctx.strokeStyle = COLORS.line;
    ctx.lineWidth = 3 * dpr * px;
    ctx.setLineDash([0.035, 0.03]);
    ctx.beginPath();
    ctx.moveTo(court.w / 2, 0.015);
    ctx.lineTo(court.w / 2, court.h);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.strokeStyle = COLORS.border;
    ctx.lineWidth = 2 * dpr * px;
    ctx.strokeRect(px, px, court.w - 2 * px, court.h - 2 * px);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (score) {
      const mid = court.w / 2;
      text(ctx, sx, String(score.left), mid - 0.16, 0.11, 0.12, COLORS.score);
      text(ctx, sx, String(score.right), mid + 0.16, 0.11, 0.12, COLORS.score);
      text(ctx, sx, "YOU", mid - 0.16, 0.2, 0.034, COLORS.label);
      text(ctx, sx, "CLONE", mid + 0.16, 0.2, 0.034, COLORS.label);
    }
    return { canvas: c, fresh: true };
  }

  /** @param {number} pw @param {number} ph @param {number} r device pixels @param {number} dpr */
  sprites(pw, ph, r, dpr) {
    const key = [pw, ph, r, dpr].map((v) => v.toFixed(2)).join(",");
    if (key !== this.spriteKey || !this.set) {
      this.spriteKey = key;
      const paddle = (/** @type {string} */ color) => new Sprite(pw, ph, GLOW.paddle * dpr, color, false);
      this.set = { left: paddle(COLORS.left), right: paddle(COLORS.right), ball: new Sprite(2 * r, 2 * r, GLOW.ball * dpr, COLORS.ball, true) };
    }
    return this.set;
  }
}

/** A shape with its glow, rendered once (the blur included) and copied where it is now. */
class Sprite {
  /**
   * @param {number} w @param {number} h @param {number} glow device pixels
   * @param {string} color @param {boolean} round a disc (the ball) rather than a bar
   */
  constructor(w, h, glow, color, round) {
    this.pad = Math.ceil(glow * 1.5) + 1;
    this.w = w;
    this.h = h;
    this.canvas = document.createElement("canvas");
    this.canvas.width = Math.ceil(w + 2 * this.pad);
    this.canvas.height = Math.ceil(h + 2 * this.pad);
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d"));
    ctx.shadowColor = color;
    ctx.shadowBlur = glow;
    ctx.fillStyle = color;
    if (round) {
      ctx.beginPath();
      ctx.arc(this.pad + w / 2, this.pad + h / 2, w / 2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.fillRect(this.pad, this.pad, w, h);
    }
  }

  /**
   * @param {CanvasRenderingContext2D} ctx @param {number} x @param {number} y centre, device px
   * @returns {Rect} the device pixels it covers
   */
  draw(ctx, x, y) {
    const left = Math.round(x - this.w / 2 - this.pad);
    const top = Math.round(y - this.h / 2 - this.pad);
    ctx.drawImage(this.canvas, left, top);
    return [left, top, this.canvas.width, this.canvas.height];
  }
}

/** @typedef {[number, number, number, number]} Rect x, y, width, height in device pixels */

/** The whole device pixels around a rectangle. @returns {Rect} */
function cover(/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ w, /** @type {number} */ h) {
  const left = Math.floor(x);
  const top = Math.floor(y);
  return [left, top, Math.ceil(x + w) - left, Math.ceil(y + h) - top];
}

/**
 * Text in device pixels (canvas fonts do not scale well below 1px), centred at court (x, y).
 * @param {CanvasRenderingContext2D} ctx @param {number} s device pixels per court unit
 * @param {string} str @param {number} x @param {number} y court units
 * @param {number} size court units @param {string} color @param {string} [weight]
 */
function text(ctx, s, str, x, y, size, color, weight = "700") {
  ctx.fillStyle = color;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.font = `${weight} ${Math.max(8, Math.round(size * s))}px ${FONT}`;
  ctx.fillText(str, x * s, y * s);
}

/**
 * A label on a dark pill, so the centre line does not run through it.
 * @param {CanvasRenderingContext2D} ctx @param {number} s device pixels per court unit
 * @param {string} str @param {number} x @param {number} y court units @param {number} size
 * @param {string} color
 * @returns {Rect} the device pixels it covers
 */
function pill(ctx, s, str, x, y, size, color) {
  ctx.font = `700 ${Math.max(8, Math.round(size * s))}px ${FONT}`;
  const w = ctx.measureText(str).width + size * s;
  const box = cover(x * s - w / 2, (y - size * 0.75) * s, w, size * 1.5 * s);
  ctx.fillStyle = COLORS.pill;
  ctx.fillRect(...box);
  text(ctx, s, str, x, y, size, color);
  return box;
}

/** @param {number} a @param {number} b @param {number} k */
const lerp = (a, b, k) => a + (b - a) * k;

/**
 * The snapshot between a and b; the ball does not slide across the court when it was
 * re-served or scored between them (it teleported).
 * @param {Frame} a @param {Frame} b @param {number} k in [0, 1]
 * @returns {Frame}
 */
function lerpFrame(a, b, k) {
  const teleported = b.events.some((e) => EVENTS_THAT_TELEPORT.includes(e)) ||
    Math.hypot(b.ball.x - a.ball.x, b.ball.y - a.ball.y) > 0.3;
  const ball = teleported ? b.ball : {
    ...b.ball,
    x: lerp(a.ball.x, b.ball.x, k),
    y: lerp(a.ball.y, b.ball.y, k),
  };
  return {
    ...b,
    ball,
    paddles: {
      left: { x: b.paddles.left.x, y: lerp(a.paddles.left.y, b.paddles.left.y, k) },
      right: { x: b.paddles.right.x, y: lerp(a.paddles.right.y, b.paddles.right.y, k) },
    },
    ghost_y: a.ghost_y !== null && b.ghost_y !== null ? lerp(a.ghost_y, b.ghost_y, k) : b.ghost_y,
  };
}
