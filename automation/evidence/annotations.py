"""A caption strip composed below a step's screenshot, drawn by Chromium itself.

The strip is sc-license's, never Service Center's: it is drawn on a blank page of a context
of its own (no trace, no video, no cookies), so nothing is ever added to the page Service
Center rendered. Only the strip is drawn; the capture's own rows are joined above it
(png_stack), so its pixels stay exactly as taken and the browser neither decodes nor encodes
the whole picture again. A headless browser keeps its strip page for every strip it draws (a
context and a page cost more than the strip, 0.2-0.5 s on a busy machine); a headed one
closes it at once, so that its window shows only for a moment and never stays over the run's
own."""

from __future__ import annotations

import base64
import html
import struct
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from automation.evidence.files import write_atomically
from automation.evidence.png_stack import stack

STRIP_COLOUR = "#12355B"
STRIP_RGB = (0x12, 0x35, 0x5B)
SAID_BY = "Added by sc-license, not part of Service Center:"
LAYOUT = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; background: {colour}; width: {width}px; }}
img {{ display: block; }}
div {{ color: #fff; font: 15px/1.45 system-ui, sans-serif; padding: 10px 14px 14px;
       white-space: pre-wrap; overflow-wrap: anywhere; }}
small {{ display: block; color: #c9d6e6; font-size: 12px; }}
</style></head><body>{image}<div><small>{said_by}</small>{text}</div></body></html>"""
# Where the capture cannot be joined byte for byte, the browser draws it above the strip.
IMAGE = '<img src="data:image/png;base64,{data}" width="{width}" height="{height}">'


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels, from its header."""
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def add_strip(page: Page, path: Path, text: str, *, keep_page: bool = True) -> bool:
    """Compose the capture at `path` with `text` in a strip below it; False when it could not
    be done (the browser gone, a full disk), the capture then left as it was. `keep_page`:
    draw it on the browser's strip page, kept for the next strip (headless browsers)."""
    browser = page.context.browser
    if browser is None:
        return False
    try:
        capture = path.read_bytes()
        width, height = png_size(capture)
        composed = stack(capture, _draw(browser, width, text, keep_page))
        if composed is None:  # not a picture png_stack joins: drawn whole
            composed = _draw(browser, width, text, keep_page, capture, height)
        write_atomically(path, composed)
    except (PlaywrightError, OSError):
        return False
    return True


def _draw(
    browser: Browser,
    width: int,
    text: str,
    keep_page: bool,
    capture: bytes | None = None,
    height: int = 0,
) -> bytes:
    """The strip as a PNG `width` pixels wide; with the capture above it when given."""
    image = ""
    if capture is not None:
        data = base64.b64encode(capture).decode()
        image = IMAGE.format(data=data, width=width, height=height)
    # One pixel high, the page is as tall as what it holds: the strip (and the capture).
    with strip_page(browser, width, 1, keep_page) as blank:
        blank.set_content(
            LAYOUT.format(
                colour=STRIP_COLOUR,
                width=width,
                image=image,
                said_by=html.escape(SAID_BY),
                text=html.escape(text),
            )
        )
        # Nothing moves on it and nothing has focus: no animations to stop, no caret to hide.
        return blank.screenshot(full_page=True, caret="initial")


# Each browser's strip page; it goes with its browser. A fleet's workers each have a browser
# of their own, so no two threads draw on one page.
_strip_pages: weakref.WeakKeyDictionary[Browser, Page] = weakref.WeakKeyDictionary()


@contextmanager
def strip_page(browser: Browser, width: int, height: int, keep: bool) -> Iterator[Page]:
    """A blank page of this viewport, in a context of its own: the browser's kept one when
    `keep`, else a new one closed after the strip is drawn."""
    size = {"width": width, "height": height}
    kept = _strip_pages.get(browser) if keep else None
    if kept is not None and not kept.is_closed():
        if kept.viewport_size != size:
            kept.set_viewport_size(size)  # type: ignore[arg-type]
        yield kept
        return
    context = browser.new_context(viewport=size, device_scale_factor=1)  # type: ignore[arg-type]
    blank = context.new_page()
    if keep:
        _strip_pages[browser] = blank
        yield blank
        return
    try:
        yield blank
    finally:
        context.close()
