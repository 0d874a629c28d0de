"""The evidence's pictures, encoded for speed, are Playwright's screenshots pixel for pixel:
passwords masked, supervision aids hidden, popups' frames included."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from automation.browser.session import VIEWPORT
from automation.browser.supervision import HIDDEN_IN_SCREENSHOTS, SUPERVISION_SCRIPT
from automation.evidence.capture import fast_png
from automation.evidence.screenshots import MASK_COLOUR, screenshot_style
from automation.pages.login import LoginPage
from tests.support.fixture_types import StartSandbox
from tests.support.images import pixels_differing, pixels_of_colour

TIMEOUT_MS = 10_000
MASK = (int(MASK_COLOUR[1:3], 16), int(MASK_COLOUR[3:5], 16), int(MASK_COLOUR[5:7], 16))
SCREENSHOT_STYLE = screenshot_style(HIDDEN_IN_SCREENSHOTS)  # a supervised run's


def playwrights(page: Page) -> bytes:
    return page.screenshot(animations="disabled", style=SCREENSHOT_STYLE)


def ours(page: Page) -> bytes:
    picture = fast_png(page, SCREENSHOT_STYLE, TIMEOUT_MS)
    assert picture is not None, "the fast capture gave way to Playwright's"
    return picture


@pytest.mark.parametrize("upload_form", ["page", "popup", "window"])
def test_each_screen_is_the_same_picture_as_playwrights_screenshot(
    upload_form: str, browser: Browser, page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox(upload_form=upload_form)
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.add_init_script(script=SUPERVISION_SCRIPT)  # the aids a headed run shows
    run = context.new_page()
    login = LoginPage.open(run, sandbox.url)
    run.get_by_label("Username").fill(sandbox.user)
    run.get_by_label("Password").fill(sandbox.password)
    pictures = {"sign-in, password typed": (playwrights(run), ours(run))}
    licensing = login.login(sandbox.user, sandbox.password).open_administration().open_licensing()
    pictures["Licensing"] = (playwrights(run), ours(run))
    shown_on = licensing.open_upload().shown_on  # the page, or the window it opened in
    pictures["upload form"] = (playwrights(shown_on), ours(shown_on))
    for screen, (expected, taken) in pictures.items():
        # Two of Playwright's own screenshots of a page may differ by 1 in a few anti-aliased
        # edge pixels; nothing else may differ.
        assert pixels_differing(page, expected, taken, tolerance=1) == 0, screen
        assert pixels_of_colour(page, taken, MASK) == pixels_of_colour(page, expected, MASK)
    masked = pictures["sign-in, password typed"][1]
    assert pixels_of_colour(page, masked, MASK) > 1000  # the password box, a solid block
    context.close()


def test_a_frame_that_comes_during_the_capture_gives_way_to_playwrights_screenshot(
    browser: Browser, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    run = context.new_page()
    LoginPage.open(run, sandbox.url)
    assert fast_png(run, SCREENSHOT_STYLE, TIMEOUT_MS) is not None  # a page left alone
    # A frame added while the page is being prepared: the style may not have reached it.
    run.evaluate(
        """() => {
            const add = () => document.body.append(document.createElement('iframe'));
            const fonts = Object.getOwnPropertyDescriptor(FontFaceSet.prototype, 'status');
            Object.defineProperty(document.fonts, 'status', {
                get() { add(); return fonts.get.call(this); },
            });
        }"""
    )
    assert fast_png(run, SCREENSHOT_STYLE, TIMEOUT_MS) is None
    context.close()
