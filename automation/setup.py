"""Make sure a Chromium is there: Playwright's own, one on PATH, or one installed now."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import sync_playwright

from automation.browser import NO_BROWSER_HINT, BrowserChoice, find_browser
from automation.errors import NoBrowser


def locate(explicit: Path | None) -> BrowserChoice | None:
    with sync_playwright() as playwright:
        return find_browser(playwright, explicit)


def ensure_browser(explicit: Path | None, say: Callable[[str], None]) -> BrowserChoice:
    """Find a Chromium; if there is none, try Playwright's download, then Debian's package."""
    choice = locate(explicit)
    if choice:
        say(f"Chromium: {choice.describe()}")
        return choice
    say("No Chromium found; trying `playwright install chromium` ...")
    subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
    choice = locate(None)
    if choice is None and _can_use_apt():
        say("Playwright could not download Chromium; installing Debian's chromium package ...")
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=apt)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=apt)
        choice = locate(None)
    if choice is None:
        raise NoBrowser("No Chromium could be found or installed.", hint=NO_BROWSER_HINT)
    say(f"Chromium: {choice.describe()}")
    return choice


def _can_use_apt() -> bool:
    return shutil.which("apt-get") is not None and os.geteuid() == 0
