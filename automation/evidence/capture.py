"""A step's picture, lossless, encoded for speed: what Playwright's page.screenshot() takes
with a style, animations disabled and the caret hidden, at a third of its CPU.

Chromium compresses a PNG hard by default; asked to optimise for speed, it writes the same
pixels in a file about a quarter larger, for about 40 ms of CPU against 115 ms here. Playwright
does not pass that on, so the page is prepared as Playwright prepares it (capture.js) and
captured over the Chrome DevTools Protocol. Whenever that is not certain to show what
Playwright's screenshot would (a frame that could not be prepared, a document or frame that
came or went meanwhile, no DevTools session), there is no picture from here and the caller
takes Playwright's."""

from __future__ import annotations

import base64
from contextlib import suppress
from pathlib import Path
from weakref import WeakKeyDictionary

from playwright.sync_api import CDPSession, Frame, Page
from playwright.sync_api import Error as PlaywrightError

PREPARE = (Path(__file__).parent / "capture.js").read_text(encoding="utf-8")
FONTS_LOADED = "() => document.fonts.status === 'loaded'"
UNDO = "() => { const undo = window.__scLicenseUndoCapture; if (undo) undo(); return !!undo; }"

_sessions: WeakKeyDictionary[Page, CDPSession] = WeakKeyDictionary()


def fast_png(page: Page, style: str, timeout_ms: float) -> bytes | None:
    """The viewport as a PNG with `style` applied in every frame; None where it cannot be
    taken so with certainty. A page that does not answer within `timeout_ms` gets None too."""
    session = _session(page)
    if session is None:
        return None
    frames = list(page.frames)
    prepared: list[Frame] = []
    data: str | None = None
    try:
        for frame in frames:
            # wait_for_function, not evaluate: it gives up on a page that does not answer.
            frame.wait_for_function(PREPARE, arg=style, timeout=timeout_ms)
            prepared.append(frame)
        page.main_frame.wait_for_function(FONTS_LOADED, timeout=timeout_ms)
        shot = session.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})
        data = shot["data"]
    except PlaywrightError:
        data = None
    finally:
        # Each prepared document must still be there to be undone, and no frame came:
        # otherwise a document the style never reached may be in the picture.
        same = [_undo(frame) for frame in prepared]
        if not all(same) or len(prepared) != len(frames) or list(page.frames) != frames:
            data = None
    return base64.b64decode(data) if data else None


def stop_loading(page: Page) -> None:
    """Stop a navigation still under way, as the browser's Stop button does. While a page
    waits for a server that does not answer, Chromium runs no script in it, so its
    screenshot, ARIA snapshot and HTML would wait as long; a failed or interrupted step's
    evidence shows the page as it is instead."""
    session = _session(page)
    # A page or browser already gone has nothing under way.
    with suppress(PlaywrightError):
        if session is not None:
            session.send("Page.stopLoading")


def _undo(frame: Frame) -> bool:
    try:
        return bool(frame.evaluate(UNDO))
    except PlaywrightError:
        return False


def _session(page: Page) -> CDPSession | None:
    session = _sessions.get(page)
    if session is None:
        try:
            session = page.context.new_cdp_session(page)
        except PlaywrightError:  # a browser that has no DevTools protocol for us
            return None
        _sessions[page] = session
    return session
