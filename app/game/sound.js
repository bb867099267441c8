// Sound: short tones made with Web Audio (no sample files) for what happens on the court: a
// paddle hit pitched by where the ball met the paddle (high at its top end, low at its bottom
// end), a wall bounce, a point won, a point lost, the end of a match. Nothing of Web Audio is
// created before the player's first input (a key, a click, a touch: browsers' autoplay rules
// start an earlier AudioContext suspended), nor while muted. Mute and volume are the page's
// settings (the controls under the court), remembered in this browser (storage.js). Every Web
// Audio call is guarded: a browser without it, or one that refuses, is silent, and no error
// reaches the page.

const HIT_TOP_HZ = 740; // a hit at the paddle's top end (offset -1)...
const HIT_BOTTOM_HZ = 330; // ...and at its bottom end (+1): geometric in between
const GESTURES = ["keydown", "pointerdown", "touchend"]; // what browsers count as activation

/**
 * @typedef {{muted?: boolean, volume?: number}} SoundPrefs volume: 0..1
 * @typedef {{freq: number, to?: number, dur: number, type?: OscillatorType, gain?: number,
 *   at?: number}} Tone to: a glide's end frequency; at: seconds from now
 */

export class Sound {
  /** @param {SoundPrefs} prefs @param {(prefs: SoundPrefs) => void} [save] */
  constructor(prefs, save = () => {}) {
    this.muted = prefs.muted === true;
    this.volume = clamp01(typeof prefs.volume === "number" ? prefs.volume : 0.7);
    this.save = save;
    this.unlocked = false;
    /** @type {AudioContext | null} */ this.ctx = null;
    /** @type {GainNode | null} */ this.master = null;
    this.played = 0; // tones started, for tests and the curious
    this.failed = false;
  }

  /** Wait for the player's first input before anything can sound. @param {EventTarget} target */
  listen(target = window) {
    const unlock = () => {
      for (const type of GESTURES) target.removeEventListener(type, unlock, true);
      this.unlocked = true;
      if (!this.muted) this.context();
    };
    for (const type of GESTURES) target.addEventListener(type, unlock, true);
  }

  /** The AudioContext, made on first need after the first input; null when there is none. */
  context() {
    if (this.ctx || !this.unlocked || this.failed) return this.ctx;
    const w = /** @type {any} */ (window);
    const Context = w.AudioContext || w.webkitAudioContext;
    if (!Context) {
      this.failed = true;
      return null;
    }
    try {
      this.ctx = /** @type {AudioContext} */ (new Context());
      this.master = this.ctx.createGain();
      this.master.gain.value = this.volume;
      this.master.connect(this.ctx.destination);
    } catch (err) {
      console.warn("Sound is not available here:", err);
      this.failed = true;
      this.ctx = null;
    }
    return this.ctx;
  }

  /** @param {boolean} on */
  setMuted(on) {
    this.muted = on;
    if (!on) this.context();
    this.save({ muted: on });
  }

  /** @param {number} volume 0..1 */
  setVolume(volume) {
    this.volume = clamp01(volume);
    try {
      this.master?.gain.setTargetAtTime(this.volume, this.ctx?.currentTime || 0, 0.02);
    } catch {
      // the next tone uses the new volume anyway
    }
    this.save({ volume: this.volume });
  }

  /** One tone with a quick attack and a decay. @param {Tone} tone */
  tone({ freq, to, dur, type = "square", gain = 0.25, at = 0 }) {
    if (this.muted || this.volume <= 0) return;
    const ctx = this.context();
    if (!ctx || !this.master) return;
    try {
      if (ctx.state === "suspended") ctx.resume().catch(() => {});
      const t = ctx.currentTime + at;
      const osc = ctx.createOscillator();
      const env = ctx.createGain();
      osc.type = type;
      osc.frequency.setValueAtTime(freq, t);
      if (to) osc.frequency.exponentialRampToValueAtTime(to, t + dur);
      env.gain.setValueAtTime(0.0001, t);
      env.gain.exponentialRampToValueAtTime(gain, t + 0.006);
      env.gain.exponentialRampToValueAtTime(0.0001, t + dur);
      osc.connect(env).connect(this.master);
      osc.onended = () => {
        osc.disconnect();
        env.disconnect();
      };
      osc.start(t);
      osc.stop(t + dur + 0.02);
      this.played++;
    } catch (err) {
      console.warn("A sound failed:", err);
    }
  }

  /** A paddle hit, pitched by its offset (-1 top end .. +1 bottom end). @param {number} offset @param {boolean} mine */
  hit(offset, mine) {
    const k = (clamp(offset, -1, 1) + 1) / 2;
    const freq = HIT_TOP_HZ * (HIT_BOTTOM_HZ / HIT_TOP_HZ) ** k;
    this.tone({ freq, dur: 0.07, type: mine ? "square" : "triangle", gain: mine ? 0.18 : 0.3 });
  }

  /** What a frame's events sound like. @param {{events: string[], hit_offset?: number | null, match?: {winner: string | null}}} frame */
  onFrame(frame) {
    const ev = frame.events;
    if (!ev.length || this.muted || !this.unlocked) return;
    for (const side of ["left", "right"]) {
      if (ev.includes(`hit_${side}`)) this.hit(frame.hit_offset ?? 0, side === "left");
    }
    if (ev.includes("wall")) this.tone({ freq: 190, dur: 0.05, type: "sine", gain: 0.3 });
    if (ev.includes("match_over")) {
      const won = frame.match?.winner === "left";
      const notes = won ? [523, 659, 784, 1047] : [392, 330, 262, 196];
      notes.forEach((freq, i) => this.tone({ freq, dur: 0.22, type: "triangle", gain: 0.3, at: i * 0.14 }));
    } else if (ev.includes("score_left")) {
      this.tone({ freq: 523, dur: 0.1, gain: 0.16 });
      this.tone({ freq: 784, dur: 0.16, gain: 0.16, at: 0.09 });
    } else if (ev.includes("score_right")) {
      this.tone({ freq: 311, to: 196, dur: 0.3, type: "sawtooth", gain: 0.12 });
    }
  }
}

/**
 * The mute button (aria-pressed = muted) and the volume slider (0..100) under the court.
 * @param {Sound} sound @param {HTMLButtonElement | null} button @param {HTMLInputElement | null} slider
 */
export function soundControls(sound, button, slider) {
  const show = () => {
    button?.setAttribute("aria-pressed", String(sound.muted));
    if (slider) slider.value = String(Math.round(sound.volume * 100));
  };
  button?.addEventListener("click", () => {
    sound.setMuted(!sound.muted);
    show();
  });
  slider?.addEventListener("input", () => {
    sound.setVolume(Number(slider.value) / 100);
    if (sound.muted && sound.volume > 0) sound.setMuted(false);
    show();
  });
  show();
  return { toggle: () => button?.click() };
}

/** @param {number} v @param {number} lo @param {number} hi */
const clamp = (v, lo, hi) => Math.min(Math.max(Number.isFinite(v) ? v : 0, lo), hi);
/** @param {number} v */
const clamp01 = (v) => clamp(v, 0, 1);
