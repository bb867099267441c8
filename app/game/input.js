// Maps the human's keys, mouse, touch and on-screen buttons to intents for the left paddle,
// and sends them to the worker. It knows nothing of the game: keys become 'up' / 'stay' /
// 'down', a pointer over the court becomes a target y in court units (null lets go).

const KEY_INTENTS = /** @type {Record<string, 'up' | 'down'>} */ ({
  KeyW: "up",
  ArrowUp: "up",
  KeyS: "down",
  ArrowDown: "down",
});

/**
 * @param {{
 *   client: {send: (type: string, fields?: Record<string, unknown>) => void},
 *   canvas: HTMLCanvasElement,
 *   courtHeight: () => number,
 *   onTogglePause: () => void,
 *   upButton?: HTMLElement | null,
 *   downButton?: HTMLElement | null,
 * }} options
 * @returns {() => void} detaches every listener
 */
export function attachInput({ client, canvas, courtHeight, onTogglePause, upButton, downButton }) {
  /** Held directions, most recent last, so releasing one falls back to the other. */
  /** @type {('up' | 'down')[]} */
  let held = [];
  /** @type {string} */
  let sentIntent = "stay";
  /** @type {number | null | undefined} */
  let sentTarget;

  const sendIntent = () => {
    const intent = held.length ? held[held.length - 1] : "stay";
    if (intent === sentIntent) return;
    sentIntent = intent;
    client.send("input", { intent });
  };
  /** @param {'up' | 'down'} dir */
  const press = (dir) => {
    held = held.filter((d) => d !== dir).concat(dir);
    sentTarget = undefined; // keys take over from the pointer
    sendIntent();
  };
  /** @param {'up' | 'down'} dir */
  const release = (dir) => {
    held = held.filter((d) => d !== dir);
    sendIntent();
  };
  /** @param {number | null} target */
  const sendTarget = (target) => {
    if (target === sentTarget) return;
    sentTarget = target;
    if (target !== null) sentIntent = ""; // so the next key press is always sent
    client.send("input", { target });
  };

  /** Keys typed into the dashboard's fields are not game keys. @param {EventTarget | null} el */
  const typing = (el) =>
    el instanceof HTMLElement &&
    (el.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName));

  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.code === "Space") {
      e.preventDefault(); // no page scroll, no click on a focused button
      if (!e.repeat) onTogglePause();
      return;
    }
    const dir = KEY_INTENTS[e.code];
    if (!dir) return;
    e.preventDefault();
    if (!e.repeat || !held.includes(dir)) press(dir);
  };
  /** @param {KeyboardEvent} e */
  const onKeyUp = (e) => {
    if (e.code === "Space" && !typing(e.target)) e.preventDefault();
    const dir = KEY_INTENTS[e.code];
    if (dir && held.includes(dir)) release(dir);
  };
  // A key released while the window had no focus never sends keyup: let go of everything.
  const onBlur = () => {
    held = [];
    sendIntent();
  };

  /** Client coordinates -> court units, via the canvas rectangle. @param {number} clientY */
  const toCourtY = (clientY) => {
    const rect = canvas.getBoundingClientRect();
    const y = ((clientY - rect.top) / rect.height) * courtHeight();
    return Math.min(Math.max(y, 0), courtHeight());
  };
  /** @param {PointerEvent} e */
  const onPointer = (e) => sendTarget(toCourtY(e.clientY));
  /** @param {PointerEvent} e */
  const onPointerEnd = (e) => {
    // A mouse button going up keeps steering; a finger lifting lets go.
    if (e.type === "pointerup" && e.pointerType === "mouse") return;
    sendTarget(null);
  };

  /** @type {[EventTarget, string, EventListener, AddEventListenerOptions?][]} */
  const bindings = [
    [window, "keydown", /** @type {EventListener} */ (onKeyDown)],
    [window, "keyup", /** @type {EventListener} */ (onKeyUp)],
    [window, "blur", onBlur],
    [canvas, "pointermove", /** @type {EventListener} */ (onPointer)],
    [canvas, "pointerdown", /** @type {EventListener} */ (onPointer)],
    [canvas, "pointerleave", /** @type {EventListener} */ (onPointerEnd)],
    [canvas, "pointerup", /** @type {EventListener} */ (onPointerEnd)],
    [canvas, "pointercancel", /** @type {EventListener} */ (onPointerEnd)],
  ];
  // On-screen buttons for touch screens: held = moving.
  for (const [button, dir] of /** @type {const} */ ([[upButton, "up"], [downButton, "down"]])) {
    if (!button) continue;
    const down = (/** @type {Event} */ e) => {
      e.preventDefault();
      press(dir);
    };
    const up = () => release(dir);
    bindings.push(
      [button, "pointerdown", down],
      [button, "pointerup", up],
      [button, "pointerleave", up],
      [button, "pointercancel", up],
      [button, "contextmenu", (e) => e.preventDefault()],
    );
  }
  for (const [target, type, fn, opts] of bindings) target.addEventListener(type, fn, opts);
  return () => {
    for (const [target, type, fn, opts] of bindings) target.removeEventListener(type, fn, opts);
  };
}
