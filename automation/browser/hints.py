"""What to do when no browser is found, in the words of how this copy was installed (a
checkout of the repository, a `uv tool install` or pipx install, or a plain pip install:
automation/installation.py says which), and when one is found but cannot start."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from automation.installation import Kind, this_command, this_installation
from automation.shell import Shell, command_line

# Whose Playwright `python -m playwright` runs, for the hint.
WHOSE: dict[Kind, str] = {
    "checkout": "the checkout's",
    "uv tool": "the uv tool's own",
    "pipx": "the pipx install's own",
    "venv": "this virtual environment's",
    "system": "this Python's",
}


def no_browser_hint(
    how: Kind | None = None,
    python: str = sys.executable,
    platform: str = sys.platform,
) -> str:
    """What to do next when no Chromium, Chrome or Edge was found or could be installed."""
    how = how or this_installation().kind
    shell: Shell = "windows" if platform == "win32" else "posix"
    download = command_line([python, "-m", "playwright", "install", "chromium"], shell)
    if how == "checkout":
        first = "Run `make setup` (it finds or installs one), or `uv run playwright install "
        first += "chromium` where downloads are allowed"
    else:
        first = f"Run `{this_command('setup')}` (it finds or installs one), or `{download}` "
        first += f"({WHOSE[how]} Playwright) where downloads are allowed"
    if platform in ("win32", "darwin"):
        local = "install Microsoft Edge or Google Chrome (found by themselves)"
    else:
        local = "on Debian or Ubuntu `sudo apt-get install chromium chromium-headless-shell`"
    return (
        f"{first}; {local}; or give one with --browser PATH (SC_LICENSE_BROWSER) or "
        "--browser-channel msedge|chrome."
    )


def no_display(platform: str, environ: Mapping[str, str]) -> bool:
    """Whether a headed browser has no display to open its window on: on Linux and the other
    Unixes, neither an X server (DISPLAY) nor Wayland (WAYLAND_DISPLAY) is named. Windows and
    macOS always have their desktop."""
    if platform in ("win32", "darwin"):
        return False
    return not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def launch_failure_hint() -> str:
    """What to do when the browser found did not start."""
    return (
        f"Run `{this_command('setup')}` to check the browser each kind of run uses, or give "
        "another with --browser PATH."
    )
