// Record, in the page, rAF timestamps, draws (time, human paddle y), key events and pointer
// events on the court (time, clientY), so that no round trip to the bench process blurs them.
// Read back from window.__benchRec.
() => {
  const rec = { raf: [], draws: [], keys: [], touches: [], on: true };
  let lastT = -1;
  const tick = (ts) => {
    if (!rec.on) return;
    rec.raf.push(ts);
    const d = window.mirrorPong.rendered();
    if (d && d.t !== lastT) { lastT = d.t; rec.draws.push([d.t, d.left_y]); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const key = (kind) => (e) => rec.on && rec.keys.push([e.timeStamp, kind, e.code]);
  window.addEventListener("keydown", key("down"), true);
  window.addEventListener("keyup", key("up"), true);
  const touch = (e) => rec.on && e.pointerType === "touch" && rec.touches.push([e.timeStamp, e.clientY]);
  const court = document.getElementById("court-canvas");
  court.addEventListener("pointerdown", touch, { capture: true, passive: true });
  court.addEventListener("pointermove", touch, { capture: true, passive: true });
  window.__benchRec = rec;
}
