"""Which Chromium to drive: one given by path, Playwright's own, or one on PATH."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Playwright

from automation.errors import NoBrowser

# A closed network: without these Chromium keeps calling Google's hosts.
CLOSED_NETWORK_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--no-default-browser-check",
]
SYSTEM_CHROMIUMS = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
]
NO_BROWSER_HINT = (
    "Install one: `uv run playwright install chromium` where downloads are allowed, "
    "`sudo apt-get install chromium` on Debian or Ubuntu, or Google Chrome; or give the "
    "path of one with --browser or SC_LICENSE_BROWSER. `make setup` tries the first two."
)


@dataclass(frozen=True)
class BrowserChoice:
    """Which Chromium a run uses; executable None means Playwright's own build."""

    source: str
    executable: Path | None

    def describe(self) -> str:
        where = self.executable or "Playwright's bundled Chromium"
        return f"{where} ({self.source})"


def find_browser(playwright: Playwright, explicit: Path | None) -> BrowserChoice | None:
    """An explicit path first, then Playwright's own Chromium, then one on PATH."""
    if explicit is not None:
        if not explicit.is_file():
            raise NoBrowser(f"The browser {explicit} does not exist.", hint=NO_BROWSER_HINT)
        return BrowserChoice("explicit", explicit)
    if Path(playwright.chromium.executable_path).is_file():
        return BrowserChoice("playwright", None)
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return BrowserChoice("system", Path(found))
    return None
