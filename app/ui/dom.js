// Writes and reads that cost the browser as little as possible, shared by the court and the
// cards: text and values written only when they change (every write costs a style
// recalculation, and often a layout), canvas backing stores at a capped pixel ratio, and CSS
// sizes taken from a ResizeObserver rather than read from layout while drawing.

/** Backing-store pixels per CSS pixel at most: past 2 the pixels are not worth their cost
 * (a DPR 3 phone would raster and upload 2.25 times the pixels for no visible gain). */
export const MAX_DPR = 2;

/** The pixel ratio a canvas backing store is drawn at on this screen. */
export function backingDpr() {
  return Math.min(window.devicePixelRatio || 1, MAX_DPR);
}

/** Text into an element only when it changed. @param {Element | null} el @param {string} text */
export function setText(el, text) {
  if (el && el.textContent !== text) el.textContent = text;
}

/**
 * A field's value, written only when it differs.
 * @param {HTMLInputElement | HTMLSelectElement} el @param {string} value
 * @returns {boolean} whether it was written
 */
export function setValue(el, value) {
  if (el.value === value) return false;
  el.value = value;
  return true;
}

/** @type {WeakMap<Element, {w: number, h: number}>} */
const sizes = new WeakMap();
const observer = new ResizeObserver((entries) => {
  for (const e of entries) sizes.set(e.target, { w: e.contentRect.width, h: e.contentRect.height });
});

/**
 * An element's CSS content size as the last layout left it (a ResizeObserver keeps it), so
 * drawing never forces a layout; read from layout once, the first time, or while it has none.
 * @param {HTMLElement} el
 * @returns {{w: number, h: number}}
 */
export function cssSize(el) {
  const known = sizes.get(el);
  if (known && known.w > 0 && known.h > 0) return known;
  if (!known) observer.observe(el);
  const read = { w: el.clientWidth, h: el.clientHeight };
  sizes.set(el, read);
  return read;
}
