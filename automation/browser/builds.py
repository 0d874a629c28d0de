"""Where Playwright keeps its own headless shell: the build its headless launches use by
default, in the same cache folder as its Chromium, at the revision its browsers.json names."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import playwright

BROWSERS_JSON = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"


def revision(name: str) -> str:
    """The revision of one of Playwright's builds ("chromium-headless-shell", "ffmpeg")."""
    browsers = json.loads(BROWSERS_JSON.read_text(encoding="utf-8"))["browsers"]
    return str(next(b["revision"] for b in browsers if b["name"] == name))


def headless_shell_beside(chromium: Path, platform: str = sys.platform) -> Path | None:
    """Playwright's headless shell, from where Playwright says its Chromium is: both sit in
    its cache folder (which PLAYWRIGHT_BROWSERS_PATH may move), as
    chromium-REV/chrome-PLATFORM/... and chromium_headless_shell-REV/
    chrome-headless-shell-PLATFORM/chrome-headless-shell."""
    build = next((p for p in chromium.parents if p.name.startswith("chromium-")), None)
    if build is None or build == chromium.parent:
        return None
    # The folder under the build names the platform the same way for both:
    # chrome-linux64 / chrome-headless-shell-linux64, chrome-mac-arm64, chrome-win64 ...
    folder = chromium.relative_to(build).parts[0].removeprefix("chrome-")
    executable = "chrome-headless-shell.exe" if platform == "win32" else "chrome-headless-shell"
    shell = f"chromium_headless_shell-{revision('chromium-headless-shell')}"
    return build.parent / shell / f"chrome-headless-shell-{folder}" / executable
