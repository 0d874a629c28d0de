"""The headless shell's evidence looks like the full Chromium's: the same screenshot of the
Licensing page, pixel for pixel."""

from __future__ import annotations

import datetime
from pathlib import Path

from playwright.sync_api import Page, Playwright

from automation.browser.discovery import find_browser
from automation.browser.session import VIEWPORT, launch_args
from automation.config import LaunchOptions
from automation.evidence.screenshots import screenshot
from automation.pages.login import LoginPage
from tests.support.images import pixels_differing
from tests.support.sandboxes import Sandbox


def licensing_screenshot(
    playwright: Playwright, sandbox: Sandbox, path: Path, headless: bool
) -> tuple[str, bytes]:
    """The Licensing page's evidence screenshot, taken as a run takes it, with the browser a
    headless run (the shell) or a headed run (the full Chromium, here run headless) uses."""
    choice = find_browser(playwright, None, headless=headless)
    assert choice is not None
    browser = playwright.chromium.launch(**launch_args(choice, LaunchOptions()))  # type: ignore[arg-type]
    try:
        page = browser.new_context(viewport=VIEWPORT).new_page()  # type: ignore[arg-type]
        LoginPage.open(page, sandbox.url).login(
            sandbox.user, sandbox.password
        ).open_administration().open_licensing()
        assert screenshot(page, path, 30_000) is None
    finally:
        browser.close()
    return choice.label, path.read_bytes()


def test_the_headless_shell_takes_the_same_screenshot_as_the_full_chromium(
    playwright: Playwright, sandbox: Sandbox, page: Page, tmp_path: Path
) -> None:
    # The page shows the server's clock to the minute: the same minute for both pictures.
    noon = datetime.datetime(2026, 3, 2, 12, 0)
    sandbox.state.now = lambda: noon

    shell, by_shell = licensing_screenshot(playwright, sandbox, tmp_path / "shell.png", True)
    full, by_full = licensing_screenshot(playwright, sandbox, tmp_path / "full.png", False)

    assert "headless shell" in shell and "headless shell" not in full
    # No tolerance: the shell and the full browser of one build share Blink, Skia and the
    # system's fonts, and the page holds nothing that changes between the two pictures; any
    # pixel that differs is a difference a reviewer comparing two runs' evidence could see.
    assert pixels_differing(page, by_shell, by_full) == 0
