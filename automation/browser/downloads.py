"""A headed Chromium that keeps its download bubble shut. From the backup on, Chromium's
bubble would open over the top right of the page, where Service Center shows the environment's
name and the user menu. Its feature switches (DownloadBubble, DownloadBubbleV2) are gone from
current Chromium, and a second --disable-features would replace Playwright's own list, so the
profile's preference is set instead: Chromium reads it from a profile folder made for the
browser, and the runs' contexts (off-the-record profiles of it) inherit it."""

from __future__ import annotations

import json
import shutil
import tempfile
from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Browser, Playwright
from playwright.sync_api import Error as PlaywrightError

# The bubble that opens by itself when a download completes; the toolbar's icon stays.
PREFERENCES = {"download_bubble": {"partial_view_enabled": False}}

# Each such browser's profile folder, removed by close_browser(): an event handler on close
# would run only at Playwright's next call, and the folder would outlive the run.
_profiles: dict[int, Path] = {}


def without_download_bubble(playwright: Playwright, launch: dict[str, object]) -> Browser:
    """Launch Chromium (chromium.launch()'s arguments) on a fresh profile that has the
    preference; the profile is deleted once the browser has gone."""
    profile = Path(tempfile.mkdtemp(prefix="sc-license-profile-"))
    try:
        (profile / "Default").mkdir()
        (profile / "Default" / "Preferences").write_text(json.dumps(PREFERENCES), encoding="utf-8")
        context = playwright.chromium.launch_persistent_context(profile, **launch)  # type: ignore[arg-type]
    except BaseException:
        shutil.rmtree(profile, ignore_errors=True)
        raise
    browser = context.browser
    assert browser is not None  # a launched Chromium's
    _profiles[id(browser)] = profile
    # The profile's own first window stays: closing a headed Chromium's last window would end
    # it between two runs of a fleet. Each run opens a window of its own; this one is minimised.
    for page in context.pages:
        with suppress(PlaywrightError):  # a desktop without a window manager, say
            session = context.new_cdp_session(page)
            window = session.send("Browser.getWindowForTarget")["windowId"]
            bounds = {"windowState": "minimized"}
            session.send("Browser.setWindowBounds", {"windowId": window, "bounds": bounds})
            session.detach()
    return browser


def close_browser(browser: Browser) -> None:
    """Close a browser (or disconnect from a shared one) and remove the profile folder it was
    launched on, if any."""
    try:
        with suppress(PlaywrightError):
            browser.close()
    finally:
        profile = _profiles.pop(id(browser), None)
        if profile is not None:
            shutil.rmtree(profile, ignore_errors=True)
