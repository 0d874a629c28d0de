"""The installed Edge or Chrome, through Playwright's channels: asked for with
--browser-channel, or where no Chromium is found (on Windows and macOS they are not on the
PATH, and Edge is on every Windows machine)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path, PureWindowsPath
from typing import Literal

Channel = Literal["msedge", "chrome"]
PRODUCTS: dict[Channel, str] = {"msedge": "Microsoft Edge", "chrome": "Google Chrome"}

# The order a desktop is likely to have them in: Edge ships with Windows, Chrome is the
# common addition on a Mac. Elsewhere a Chrome is found on the PATH, as a system browser.
ORDER: dict[str, tuple[Channel, ...]] = {
    "win32": ("msedge", "chrome"),
    "darwin": ("chrome", "msedge"),
}

# Where Playwright itself looks for each channel's stable build (its registry's
# _createChromiumChannel), so that what is found here is what Playwright will launch.
MAC_APPS: dict[Channel, str] = {
    "msedge": "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "chrome": "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
}
LINUX_PATHS: dict[Channel, str] = {
    "msedge": "/opt/microsoft/msedge/msedge",
    "chrome": "/opt/google/chrome/chrome",
}
WINDOWS_SUFFIXES: dict[Channel, str] = {
    "msedge": r"Microsoft\Edge\Application\msedge.exe",
    "chrome": r"Google\Chrome\Application\chrome.exe",
}


def channel_order(platform: str) -> tuple[Channel, ...]:
    """Which channels to try, in order, on this platform (sys.platform's words)."""
    return ORDER.get(platform, ())


def channel_executables(channel: Channel, platform: str, environ: Mapping[str, str]) -> list[str]:
    """The places Playwright looks for a channel's browser on this platform."""
    if platform == "darwin":
        return [MAC_APPS[channel]]
    if platform != "win32":
        return [LINUX_PATHS[channel]]
    drive = environ.get("HOMEDRIVE")
    prefixes = [
        environ.get("LOCALAPPDATA"),
        environ.get("PROGRAMFILES"),
        environ.get("PROGRAMFILES(X86)"),
        *([f"{drive}\\Program Files", f"{drive}\\Program Files (x86)"] if drive else []),
    ]
    return [str(PureWindowsPath(p, WINDOWS_SUFFIXES[channel])) for p in prefixes if p]


def installed_channel(
    platform: str, environ: Mapping[str, str], exists: Callable[[str], bool]
) -> tuple[Channel, str] | None:
    """The first channel of this platform's order whose browser is installed, and where."""
    for channel in channel_order(platform):
        for executable in channel_executables(channel, platform, environ):
            if exists(executable):
                return channel, executable
    return None


def is_file(path: str) -> bool:
    """installed_channel()'s test on a real machine."""
    return Path(path).is_file()
