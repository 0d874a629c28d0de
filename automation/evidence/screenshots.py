"""A step's screenshot: passwords masked, whatever the run hides hidden (the supervision aids),
taken even when slow."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automation.evidence.capture import fast_png

SCREENSHOT_TIMEOUT_MS = 10_000

# Every password box, filled or not, is a solid block in the evidence: no secret, not even its
# length, reaches an image. A stylesheet applied for the capture only (Playwright applies it in
# every frame and through shadow roots) does what Playwright's `mask` does without the extra
# frame `mask` waits for, about a third of each screenshot's time here.
# The :not(#_) raise the rule above a page's own !important rules for the box.
MASK_COLOUR = "#FF00FF"
PASSWORD = "input[type=password]:not(#_):not(#_):not(#_)"
PASSWORDS_MASKED = (
    f"{PASSWORD}, {PASSWORD}::placeholder {{ "
    f"background: {MASK_COLOUR} !important; color: transparent !important; "
    "-webkit-text-fill-color: transparent !important; text-shadow: none !important; "
    "border-color: transparent !important; caret-color: transparent !important; } "
    f"{PASSWORD}::selection {{ background: transparent !important; }}"
)


def screenshot_style(hidden: str = "") -> str:
    """The style a screenshot is taken with: the CSS `hidden` (what the run keeps out of its
    evidence, e.g. the supervision aids), and every password box masked."""
    return f"{hidden} {PASSWORDS_MASKED}" if hidden else PASSWORDS_MASKED


def screenshot(
    page: Page | None, path: Path, navigation_timeout_ms: int, hidden: str = ""
) -> str | None:
    """Take the picture (see screenshot_style); None when it was taken, else why there is
    none."""
    if page is None or page.is_closed():
        return "no page was open"
    style = screenshot_style(hidden)
    error: Exception | None = None
    # A screenshot waits for a page still loading; a failure's picture matters even when
    # the page is slower than the run's navigation timeout, so it gets time of its own.
    with suppress(PlaywrightError):
        page.set_default_navigation_timeout(SCREENSHOT_TIMEOUT_MS)
    for _attempt in (1, 2):
        try:
            fast = fast_png(page, style, SCREENSHOT_TIMEOUT_MS)
            if fast is not None:
                path.write_bytes(fast)
            else:  # the same picture, the slower way (see capture.py)
                page.screenshot(
                    path=path,
                    animations="disabled",
                    style=style,
                    timeout=SCREENSHOT_TIMEOUT_MS,
                )
            error = None
            break
        except OSError as failed:  # the file is written from here: a full disk
            error = failed
            break
        except PlaywrightError as failed:
            error = failed
            # A page that finished loading mid-screenshot is there now: once more.
            if "context was destroyed" not in str(failed):
                break
    with suppress(PlaywrightError):
        page.set_default_navigation_timeout(navigation_timeout_ms)
    if error is not None:
        path.unlink(missing_ok=True)  # a picture cut short (a full disk) is no evidence
        return first_line(error)
    return None


def first_line(error: BaseException) -> str:
    """An error in one line: its type and the first line of its message."""
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__
