"""A caption strip joined below a screenshot byte for byte: the screenshot's pixels exactly as
taken, the strip's below them, as the browser's own decoder reads the result."""

from __future__ import annotations

from playwright.sync_api import Page

from automation.evidence.annotations import png_size
from automation.evidence.png_stack import stack
from tests.support.images import pixel, pixels_differing

# Gradients and text: rows that PNG filters (Sub, Up, Average, Paeth) encode differently.
PICTURE = """<body style="margin:0;height:100vh;font:20px serif;
background:linear-gradient(135deg,#f06 0%,#fc0 40%,#0cf 70%,#333 100%)">
<h1>Licensing</h1><p>Serial Number 038-8FG-326-O77</p></body>"""
STRIP = """<body style="margin:0;height:100vh;background:linear-gradient(90deg,#12355B,#9cf)">
<p style="color:#fff">Added by sc-license</p></body>"""


def test_a_strip_joined_below_a_screenshot_keeps_every_pixel_of_both(page: Page) -> None:
    page.set_viewport_size({"width": 640, "height": 400})
    page.set_content(PICTURE)
    capture = page.screenshot()
    page.set_viewport_size({"width": 640, "height": 60})
    page.set_content(STRIP)
    strip = page.screenshot()

    joined = stack(capture, strip)

    assert joined is not None
    assert png_size(joined) == (640, 460)
    assert pixels_differing(page, capture, joined) == 0
    for x, y in [(0, 0), (1, 0), (320, 0), (639, 0), (5, 1), (320, 30), (639, 59)]:
        assert pixel(page, joined, x, 400 + y) == pixel(page, strip, x, y), (x, y)


def test_pictures_of_different_widths_are_left_for_the_browser_to_compose(page: Page) -> None:
    page.set_viewport_size({"width": 640, "height": 100})
    wide = page.screenshot()
    page.set_viewport_size({"width": 320, "height": 100})

    assert stack(wide, page.screenshot()) is None
    assert stack(b"not a picture", wide) is None
