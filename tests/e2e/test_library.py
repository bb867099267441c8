"""Your clones: a library of named clones in the browser (save, rename, delete, play against
one) that survives a reload, and a full storage that is reported and loses nothing."""

from __future__ import annotations

import json

from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_dashboard import exported_layers, fresh_page, open_panel

NAMES = (
    "() => [...document.querySelectorAll('#library-list .mp-library-name')].map(e => e.textContent)"
)
COUNT = "() => Number(document.getElementById('library-card').dataset.count)"


def save_as(page: Page, name: str) -> None:
    """Type a name for the clone that plays and save it in the library."""
    page.fill("#library-name", name)
    page.click("#library-save")


def row(page: Page, name: str):
    return page.locator("#library-list li", has=page.locator(".mp-library-name", has_text=name))


def test_named_clones_are_saved_renamed_deleted_and_survive_a_reload(page: Page, site_url: str):
    open_panel(page, site_url + "?learning=off")
    expect(page.locator("#clone-name")).to_have_text("an unnamed clone")
    save_as(page, "First")
    expect(page.locator("#panel-notice")).to_contain_text("Saved “First” in your library")
    expect(page.locator("#clone-name")).to_have_text("First")  # the clone that plays is named
    first_layers = exported_layers(page)
    page.once("dialog", lambda d: d.accept())
    page.click("#reset-ai")  # another clone plays now
    expect(page.locator("#clone-name")).to_have_text("an unnamed clone")
    save_as(page, "Second")
    page.wait_for_function(f"() => ({COUNT[6:]}) === 2")
    assert page.evaluate(NAMES) == ["First", "Second"]

    row(page, "First").locator(".library-rename").click()
    page.fill("#library-list .library-rename-input", "Primo <b>uno</b>")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({NAMES[6:]}).includes('Primo <b>uno</b>')")
    page.once("dialog", lambda d: d.dismiss())
    row(page, "Second").locator(".library-delete").click()  # dismissed: it stays
    assert page.evaluate(COUNT) == 2
    page.once("dialog", lambda d: d.accept())
    row(page, "Second").locator(".library-delete").click()
    page.wait_for_function(f"() => ({COUNT[6:]}) === 1")

    page.reload()
    page.wait_for_function("() => !!window.mirrorPong")
    page.evaluate("() => window.mirrorPong.ready")
    page.wait_for_function("() => document.getElementById('panel').dataset.ready === 'true'")
    assert page.evaluate(NAMES) == ["Primo <b>uno</b>"]
    assert page.locator("#library-list b").count() == 0  # a name is text, never markup
    page.once("dialog", lambda d: d.accept())
    row(page, "Primo").locator(".library-play").click()
    expect(page.locator("#clone-name")).to_have_text("Primo <b>uno</b>")
    assert exported_layers(page) == first_layers  # the very clone that was saved
    assert page.errors == []  # type: ignore[attr-defined]


# A storage of 200,000 characters, as a browser's quota would refuse (setItem throws).
SMALL_QUOTA = """
(() => {
  const LIMIT = 200000;
  const real = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    let used = 0;
    for (let i = 0; i < this.length; i++) {
      const k = this.key(i);
      if (k !== key) used += k.length + this.getItem(k).length;
    }
    if (used + key.length + String(value).length > LIMIT) {
      const err = new Error("The quota has been exceeded.");
      err.name = "QuotaExceededError";
      throw err;
    }
    return real.call(this, key, value);
  };
})();
"""


def test_a_full_storage_is_reported_and_loses_nothing(browser: Browser, site_url: str):
    page = fresh_page(browser)
    page.add_init_script(SMALL_QUOTA)
    open_panel(page, site_url + "?learning=off")
    kept, message = [], ""
    for i in range(1, 12):
        save_as(page, f"Clone {i}")
        expect(page.locator("#panel-notice")).to_contain_text(f"“Clone {i}”")
        message = page.locator("#panel-notice").text_content() or ""
        if "storage for this site is full" in message:
            break
        kept.append(f"Clone {i}")
    assert (
        "Nothing was lost" in message
        and page.locator("#panel-notice").get_attribute("data-kind") == "error"
    ), message
    assert 1 <= len(kept) < 11, kept
    assert page.evaluate(NAMES) == kept  # the refused one is not listed, the others stay
    texts = page.evaluate(
        "() => JSON.parse(localStorage.getItem('mirror-pong/v1/library'))"
        ".map(e => localStorage.getItem('mirror-pong/v1/library/' + e.id))"
    )
    assert len(texts) == len(kept) and all(json.loads(t)["layers"] for t in texts)
    t0 = page.evaluate("() => window.mirrorPong.frame().t")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.mirrorPong.frame().t") > t0  # the game goes on
    page.reload()
    page.wait_for_function("() => !!window.mirrorPong")
    page.evaluate("() => window.mirrorPong.ready")
    page.wait_for_function("() => document.getElementById('panel').dataset.ready === 'true'")
    assert page.evaluate(NAMES) == kept
    assert page.errors == []  # type: ignore[attr-defined]
    page.context.close()
