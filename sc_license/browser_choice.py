"""pytest-playwright's Chromium where Playwright's own is not installed, chosen as sc-license
chooses its own (a system Chromium or headless shell): registered by the plugin only when a
run selects a Service Center (--sc-inventory, --sc-url, --sc-sandbox), and then it applies to
every test of the run, as pytest-playwright's browser is one for the session. Where
Playwright's Chromium is installed, or the suite names a channel or an executable, nothing is
changed. pytest-playwright's own flags (--browser-channel, --headed, --slowmo) still apply, and
a conftest's browser_type_launch_args still wins over this one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Playwright

from automation.browser.discovery import CLOSED_NETWORK_ARGS, find_browser
from automation.browser.session import launch_args
from automation.config import LaunchOptions


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], playwright: Playwright, browser_name: str | None
) -> dict[str, Any]:
    if browser_name not in (None, "chromium"):
        return browser_type_launch_args  # sc-license drives Chromium only; leave others be
    if Path(playwright.chromium.executable_path).is_file():
        return browser_type_launch_args  # Playwright's own Chromium is there: nothing to choose
    given = dict(browser_type_launch_args)
    args = [*given.pop("args", []), *CLOSED_NETWORK_ARGS]
    if "channel" in given or "executable_path" in given:
        return {**given, "args": args}  # the suite chose its browser
    headless = given.get("headless", True)
    choice = find_browser(playwright, None, headless=headless)
    if choice is None:
        return {**given, "args": args}  # pytest-playwright says what is missing
    ours = launch_args(choice, LaunchOptions(headed=not headless))
    ours.pop("args", None)
    return {**ours, **given, "args": args}
