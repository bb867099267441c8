// A small court for the cards that show play (the mirror test's replays, clone against
// clone): the court, its centre line, both paddles and the ball, from one scene in court
// units (y down), fitted into the canvas with the court's aspect kept. No score and no
// interpolation: the cards hand it frames at their own pace (through painter.js). The live
// game is drawn by app/game/renderer.js.

import { fitCanvas } from "./charts.js";

export const COURT_COLORS = Object.freeze({
  court: "#070b16",
  line: "rgba(160, 190, 255, 0.28)",
  border: "rgba(160, 190, 255, 0.35)",
  you: "#4ff0ff", // the player's paddle in the live game
  clone: "#ff5ccf", // the clone's
  visitor: "#ffb454", // another clone, in a duel
  dim: "rgba(200, 210, 230, 0.35)", // a paddle that is not the point (the replays' right one)
  ball: "#ffffff",
});

/**
 * @typedef {{court: {w: number, h: number}, paddle: {w: number, h: number},
 *   paddle_x: {left: number, right: number}, ball: {x: number, y: number, r: number},
 *   left_y: number, right_y: number, left_color: string, right_color: string}} Scene
 */

/**
 * Draw `scene` into `canvas` (CSS size from the stylesheet, backed at devicePixelRatio).
 * @param {HTMLCanvasElement} canvas
 * @param {Scene} scene
 */
export function drawCourt(canvas, scene) {
  const { ctx, w, h } = fitCanvas(canvas);
  const { court, paddle } = scene;
  const k = Math.min(w / court.w, h / court.h); // CSS pixels per court unit
  const x0 = (w - court.w * k) / 2;
  const y0 = (h - court.h * k) / 2;
  ctx.fillStyle = COURT_COLORS.court;
  ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = COURT_COLORS.border;
  ctx.lineWidth = 1;
  ctx.strokeRect(x0 + 0.5, y0 + 0.5, court.w * k - 1, court.h * k - 1);
  ctx.strokeStyle = COURT_COLORS.line;
  ctx.setLineDash([4, 4]);
  ctx.beginPath();
  ctx.moveTo(x0 + (court.w / 2) * k, y0);
  ctx.lineTo(x0 + (court.w / 2) * k, y0 + court.h * k);
  ctx.stroke();
  ctx.setLineDash([]);
  const bar = (/** @type {number} */ x, /** @type {number} */ y, /** @type {string} */ color) => {
    ctx.fillStyle = color;
    const pw = Math.max(paddle.w * k, 2);
    ctx.fillRect(x0 + x * k - pw / 2, y0 + (y - paddle.h / 2) * k, pw, paddle.h * k);
  };
  bar(scene.paddle_x.left, scene.left_y, scene.left_color);
  bar(scene.paddle_x.right, scene.right_y, scene.right_color);
  ctx.fillStyle = COURT_COLORS.ball;
  ctx.beginPath();
  ctx.arc(x0 + scene.ball.x * k, y0 + scene.ball.y * k, Math.max(scene.ball.r * k, 2), 0, Math.PI * 2);
  ctx.fill();
  canvas.dataset.updates = String(Number(canvas.dataset.updates || 0) + 1); // for tests
}
