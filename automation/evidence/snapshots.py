"""What a step's page said, as text a reviewer can search and diff: its ARIA snapshot (every
step) and its HTML (a failed step). Password values never reach either: Playwright's ARIA
snapshot shows a password box's value, so every value typed into one is masked."""

from __future__ import annotations

import json
from contextlib import suppress

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

MASK = "••••••••"
SNAPSHOT_TIMEOUT_MS = 5_000

_PASSWORD_VALUES = (
    "() => [...document.querySelectorAll('input[type=password]')].map(e => e.value).filter(v => v)"
)
_HTML_WITHOUT_PASSWORDS = """() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('input[type=password]').forEach(e => e.removeAttribute('value'));
    return copy.outerHTML;
}"""


def aria_text(page: Page) -> str:
    """The ARIA snapshot of the page and of each frame in it, password values masked."""
    parts = []
    for frame in _frames(page):
        with suppress(PlaywrightError):
            snapshot = frame.locator("body").aria_snapshot(timeout=SNAPSHOT_TIMEOUT_MS)
            parts.append(_heading(page, frame) + snapshot)
    return _masked("\n".join(parts), page) + "\n"


def html_text(page: Page) -> str:
    """The HTML of the page and of each frame in it, password values removed."""
    parts = []
    for frame in _frames(page):
        with suppress(PlaywrightError):
            html = str(frame.evaluate(_HTML_WITHOUT_PASSWORDS))
            parts.append(f"<!-- {_heading(page, frame).strip()} -->\n{html}")
    return _masked("\n".join(parts), page) + "\n"


def _frames(page: Page) -> list[Frame]:
    return [page.main_frame, *(f for f in page.frames if f is not page.main_frame)]


def _heading(page: Page, frame: Frame) -> str:
    return "" if frame is page.main_frame else f"\n# frame {frame.url}\n"


def _masked(text: str, page: Page) -> str:
    """`text` with every value now typed into a password box, in any frame, masked."""
    values: set[str] = set()
    for frame in _frames(page):
        with suppress(PlaywrightError):
            values.update(str(v) for v in frame.evaluate(_PASSWORD_VALUES))
    # The ARIA snapshot quotes a value with \" and \\ escaped, as JSON does: mask that too.
    forms = values | {json.dumps(v, ensure_ascii=False)[1:-1] for v in values}
    for value in sorted(forms, key=len, reverse=True):
        text = text.replace(value, MASK)
    return text
