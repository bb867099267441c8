// Record rAF timestamps only, into window.__benchRaf.
() => {
  const rec = { raf: [], on: true };
  const tick = (ts) => { if (rec.on) { rec.raf.push(ts); requestAnimationFrame(tick); } };
  requestAnimationFrame(tick);
  window.__benchRaf = rec;
}
