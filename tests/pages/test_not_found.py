"""When a screen comes without a control the procedure needs: which screen, which control,
what was tried, and how the screen was built."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route

from automation.pages.find import ControlNotFound
from automation.pages.login import LoginPage
from tests.conftest import Sandbox

SIGN_IN_WITHOUT_BUTTON = """<!DOCTYPE html><html><body><form method="post">
<input type="text" placeholder="Username"><input type="password" placeholder="Password">
<span class="Button">Proceed</span></form></body></html>"""


def serve(html: str) -> Callable[[Route], None]:
    return lambda route: route.fulfill(body=html, content_type="text/html")


def test_a_sign_in_page_without_a_button_says_what_was_tried(page: Page, sandbox: Sandbox) -> None:
    page.route("**/Login.aspx", serve(SIGN_IN_WITHOUT_BUTTON))  # not after a redirect
    login = LoginPage.open(page, f"{sandbox.url}/Login.aspx")
    with pytest.raises(ControlNotFound) as not_found:
        login.login(sandbox.user, sandbox.password)
    error = not_found.value
    assert (error.screen, error.control, error.exit_code) == ("Sign-in page", "sign-in button", 5)
    assert error.message.startswith("Sign-in page: no sign-in button; tried a button captioned")
    assert "the sign-in form's submit control" in error.tried
    assert error.snapshot is not None and 'textbox "Username"' in error.snapshot
