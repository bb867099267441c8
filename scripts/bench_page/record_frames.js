// Record, in the page, rAF timestamps, draws (time, human paddle y) and key events, so that
// no round trip to the bench process blurs them. Read back from window.__benchRec.
() => {
  const rec = { raf: [], draws: [], keys: [], on: true };
  let lastT = -1;
  const tick = (ts) => {
    if (!rec.on) return;
    rec.raf.push(ts);
    const d = window.mirrorPong.rendered();
    if (d && d.t !== lastT) { lastT = d.t; rec.draws.push([d.t, d.left_y]); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const key = (kind) => (e) => rec.keys.push([e.timeStamp, kind, e.code]);
  window.addEventListener("keydown", key("down"), true);
  window.addEventListener("keyup", key("up"), true);
  window.__benchRec = rec;
}
