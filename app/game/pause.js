// Who holds the game paused, and the Pause button: the player (Space, the button), a hidden
// tab (showing it again resumes), or a card that holds the game paused while it runs and says
// so (the Lab, the mirror test, a duel; each by its own reason, and the game resumes when the
// last lets go). The worker is the authority on its pause state; this keeps the page in step.

/** @typedef {import("./client.js").WorkerClient} WorkerClient */

const TRUST_LOCAL_MS = 400; // a frame posted just before our own pause request would undo it

export class Pause {
  /**
   * @param {{button: HTMLButtonElement, renderer: {setPaused: (on: boolean) => void},
   *   notice: (text: string) => HTMLElement}} opts
   */
  constructor({ button, renderer, notice }) {
    this.button = button;
    this.renderer = renderer;
    this.notice = notice;
    /** @type {WorkerClient | null} */ this.client = null;
    this.paused = false;
    this.autoPaused = false; // paused by a hidden tab, so showing it again resumes
    /** @type {Map<string, HTMLElement>} */ this.holders = new Map(); // reason -> its notice
    this.changedAt = 0;
    button.addEventListener("click", () => this.toggle());
    document.addEventListener("visibilitychange", () => this.onVisibility());
  }

  /** The game is playable: the button works, and a hidden tab pauses at once. @param {WorkerClient} client */
  start(client) {
    this.client = client;
    this.button.disabled = false;
    if (document.hidden) {
      this.autoPaused = true;
      this.set(true);
    }
  }

  /** Something holds the game paused (the Lab, the mirror test, a duel). */
  get held() {
    return this.holders.size > 0;
  }

  /** Space or the button: pause or resume, unless someone holds the game. */
  toggle() {
    if (this.client && !this.held) this.set(!this.paused);
  }

  onVisibility() {
    if (!this.client) return;
    if (document.hidden && !this.paused) {
      this.autoPaused = true;
      this.set(true);
    } else if (!document.hidden && this.autoPaused) {
      this.autoPaused = false;
      this.set(false);
    }
  }

  /** @param {boolean} on */
  set(on) {
    if (!on) this.autoPaused = false;
    this.client?.send("pause", { paused: on });
    this.changedAt = performance.now();
    this.show(on);
  }

  /** A frame says whether the worker is paused: follow it unless we just changed it. @param {boolean} paused */
  follow(paused) {
    if (paused !== this.paused && performance.now() - this.changedAt > TRUST_LOCAL_MS) this.show(paused);
  }

  /** @param {boolean} on */
  show(on) {
    this.paused = on;
    this.renderer.setPaused(on);
    this.button.textContent = on ? "Resume" : "Pause";
    this.button.setAttribute("aria-pressed", String(on));
  }

  /**
   * A card holds the game paused while it runs (the two would share the CPU, or the player
   * is busy elsewhere), and says so; `why` names the hold, so two cards can hold at once.
   * @param {boolean} on @param {string} why
   */
  hold(on, why) {
    if (on && !this.holders.has(why)) {
      this.holders.set(why, this.notice(why));
      if (!this.paused) this.set(true);
      this.button.disabled = true;
    } else if (!on && this.holders.has(why)) {
      this.holders.get(why)?.remove();
      this.holders.delete(why);
      if (this.held) return;
      this.button.disabled = false;
      if (!document.hidden) this.set(false);
    }
  }
}
