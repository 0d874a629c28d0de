"""Make sure there is a browser for both kinds of run: a headless shell for headless runs and
a full Chromium for headed ones; Playwright's, or the system's, or installed now."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from automation.browser.channels import Channel
from automation.browser.discovery import BrowserChoice, find_browser
from automation.browser.hints import no_browser_hint
from automation.browser.playwright_install import playwright_install
from automation.errors import NoBrowser

SHELL_PACKAGE = "chromium-headless-shell"
FULL_PACKAGE = "chromium"


@dataclass(frozen=True)
class Browsers:
    """What headless runs and headed runs would launch (None: nothing was found)."""

    headless: BrowserChoice | None
    headed: BrowserChoice | None

    @property
    def complete(self) -> bool:
        return self.headed is not None and self.headless is not None and self.headless.is_shell


def locate(explicit: Path | None, channel: Channel | None = None) -> Browsers:
    with sync_playwright() as playwright:
        return Browsers(
            find_browser(playwright, explicit, headless=True, channel=channel),
            find_browser(playwright, explicit, headless=False, channel=channel),
        )


def ensure_browser(
    explicit: Path | None, say: Callable[[str], None], channel: Channel | None = None
) -> BrowserChoice:
    """Find the browsers runs will use; where the headless shell or Chromium is missing, try
    Playwright's download (which brings both), then, as root, Debian's packages."""
    found = locate(explicit, channel)
    if explicit is None and channel is None and not found.complete:
        found = _install_missing(found, say)
    if found.headless is None or found.headed is None:
        raise NoBrowser("No Chromium could be found or installed.", hint=no_browser_hint())
    if not found.headless.is_shell and explicit is None and channel is None:
        say(
            "No headless shell: headless runs use the full browser, which is slower. "
            f"On Debian or Ubuntu: sudo apt-get install {SHELL_PACKAGE}."
        )
    say(f"Headless runs: {found.headless.describe()}")
    say(f"Headed runs: {found.headed.describe()}")
    return found.headless


def _install_missing(found: Browsers, say: Callable[[str], None]) -> Browsers:
    # Playwright's download when there is no browser or Playwright's own Chromium is there;
    # a system Chromium gets its distribution's shell, of the same version.
    if found.headed is None or found.headed.source == "Playwright's":
        say("Trying `playwright install chromium` (Chromium and its headless shell) ...")
        failed = playwright_install("chromium")
        if failed:
            say(f"Playwright {failed}")
        found = locate(None)
    if not found.complete and _can_use_apt():
        packages = [FULL_PACKAGE] if found.headed is None else []
        if not (found.headless and found.headless.is_shell):
            packages.append(SHELL_PACKAGE)
        say(f"Installing Debian's {' and '.join(packages)} package ...")
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=apt)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=False, env=apt)
        found = locate(None)
    return found


def _can_use_apt() -> bool:
    return shutil.which("apt-get") is not None and os.geteuid() == 0
