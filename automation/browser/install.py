"""Make sure a Chromium is there: Playwright's own, one on PATH, or one installed now."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import sync_playwright

from automation.browser.discovery import NO_BROWSER_HINT, BrowserChoice, find_browser
from automation.browser.ffmpeg import (
    ffmpeg_elsewhere,
    mark_installed,
    playwright_ffmpeg_path,
    put_in_place,
)
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


def ensure_ffmpeg(say: Callable[[str], None]) -> Path | None:
    """Video needs Playwright's ffmpeg: keep it if there, else download it, else put in place
    one this machine has (the video extra's, or one on the PATH); None if there is none."""
    target = playwright_ffmpeg_path()
    if target.is_file():
        # One an earlier setup left unmarked, which Playwright would remove; in a folder this
        # user cannot write in, Playwright's installs cannot remove it either.
        with contextlib.suppress(OSError):
            mark_installed(target)
        say(f"ffmpeg for video: {target}")
        return target
    say("No ffmpeg for video recording; trying `playwright install ffmpeg` ...")
    subprocess.run(
        [sys.executable, "-m", "playwright", "install", "ffmpeg"], check=False, capture_output=True
    )
    if target.is_file():
        say(f"ffmpeg for video: {target} (downloaded by Playwright)")
        return target
    found = ffmpeg_elsewhere()
    if found is None:
        return None
    ffmpeg, what = found
    put_in_place(ffmpeg)
    say(f"ffmpeg for video: {target} ({what}, {ffmpeg})")
    return target
