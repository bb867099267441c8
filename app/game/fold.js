// On a phone the dashboard folds behind a button under the court: game.css shows the button,
// and hides the panel until it is opened, on narrow screens only (wide screens always show
// both). Play is never a scroll away, and a folded dashboard costs the frame rate nothing:
// its painters see it off screen and draw nothing, the network view polls nothing.

/**
 * @param {HTMLElement | null} button the toggle (#dash-toggle)
 * @param {HTMLElement} panel the dashboard it folds
 */
export function foldDashboard(button, panel) {
  if (!button) return;
  const show = (/** @type {boolean} */ open) => {
    document.body.classList.toggle("dash-open", open);
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Hide the dashboard" : "Show the dashboard";
  };
  show(false);
  button.addEventListener("click", () => {
    const open = !document.body.classList.contains("dash-open");
    show(open);
    if (open) panel.scrollIntoView({ behavior: "smooth", block: "start" });
  });
}
