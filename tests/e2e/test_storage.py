"""Two tabs, one saved clone; and storage that is full or switched off."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import open_game

SAVES = "() => Number(document.getElementById('panel').dataset.saves || 0)"
OWNER = "() => document.getElementById('panel').dataset.owner"


def test_two_tabs_never_overwrite_each_other_and_one_can_take_over(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    first, second = context.new_page(), context.new_page()
    open_game(first, site_url)
    first.wait_for_function(f"() => ({OWNER[6:]}) === 'yes'")
    open_game(second, site_url)
    second.wait_for_function(f"() => ({OWNER[6:]}) === 'no'")
    expect(second.locator("#owner-status")).to_contain_text("open in another tab")
    expect(second.locator("#owner-status")).to_be_visible()
    first_saves = first.evaluate(SAVES)
    first.wait_for_function(f"() => ({SAVES[6:]}) > {first_saves}", timeout=20_000)
    second.wait_for_timeout(6000)  # more than one save period: the guest must not save
    assert second.evaluate(SAVES) == 0

    second.click("#take-over")
    second.wait_for_function(f"() => ({OWNER[6:]}) === 'yes'", timeout=20_000)
    first.wait_for_function(f"() => ({OWNER[6:]}) === 'no'")
    expect(first.locator("#owner-status")).to_contain_text("Another tab took over")
    # The new owner plays the clone the old one saved as it let go, and saves from now on.
    saved = second.evaluate("() => localStorage.getItem('mirror-pong/v1/clone')")
    assert saved
    second.wait_for_function(f"() => ({SAVES[6:]}) > 0", timeout=20_000)
    before = first.evaluate(SAVES)
    first.wait_for_timeout(6000)
    assert first.evaluate(SAVES) == before  # the old owner saves no more
    context.close()


THROWING_STORAGE = """
Storage.prototype.setItem = function () {
  const err = new Error("The quota has been exceeded.");
  err.name = "QuotaExceededError";
  throw err;
};
"""
NO_STORAGE = """
Object.defineProperty(window, "localStorage", {
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""


def check_storage_failure(browser: Browser, site_url: str, script: str, expected: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(script)
    open_game(page, site_url)
    notice = page.locator("#panel-notice")
    expect(notice).to_contain_text(expected, timeout=20_000)
    expect(notice).to_contain_text("Download clone")
    page.locator("#panel-notice .mp-notice-close").click()
    page.wait_for_timeout(6000)  # another save fails: it is not said again
    assert page.locator("#panel-notice").is_hidden()
    t0 = page.evaluate("() => window.mirrorPong.frame().t")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.mirrorPong.frame().t") > t0  # the game goes on
    with page.expect_download() as info:
        page.click("#export-btn")
    assert info.value.suggested_filename.endswith(".json")
    assert errors == []
    context.close()


def test_full_storage_is_said_once_and_the_game_goes_on(browser: Browser, site_url: str):
    check_storage_failure(browser, site_url, THROWING_STORAGE, "storage for this site is full")


def test_no_storage_at_all_is_said_once_and_the_game_goes_on(browser: Browser, site_url: str):
    check_storage_failure(browser, site_url, NO_STORAGE, "storage is disabled")
