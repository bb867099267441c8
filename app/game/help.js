// The first-visit help: what to press (keys, mouse, touch, a gamepad), over the court, until
// the player's first move. Shown once per browser (storage.js remembers it was seen); it lets
// the pointer through to the court, so moving the mouse over it is that first move.

import * as storage from "./storage.js";

export class Help {
  /** @param {HTMLElement} el the #help overlay */
  constructor(el) {
    this.el = el;
    this.shown = false;
    this.moved = false; // the player moved already: never show it
  }

  /** At the first frame: show it on a first visit. @param {{to: number, win_by: number} | undefined} match */
  start(match) {
    const rule = this.el.querySelector("#help-rule");
    if (rule && match) rule.textContent = `First to ${match.to} points wins${match.win_by > 1 ? `, by ${match.win_by}` : ""}.`;
    if (this.moved || storage.loadUi().helpSeen) return;
    this.shown = true;
    this.el.hidden = false;
  }

  /** The first move: it goes, for good. */
  dismiss() {
    this.moved = true;
    if (!this.shown) return;
    this.shown = false;
    this.el.hidden = true;
    storage.saveUi({ helpSeen: true });
  }
}
