// Gamepads (the Gamepad API): the left stick or the d-pad moves the paddle exactly as the
// arrow keys do (the same intents, input.js); Start pauses and A (the bottom face button)
// confirms, e.g. Rematch on the winner screen. Browsers report a pad only after one of its
// buttons is pressed (`gamepadconnected`); from then on it is read once per animation frame,
// until no pad is left.

const DEADZONE = 0.45; // of the stick's travel: less than this is "stay"
// Buttons of the "standard" mapping (https://w3c.github.io/gamepad/#remapping).
const BUTTONS = Object.freeze({ a: 0, start: 9, up: 12, down: 13 });

/**
 * @typedef {{press: (dir: 'up' | 'down') => void, release: (dir: 'up' | 'down') => void}} Mover
 * @typedef {[EventTarget, string, EventListener][]} Bindings
 */

/** The first connected pad, or null. */
function firstPad() {
  const pads = typeof navigator.getGamepads === "function" ? navigator.getGamepads() : [];
  for (const pad of pads || []) if (pad && pad.connected !== false) return pad;
  return null;
}

/** Where a pad points: up, down or nowhere. @param {Gamepad} pad @returns {'up' | 'down' | null} */
export function padDirection(pad) {
  const pressed = (/** @type {number} */ i) => !!pad.buttons[i]?.pressed;
  const y = Number(pad.axes[1]) || 0; // the left stick, + = down
  if (pressed(BUTTONS.up) || y < -DEADZONE) return "up";
  if (pressed(BUTTONS.down) || y > DEADZONE) return "down";
  return null;
}

/**
 * Read the pads while any is connected and turn them into intents.
 * @param {Mover} ix @param {{onTogglePause: () => void, onConfirm?: () => void}} actions
 * @returns {Bindings}
 */
export function gamepads(ix, { onTogglePause, onConfirm }) {
  /** @type {'up' | 'down' | null} */
  let dir = null;
  let frame = 0;
  const held = { start: false, a: false };
  const steer = (/** @type {'up' | 'down' | null} */ next) => {
    if (next === dir) return;
    if (dir) ix.release(dir);
    dir = next;
    if (dir) ix.press(dir);
  };
  const edge = (/** @type {'start' | 'a'} */ name, /** @type {boolean} */ down, /** @type {(() => void) | undefined} */ run) => {
    if (down && !held[name]) run?.();
    held[name] = down;
  };
  const poll = () => {
    frame = 0;
    const pad = firstPad();
    if (!pad) {
      steer(null);
      return; // no pad left: stop until one connects
    }
    steer(padDirection(pad));
    edge("start", !!pad.buttons[BUTTONS.start]?.pressed, onTogglePause);
    edge("a", !!pad.buttons[BUTTONS.a]?.pressed, onConfirm);
    frame = requestAnimationFrame(poll);
  };
  const start = () => {
    if (!frame) frame = requestAnimationFrame(poll);
  };
  if (firstPad()) start();
  return [
    [window, "gamepadconnected", start],
    [window, "gamepaddisconnected", start], // the next poll lets go if it was the last one
  ];
}
