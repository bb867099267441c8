// One tab owns the saved clone. Two tabs of the game share one localStorage: if both saved,
// each would silently overwrite the other's clone every few seconds. The tab that holds a
// Web Lock saves; another tab plays but does not save, says so, and can take over: it asks
// the owner (BroadcastChannel) to save once more and let go, then takes the lock and plays
// from the clone the owner just saved. Without Web Locks (old browsers) every tab saves, as
// before.

const LOCK = "mirror-pong/v1/owner";
const CHANNEL = "mirror-pong/v1/owner";

export class Ownership {
  /**
   * @param {{saveNow: () => Promise<void>, onChange: (owns: boolean, why: string) => void}} hooks
   *   saveNow: save the clone at once (before handing over); onChange: this tab became the
   *   owner or stopped being it (why: "first", "handed-over", "took-over", "no-locks")
   */
  constructor(hooks) {
    this.hooks = hooks;
    this.owns = false;
    /** @type {(() => void) | null} */ this.release = null;
    this.channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
    if (this.channel) this.channel.onmessage = (e) => this.onMessage(e.data);
  }

  /** Try to become the owner now; a tab that cannot stays a guest until it takes over. */
  async claim() {
    if (!navigator.locks) {
      this.set(true, "no-locks");
      return;
    }
    await new Promise((resolve) => {
      navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => {
        if (!lock) {
          this.set(false, "guest");
          resolve(undefined);
          return undefined;
        }
        this.set(true, "first");
        resolve(undefined);
        return this.hold();
      });
    });
  }

  /** Ask the owner to save and let go, then take the lock (waiting for it). */
  async takeOver() {
    if (this.owns || !navigator.locks) return;
    this.channel?.postMessage({ type: "hand-over" });
    await new Promise((resolve) => {
      navigator.locks.request(LOCK, (/** @type {any} */ _lock) => {
        this.set(true, "took-over");
        resolve(undefined);
        return this.hold();
      });
    });
  }

  /** A promise that keeps the lock until release() is called. */
  hold() {
    return new Promise((resolve) => {
      this.release = () => {
        this.release = null;
        resolve(undefined);
      };
    });
  }

  /** @param {any} msg */
  async onMessage(msg) {
    if (msg?.type !== "hand-over" || !this.owns || !this.release) return;
    try {
      await this.hooks.saveNow(); // the other tab starts from this save
    } finally {
      this.set(false, "handed-over");
      this.release?.();
    }
  }

  /** @param {boolean} owns @param {string} why */
  set(owns, why) {
    this.owns = owns;
    this.hooks.onChange(owns, why);
  }
}
