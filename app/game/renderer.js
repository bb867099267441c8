// Draws frame snapshots on the court canvas. It knows no rules: it only places what the
// worker reports. Frames arrive a few dozen times a second at uneven intervals, the screen
// refreshes at its own rate, so we draw about one frame interval in the past and interpolate
// between the two snapshots around that moment (Fiedler, "Fix Your Timestep!").
// Units are court units (court height 1.0, y down), as in pymodel/worker/protocol.py.
// Besides the court it draws the match (frame.match): the points to win and the match number,
// the serve countdown (3, 2, 1 before a match's first serve; a shrinking ring and an arrow
// towards the receiver before the others) and the rally counter.

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

export class Renderer {
  /**
   * @param {HTMLCanvasElement} canvas drawn at the size CSS gives it (the container keeps
   *   the court's aspect ratio through the --court-aspect custom property set here).
   */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    /** @type {Frame[]} latest last */
    this.frames = [];
    /** @type {number | null} game time minus performance.now()/1000, smoothed */
    this.offset = null;
    this.interval = 1 / 60; // smoothed game time between snapshots
    this.paused = false;
    this.showGhost = true;
    this.court = { w: 1.5, h: 1.0 };
    this.running = false;
    /** @type {{t: number, left_y: number} | null} the latest draw, read by scripts/bench.py */
    this.lastDrawn = null;
    this.nextServe = 0; // seconds of a serve's wait between points (schema.match.next_serve_s)
    this.resize = this.resize.bind(this);
    this.loop = this.loop.bind(this);
    this.observer = new ResizeObserver(this.resize);
    this.observer.observe(canvas);
    window.addEventListener("resize", this.resize);
    this.setAspect(this.court);
    this.resize();
  }

  /** Start drawing at the display's rate. */
  start() {
    if (this.running) return;
    this.running = true;
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
  }

  /** @param {boolean} on draw the ghost paddle when frames carry ghost_y */
  setGhost(on) {
    this.showGhost = on;
  }

  /** @param {{w: number, h: number}} court */
  setAspect(court) {
    this.court = { w: court.w, h: court.h };
    // On the game column if there is one, so the controls can share the court's width.
    const box = this.canvas.closest(".game") || this.canvas.parentElement || this.canvas;
    box.style.setProperty("--court-aspect", String(court.w / court.h));
  }

  /** Backing store = CSS size x devicePixelRatio, so lines stay sharp on high-DPI screens. */
  resize() {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(rect.width * dpr));
    const h = Math.max(1, Math.round(rect.height * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    if (!this.running) this.draw();
  }

  loop() {
    if (!this.running) return;
    this.draw();
    requestAnimationFrame(this.loop);
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
    const { ctx, canvas } = this;
    const frame = this.sample();
    const court = frame ? frame.court : this.court;
    const scale = canvas.width / court.w; // device pixels per court unit
    const px = 1 / scale; // one device pixel, in court units
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = COLORS.court;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(scale, 0, 0, canvas.height / court.h, 0, 0);

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

    if (!frame) return;
    this.drawScore(frame, court);
    const { w, h } = frame.paddle;
    if (this.showGhost && frame.ghost_y !== null && frame.ghost_y !== undefined) {
      ctx.strokeStyle = COLORS.ghost;
      ctx.lineWidth = 2 * dpr * px;
      ctx.setLineDash([0.02, 0.015]);
      ctx.strokeRect(frame.paddles.left.x - w / 2, frame.ghost_y - h / 2, w, h);
      ctx.setLineDash([]);
    }
    paddle(ctx, frame.paddles.left, w, h, COLORS.left, 14 * dpr);
    this.lastDrawn = { t: performance.now(), left_y: frame.paddles.left.y };
    paddle(ctx, frame.paddles.right, w, h, COLORS.right, 14 * dpr);
    ctx.shadowColor = COLORS.ball;
    ctx.shadowBlur = 16 * dpr;
    ctx.fillStyle = COLORS.ball;
    ctx.beginPath();
    ctx.arc(frame.ball.x, frame.ball.y, frame.ball.r, 0, Math.PI * 2);
    ctx.fill();
    ctx.shadowBlur = 0;

    this.drawMatch(frame, court);
    if (this.paused) this.drawPaused(court);
  }

  /**
   * A label on a dark pill, so the centre line does not run through it (court units).
   * @param {string} text @param {number} x @param {number} y @param {number} size @param {string} color
   */
  pill(text, x, y, size, color) {
    const ctx = this.ctx;
    const s = this.canvas.width / this.court.w;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.font = `700 ${Math.max(8, Math.round(size * s))}px ${FONT}`;
    const w = ctx.measureText(text).width + size * s;
    ctx.fillStyle = COLORS.pill;
    ctx.fillRect(x * s - w / 2, (y - size * 0.75) * s, w, size * 1.5 * s);
    ctx.restore();
    this.text(text, x, y, size, color);
  }

  /** The points to win, the rally, the serve countdown. @param {Frame} frame @param {{w: number, h: number}} court */
  drawMatch(frame, court) {
    const m = frame.match;
    const mid = court.w / 2;
    const inPlay = !m || (m.state !== "over" && !(m.serve_in > 0));
    if (frame.rally && inPlay) this.pill(`RALLY ${frame.rally}`, mid, 0.29, 0.036, frame.rally >= 10 ? COLORS.countdown : COLORS.text);
    if (!m) return;
    const label = m.state === "free" ? `FREE PLAY · AFTER MATCH ${m.number}` : `MATCH ${m.number} · FIRST TO ${m.to}`;
    this.pill(label, mid, court.h - 0.045, 0.03, COLORS.score);
    if (!(m.serve_in > 0) || m.state === "over") return;
    const ctx = this.ctx;
    const dir = m.serve_to === "left" ? -1 : 1;
    const { x, y, r } = frame.ball;
    if (m.state === "countdown") {
      this.text(String(Math.ceil(m.serve_in)), mid, court.h / 2 - 0.17, 0.2, COLORS.countdown);
    } else {
      const k = this.nextServe > 0 ? Math.min(m.serve_in / this.nextServe, 1) : 1;
      ctx.strokeStyle = COLORS.countdown;
      ctx.lineWidth = 0.006;
      ctx.beginPath();
      ctx.arc(x, y, r + 0.02, -Math.PI / 2, -Math.PI / 2 + k * Math.PI * 2);
      ctx.stroke();
    }
    // An arrow towards the player who receives the serve.
    const ax = x + dir * (r + 0.05);
    ctx.fillStyle = COLORS.countdown;
    ctx.beginPath();
    ctx.moveTo(ax + dir * 0.035, y);
    ctx.lineTo(ax, y - 0.022);
    ctx.lineTo(ax, y + 0.022);
    ctx.closePath();
    ctx.fill();
  }

  /**
   * Text is drawn in device pixels (canvas fonts do not scale well below 1px).
   * @param {string} text @param {number} x @param {number} y court units
   * @param {number} size court units @param {string} color @param {string} [weight]
   */
  text(text, x, y, size, color, weight = "700") {
    const ctx = this.ctx;
    const s = this.canvas.width / this.court.w;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = color;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.font = `${weight} ${Math.max(8, Math.round(size * s))}px ${FONT}`;
    ctx.fillText(text, x * s, y * s);
    ctx.restore();
  }

  /** @param {Frame} frame @param {{w: number, h: number}} court */
  drawScore(frame, court) {
    const mid = court.w / 2;
    this.text(String(frame.score.left), mid - 0.16, 0.11, 0.12, COLORS.score);
    this.text(String(frame.score.right), mid + 0.16, 0.11, 0.12, COLORS.score);
    this.text("YOU", mid - 0.16, 0.2, 0.034, COLORS.label);
    this.text("CLONE", mid + 0.16, 0.2, 0.034, COLORS.label);
  }

  /** @param {{w: number, h: number}} court */
  drawPaused(court) {
    this.ctx.fillStyle = COLORS.veil;
    this.ctx.fillRect(0, 0, court.w, court.h);
    this.text("PAUSED", court.w / 2, court.h / 2 - 0.05, 0.08, COLORS.text);
    this.text("press Space to resume", court.w / 2, court.h / 2 + 0.05, 0.04, COLORS.text, "400");
  }
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {{x: number, y: number}} at paddle centre
 * @param {number} w @param {number} h @param {string} color @param {number} glow device px
 */
function paddle(ctx, at, w, h, color, glow) {
  ctx.shadowColor = color;
  ctx.shadowBlur = glow;
  ctx.fillStyle = color;
  ctx.fillRect(at.x - w / 2, at.y - h / 2, w, h);
  ctx.shadowBlur = 0;
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
