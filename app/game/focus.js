// Focus: the full-court layout. The header and the dashboard are hidden and the court is
// scaled to the window (game.css, `body.focus`). The Focus button or F toggles it, Escape
// leaves it, and the choice is remembered (storage.js).

import * as storage from "./storage.js";

export class Focus {
  /** @param {HTMLButtonElement | null} button */
  constructor(button) {
    this.button = button;
    this.on = false;
    button?.addEventListener("click", () => this.toggle());
    window.addEventListener("keydown", (e) => {
      if (e.code === "Escape" && this.on) this.set(false);
    });
    this.set(storage.loadUi().focus === true, false);
  }

  toggle() {
    this.set(!this.on);
  }

  /** @param {boolean} on @param {boolean} [remember] */
  set(on, remember = true) {
    this.on = on;
    document.body.classList.toggle("focus", on);
    this.button?.setAttribute("aria-pressed", String(on));
    if (remember) storage.saveUi({ focus: on });
    window.dispatchEvent(new Event("resize")); // the court's size changed: redraw sharp
  }
}
