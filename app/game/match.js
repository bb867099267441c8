// The page's side of matches: the winner screen, and the score said to screen readers. When a
// match is won (a frame's match.state is "over") the screen covers the court with the result,
// the match's length, the clone's age and how the margin moved since the last match, and two
// choices: Rematch (a new match at 0-0 with the same clone) and Keep playing (no end, the score
// counts on); moving the paddle again (schema.match.play_on_s after the end) plays the next
// match too, and without either it starts by itself (match.next_in). The worker is the
// authority: the screen follows the frames, so it goes however the next match starts.

/** @typedef {import("./client.js").WorkerClient} WorkerClient */
/**
 * @typedef {{to: number, win_by: number, number: number, state: string, winner: string | null,
 *   seconds: number, next_in: number, serve_in: number, serve_to: string}} MatchState
 * @typedef {{number: number, to: number, left: number, right: number, seconds: number,
 *   age_min: number, returns: number | null}} MatchRecord
 */

/** 83.2 -> "1:23". @param {number} seconds */
export function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** "+3", "0", "-2": a margin, signed. @param {number} n */
export const signed = (n) => (n > 0 ? `+${n}` : String(n));

/** What the margin's move says. @param {MatchRecord} rec @param {MatchRecord | undefined} prev */
function trend(rec, prev) {
  const margin = rec.left - rec.right;
  if (!prev) return `Your margin: ${signed(margin)}. Play again to see whether the clone gets harder to beat.`;
  const before = prev.left - prev.right;
  const says = margin < before ? "the clone is harder to beat" : margin > before ? "you pulled ahead" : "no change yet";
  return `Your margin: ${signed(margin)}, against ${signed(before)} in match ${prev.number}: ${says}.`;
}

export class WinnerScreen {
  /** @param {HTMLElement} el the #winner overlay @param {WorkerClient} client */
  constructor(el, client) {
    this.el = el;
    this.client = client;
    /** @type {number | null} the match it shows */ this.number = null;
    /** @type {number | null} a match the player already answered for */ this.answered = null;
    this.nextShown = "";
    const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (el.querySelector("#" + id));
    this.$ = $;
    $("rematch-button").addEventListener("click", () => this.choose("new_match"));
    $("keep-playing-button").addEventListener("click", () => this.choose("free_play"));
  }

  /** Follow a frame's match state. @param {{match?: MatchState, score: {left: number, right: number}}} frame */
  follow(frame) {
    const m = frame.match;
    if (!m) return;
    if (m.state !== "over") {
      this.answered = null;
      if (this.number !== null) this.hide();
      return;
    }
    if (this.number !== m.number && this.answered !== m.number) this.show(m, frame.score);
    const next = `Next match in ${Math.ceil(m.next_in)} s, or as soon as you move.`;
    if (this.number !== null && next !== this.nextShown) this.$("winner-next").textContent = (this.nextShown = next);
  }

  /** @param {MatchState} m @param {{left: number, right: number}} score */
  show(m, score) {
    this.number = m.number;
    const won = m.winner === "left";
    this.el.dataset.winner = m.winner || "";
    this.$("winner-title").textContent = won ? "You win!" : "The clone wins";
    this.$("winner-you").textContent = String(score.left);
    this.$("winner-clone").textContent = String(score.right);
    this.$("winner-detail").textContent = `Match ${m.number}, first to ${m.to}, in ${clock(m.seconds)}.`;
    this.$("winner-trend").textContent = "";
    const before = document.activeElement;
    this.el.hidden = false;
    // Take the focus from the court (or nowhere), not from a field of the dashboard.
    if (!before || before === document.body || before.closest(".game")) this.$("rematch-button").focus();
    this.client.request("get_matches").then((reply) => this.explain(reply.history, m.number)).catch(() => {});
  }

  /** The finished match's record: its clone's age and the margin's move. @param {MatchRecord[]} history @param {number} number */
  explain(history, number) {
    const i = history.findIndex((r) => r.number === number);
    if (i < 0 || this.number !== number) return;
    const rec = history[i];
    this.$("winner-detail").textContent = `Match ${rec.number}, first to ${rec.to}, in ${clock(rec.seconds)}; the clone has learned from ${rec.age_min.toFixed(1)} minutes of your play.`;
    this.$("winner-trend").textContent = trend(rec, history[i - 1]);
  }

  hide() {
    const had = this.el.contains(document.activeElement);
    this.number = null;
    this.nextShown = "";
    this.el.hidden = true;
    if (had) /** @type {HTMLElement | null} */ (document.getElementById("court-canvas"))?.focus();
  }

  /** Rematch ("new_match") or Keep playing ("free_play"). @param {string} type */
  choose(type) {
    if (this.number === null) return;
    this.answered = this.number;
    this.hide();
    this.client.request(type).catch(() => {});
  }

  /** A gamepad's A: Rematch, when the screen is up. */
  confirm() {
    if (this.number !== null) this.choose("new_match");
  }
}

/**
 * The score for screen readers (aria-live): said when a point or a match changes it.
 * @param {{score: {left: number, right: number}, match?: MatchState}} frame
 */
export function scoreText(frame) {
  const m = frame.match;
  const score = `you ${frame.score.left}, clone ${frame.score.right}`;
  if (!m) return `You ${frame.score.left}, clone ${frame.score.right}`;
  if (m.state === "free") return `Free play: ${score}`;
  return `Match ${m.number}, first to ${m.to}: ${score}`;
}
