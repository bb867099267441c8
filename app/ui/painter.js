// When a card's canvas is redrawn: only after its data changed, at most `hz` times a second,
// and only while it is on screen (IntersectionObserver) in a visible tab. A chart off screen
// or in a folded card costs nothing; it is drawn once when it comes into view. Shared by the
// dashboard's cards and the Lab, so none of them redraws per message.

export class Painter {
  /**
   * @param {Element} el what must be on screen for the drawing to be worth it
   * @param {() => void} draw redraws from the latest data
   * @param {{hz?: number}} [opts] hz: the most redraws a second
   */
  constructor(el, draw, { hz = 4 } = {}) {
    this.el = el;
    this.draw = draw;
    this.gap = 1000 / hz;
    this.dirty = false;
    this.visible = true; // until the observer says otherwise
    this.last = -Infinity;
    /** @type {number | undefined} */ this.timer = undefined;
    this.observer = new IntersectionObserver((entries) => {
      this.visible = entries[entries.length - 1].isIntersecting;
      if (this.visible) this.schedule();
    });
    this.observer.observe(el);
    this.onShow = () => !document.hidden && this.schedule();
    document.addEventListener("visibilitychange", this.onShow);
  }

  /** The data changed: redraw when allowed. */
  mark() {
    this.dirty = true;
    this.schedule();
  }

  schedule() {
    if (this.timer !== undefined || !this.dirty) return;
    const wait = Math.max(0, this.last + this.gap - performance.now());
    this.timer = window.setTimeout(() => requestAnimationFrame(() => this.run()), wait);
  }

  run() {
    this.timer = undefined;
    if (!this.dirty || !this.visible || document.hidden) return; // drawn when shown again
    this.dirty = false;
    this.last = performance.now();
    this.draw();
  }

  destroy() {
    clearTimeout(this.timer);
    this.observer.disconnect();
    document.removeEventListener("visibilitychange", this.onShow);
  }
}
