"""Which browser to drive. Headless runs prefer a headless shell (Chromium without its
desktop: what Playwright itself launches headless, and faster to start and to run); headed
runs need the full browser. In order: one given by path or channel; Playwright's headless
shell, then a distribution's (headless runs only); Playwright's Chromium; a Chromium or Chrome
on the PATH; on Windows and macOS, the installed Edge or Chrome through Playwright's channels."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from playwright.sync_api import Playwright

from automation.browser.builds import headless_shell_beside
from automation.browser.channels import (
    PRODUCTS,
    Channel,
    channel_executables,
    installed_channel,
    is_file,
)
from automation.browser.hints import no_browser_hint
from automation.errors import NoBrowser
from automation.installation import this_command

# A closed network: without these Chromium keeps calling Google's hosts.
CLOSED_NETWORK_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--no-default-browser-check",
]
SYSTEM_SHELLS = ["chromium-headless-shell", "chrome-headless-shell"]
SYSTEM_CHROMIUMS = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
]

Source = Literal["given", "Playwright's", "system", "channel"]
HEADLESS_SHELL = "headless shell"


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser a run uses: its kind, where it came from, and its executable (None for a
    channel whose browser Playwright finds by itself)."""

    source: Source
    executable: Path | None
    kind: str = "Chromium"  # or "headless shell", "Microsoft Edge", "Google Chrome"
    channel: Channel | None = None

    @property
    def label(self) -> str:
        """E.g. "headless shell (system)", "Microsoft Edge (channel msedge)"."""
        where = f"channel {self.channel}" if self.channel else self.source
        return f"{self.kind} ({where})"

    @property
    def is_shell(self) -> bool:
        return self.kind == HEADLESS_SHELL

    def describe(self) -> str:
        return f"{self.label} {self.executable}" if self.executable else self.label


def find_browser(
    playwright: Playwright,
    explicit: Path | None,
    *,
    headless: bool = True,
    channel: Channel | None = None,
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
) -> BrowserChoice | None:
    """The browser a run launches (see the module's docstring for the order); None if none."""
    full = Path(playwright.chromium.executable_path)
    return choose_browser(full, explicit, headless, channel, platform, environ)


def choose_browser(
    playwright_chromium: Path,
    explicit: Path | None,
    headless: bool,
    channel: Channel | None,
    platform: str,
    environ: Mapping[str, str],
) -> BrowserChoice | None:
    """find_browser's choice, given where Playwright's Chromium is (installed or not)."""
    if explicit is not None:
        if not explicit.is_file():
            raise NoBrowser(f"The browser {explicit} does not exist.", hint=no_browser_hint())
        kind = HEADLESS_SHELL if "headless" in explicit.name else "Chromium"
        return BrowserChoice("given", explicit, kind)
    if channel is not None:
        return given_channel(channel, platform, environ)
    full = playwright_chromium
    if headless:
        shell = headless_shell_beside(full, platform)
        if shell is not None and shell.is_file():
            return BrowserChoice("Playwright's", shell, HEADLESS_SHELL)
        found = _on_path(SYSTEM_SHELLS)
        if found:
            return BrowserChoice("system", found, HEADLESS_SHELL)
    if full.is_file():
        return BrowserChoice("Playwright's", full)
    found = _on_path(SYSTEM_CHROMIUMS)
    if found:
        return BrowserChoice("system", found)
    installed = installed_channel(platform, environ, is_file)
    if installed:
        channel, executable = installed
        return BrowserChoice("channel", Path(executable), PRODUCTS[channel], channel)
    return None


def given_channel(channel: Channel, platform: str, environ: Mapping[str, str]) -> BrowserChoice:
    """The channel asked for (--browser-channel), where Playwright will find it, or a clear
    refusal when it is not installed."""
    places = channel_executables(channel, platform, environ)
    found = next((place for place in places if is_file(place)), None)
    if found is None:
        product = PRODUCTS[channel]
        raise NoBrowser(
            f"{product} (channel {channel}) did not start: it is not installed on this machine "
            f"(Playwright looks for it at {' or '.join(places)}).",
            hint=f"Install {product}, or leave out --browser-channel (and "
            "SC_LICENSE_BROWSER_CHANNEL): a Chromium found here is used instead "
            f"(`{this_command('setup')}` names it).",
        )
    return BrowserChoice("channel", Path(found), PRODUCTS[channel], channel)


def _on_path(names: list[str]) -> Path | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None
