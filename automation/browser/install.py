"""Make sure a Chromium is there: Playwright's own, one on PATH, or one installed now."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import playwright
from playwright.sync_api import sync_playwright

from automation.browser.discovery import NO_BROWSER_HINT, BrowserChoice, find_browser
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


def playwright_ffmpeg_path() -> Path:
    """Where Playwright looks for the ffmpeg it records videos with."""
    package = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(
        b["revision"]
        for b in json.loads(package.read_text(encoding="utf-8"))["browsers"]
        if b["name"] == "ffmpeg"
    )
    if os.environ.get("PLAYWRIGHT_BROWSERS_PATH"):
        root = Path(os.environ["PLAYWRIGHT_BROWSERS_PATH"])
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches" / "ms-playwright"
    elif sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA", Path.home())) / "ms-playwright"
    else:
        root = Path.home() / ".cache" / "ms-playwright"
    name = {"darwin": "ffmpeg-mac", "win32": "ffmpeg-win64.exe"}.get(sys.platform, "ffmpeg-linux")
    return root / f"ffmpeg-{revision}" / name


def ensure_ffmpeg(say: Callable[[str], None]) -> Path | None:
    """Video needs Playwright's ffmpeg: keep it if there, else download it, else link the
    one the imageio-ffmpeg package ships."""
    target = playwright_ffmpeg_path()
    if target.is_file():
        say(f"ffmpeg for video: {target}")
        return target
    say("No ffmpeg for video recording; trying `playwright install ffmpeg` ...")
    subprocess.run(
        [sys.executable, "-m", "playwright", "install", "ffmpeg"], check=False, capture_output=True
    )
    if target.is_file():
        say(f"ffmpeg for video: {target} (downloaded by Playwright)")
        return target
    import imageio_ffmpeg

    shipped = Path(imageio_ffmpeg.get_ffmpeg_exe())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # a dangling link left by a removed environment
    # A copy, not a link: it must outlive this virtual environment.
    shutil.copy2(shipped, target)
    say(f"ffmpeg for video: copied the imageio-ffmpeg package's ffmpeg to {target}")
    return target
