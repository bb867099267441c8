// Maps the human's keys, mouse, touch, on-screen buttons and gamepads (gamepad.js) to intents
// for the left paddle, and sends them to the worker. It knows nothing of the game: keys become
// 'up' / 'stay' / 'down', a pointer over the court becomes a target y in court units (null lets
// go). The first move is reported once (the first-visit help goes), and a few keys are
// shortcuts of the page (M mutes, F toggles Focus).

import { gamepads } from "./gamepad.js";

const KEY_INTENTS = /** @type {Record<string, 'up' | 'down'>} */ ({
  KeyW: "up",
  ArrowUp: "up",
  KeyS: "down",
  ArrowDown: "down",
});

/**
 * What the page sends for the left paddle: a held key's intent or a pointer's target, each
 * sent only when it changes; `onFirstMove` runs once, at the first.
 * @param {{send: (type: string, fields?: Record<string, unknown>) => void}} client
 * @param {() => void} onFirstMove
 */
function intents(client, onFirstMove) {
  /** Held directions, most recent last, so releasing one falls back to the other. */
  /** @type {('up' | 'down')[]} */
  let held = [];
  let sentIntent = "stay";
  /** @type {number | null | undefined} */
  let sentTarget;
  let moved = false;
  const first = () => {
    if (moved) return;
    moved = true;
    onFirstMove();
  };
  const sendIntent = () => {
    const intent = held.length ? held[held.length - 1] : "stay";
    if (intent === sentIntent) return;
    sentIntent = intent;
    client.send("input", { intent });
  };
  return {
    isHeld: (/** @type {'up' | 'down'} */ dir) => held.includes(dir),
    press(/** @type {'up' | 'down'} */ dir) {
      held = held.filter((d) => d !== dir).concat(dir);
      sentTarget = undefined; // keys take over from the pointer
      sendIntent();
      first();
    },
    release(/** @type {'up' | 'down'} */ dir) {
      held = held.filter((d) => d !== dir);
      sendIntent();
    },
    releaseAll() {
      held = [];
      sendIntent();
    },
    target(/** @type {number | null} */ y) {
      if (y === sentTarget) return;
      sentTarget = y;
      if (y !== null) sentIntent = ""; // so the next key press is always sent
      client.send("input", { target: y });
      if (y !== null) first();
    },
  };
}

/** @typedef {ReturnType<typeof intents>} Intents */
/** @typedef {[EventTarget, string, EventListener][]} Bindings */

/** Keys typed into the dashboard's fields are not game keys. @param {EventTarget | null} el */
const typing = (el) =>
  el instanceof HTMLElement &&
  (el.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName));

/**
 * W/S and the arrows move, Space pauses, the `shortcuts` keys (by code) run their action.
 * @param {Intents} ix @param {() => void} onTogglePause
 * @param {Record<string, () => void>} shortcuts @returns {Bindings}
 */
function keyboard(ix, onTogglePause, shortcuts) {
  const onKeyDown = (/** @type {KeyboardEvent} */ e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.code === "Space") {
      e.preventDefault(); // no page scroll, no click on a focused button
      if (!e.repeat) onTogglePause();
      return;
    }
    const shortcut = shortcuts[e.code];
    if (shortcut) {
      if (!e.repeat) shortcut();
      return;
    }
    const dir = KEY_INTENTS[e.code];
    if (!dir) return;
    e.preventDefault();
    if (!e.repeat || !ix.isHeld(dir)) ix.press(dir);
  };
  const onKeyUp = (/** @type {KeyboardEvent} */ e) => {
    if (e.code === "Space" && !typing(e.target)) e.preventDefault();
    const dir = KEY_INTENTS[e.code];
    if (dir && ix.isHeld(dir)) ix.release(dir);
  };
  return [
    [window, "keydown", /** @type {EventListener} */ (onKeyDown)],
    [window, "keyup", /** @type {EventListener} */ (onKeyUp)],
    // A key released while the window had no focus never sends keyup: let go of everything.
    [window, "blur", () => ix.releaseAll()],
  ];
}

/**
 * The mouse or a finger on the court steers: its height becomes the paddle's target. The
 * court's box is read when a pointer goes down and after a scroll or resize, not per move,
 * so steering never forces a layout.
 * @param {Intents} ix @param {HTMLCanvasElement} canvas @param {() => number} courtHeight
 * @returns {Bindings}
 */
function pointer(ix, canvas, courtHeight) {
  /** @type {DOMRect | null} */
  let box = null;
  const forget = () => (box = null);
  const toCourtY = (/** @type {number} */ clientY) => {
    const rect = box || (box = canvas.getBoundingClientRect());
    const y = ((clientY - rect.top) / rect.height) * courtHeight();
    return Math.min(Math.max(y, 0), courtHeight());
  };
  const onPointer = (/** @type {PointerEvent} */ e) => {
    if (e.type === "pointerdown") forget();
    ix.target(toCourtY(e.clientY));
  };
  const onPointerEnd = (/** @type {PointerEvent} */ e) => {
    // A mouse button going up keeps steering; a finger lifting lets go.
    if (e.type === "pointerup" && e.pointerType === "mouse") return;
    ix.target(null);
  };
  const move = /** @type {EventListener} */ (onPointer);
  const end = /** @type {EventListener} */ (onPointerEnd);
  return [
    [canvas, "pointermove", move],
    [canvas, "pointerdown", move],
    [canvas, "pointerleave", end],
    [canvas, "pointerup", end],
    [canvas, "pointercancel", end],
    [window, "scroll", forget],
    [window, "resize", forget],
  ];
}

/** On-screen buttons for touch screens: held = moving. @param {Intents} ix @param {HTMLElement | null | undefined} button @param {'up' | 'down'} dir @returns {Bindings} */
function holdButton(ix, button, dir) {
  if (!button) return [];
  const down = (/** @type {Event} */ e) => {
    e.preventDefault();
    ix.press(dir);
  };
  const up = () => ix.release(dir);
  return [
    [button, "pointerdown", down],
    [button, "pointerup", up],
    [button, "pointerleave", up],
    [button, "pointercancel", up],
    [button, "contextmenu", (e) => e.preventDefault()],
  ];
}

/**
 * @param {{
 *   client: {send: (type: string, fields?: Record<string, unknown>) => void},
 *   canvas: HTMLCanvasElement,
 *   courtHeight: () => number,
 *   onTogglePause: () => void,
 *   upButton?: HTMLElement | null,
 *   downButton?: HTMLElement | null,
 *   onFirstMove?: () => void,
 *   onConfirm?: () => void,
 *   shortcuts?: Record<string, () => void>,
 * }} options onFirstMove: once, at the player's first move; onConfirm: a gamepad's A button;
 *   shortcuts: KeyboardEvent.code -> action
 * @returns {() => void} detaches every listener
 */
export function attachInput(options) {
  const { client, canvas, courtHeight, onTogglePause, upButton, downButton } = options;
  const ix = intents(client, options.onFirstMove || (() => {}));
  const bindings = [
    ...keyboard(ix, onTogglePause, options.shortcuts || {}),
    ...gamepads(ix, { onTogglePause, onConfirm: options.onConfirm }),
    ...pointer(ix, canvas, courtHeight),
    ...holdButton(ix, upButton, "up"),
    ...holdButton(ix, downButton, "down"),
  ];
  for (const [target, type, fn] of bindings) target.addEventListener(type, fn);
  return () => {
    for (const [target, type, fn] of bindings) target.removeEventListener(type, fn);
  };
}
