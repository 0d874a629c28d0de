"""A headed browser keeps Chromium's download bubble shut, and downloads still land."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Playwright

from automation.browser.discovery import find_browser
from automation.browser.downloads import close_browser, without_download_bubble
from automation.browser.session import launch_args
from automation.config import LaunchOptions
from automation.pages.login import LoginPage
from tests.support.sandboxes import Sandbox


def profiles() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("sc-license-profile-*"))


def test_the_download_bubble_is_off_and_the_backup_still_lands(
    playwright: Playwright, sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choice = find_browser(playwright, None, headless=False)  # a headed run's Chromium
    assert choice is not None
    # This test's own temporary folder: browsers of other tests running at the same time
    # make and remove profiles of their own.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    before = profiles()
    # Headless here (no display); a headed run launches the same way.
    browser = without_download_bubble(playwright, launch_args(choice, LaunchOptions()))
    assert len(profiles() - before) == 1  # its profile, made in this test's folder
    try:
        profile = browser.contexts[0]  # the profile the runs' contexts come from
        first = profile.pages[0]  # its own window keeps Chromium running, out of the way
        cdp = profile.new_cdp_session(first)
        assert cdp.send("Browser.getWindowForTarget")["bounds"]["windowState"] == "minimized"
        settings = profile.new_page()
        settings.goto("chrome://prefs-internals")
        prefs = json.loads(settings.locator("body").inner_text())
        assert prefs["download_bubble"]["partial_view_enabled"]["value"] is False
        settings.close()

        page = browser.new_context(accept_downloads=True).new_page()
        licensing = (
            LoginPage.open(page, sandbox.url)
            .login(sandbox.user, sandbox.password)
            .open_administration()
            .open_licensing()
        )
        backup = licensing.backup_license(tmp_path).path
        assert backup is not None and backup.read_bytes() == sandbox.server.state.installed_bytes
    finally:
        close_browser(browser)
    assert profiles() == before  # the profile went with the browser
