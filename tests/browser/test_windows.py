"""A headed fleet's windows open side by side, not on top of each other."""

from __future__ import annotations

from playwright.sync_api import Playwright

from automation.browser.discovery import find_browser
from automation.browser.session import open_browser
from automation.browser.windows import SCREEN, tiled
from automation.config import LaunchOptions


def test_each_worker_of_a_fleet_gets_its_own_place_on_the_screen() -> None:
    places = [tiled(LaunchOptions(headed=True), worker, 4).window_position for worker in range(4)]
    assert places == [(0, 0), (960, 0), (0, 540), (960, 540)]
    six = {tiled(LaunchOptions(headed=True), worker, 6).window_position for worker in range(6)}
    assert len(six) == 6
    assert all(0 <= x < SCREEN[0] and 0 <= y < SCREEN[1] for x, y in six)  # type: ignore[misc]


def test_the_browser_window_opens_where_its_worker_is_placed(playwright: Playwright) -> None:
    # Headless here (no display), on the full Chromium a headed run uses: the headless shell
    # has no windows to place.
    full = find_browser(playwright, None, headless=False)
    assert full is not None
    launch = tiled(LaunchOptions(executable=full.executable), 3, 4)
    with open_browser(playwright, launch) as (browser, _):
        page = browser.new_context().new_page()
        bounds = page.context.new_cdp_session(page).send("Browser.getWindowForTarget")["bounds"]
    assert (bounds["left"], bounds["top"]) == (960, 540)
