"""When a screen comes without a control the procedure needs: which screen, which control,
what was tried, and how the screen was built."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route

from automation.pages.find import ControlNotFound
from automation.pages.login import LoginPage
from tests.support.sandboxes import Sandbox

SIGN_IN_WITHOUT_BUTTON = """<!DOCTYPE html><html><body><form method="post">
<input type="text" placeholder="Username"><input type="password" placeholder="Password">
<span class="Button">Proceed</span></form></body></html>"""
UPLOAD_WITHOUT_SUBMIT = """<!DOCTYPE html><html><body><h1>Upload New License</h1>
<form method="post" enctype="multipart/form-data"><input type="file" name="f">
<a href="/ServiceCenter/Licensing.aspx">Cancel</a></form></body></html>"""


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
    assert "run `sc-license probe`" in error.hint and "site profile" in error.hint


def test_an_upload_form_without_a_submit_control_says_what_was_tried(
    page: Page, sandbox: Sandbox
) -> None:
    login = LoginPage.open(page, sandbox.url)
    licensing = login.login(sandbox.user, sandbox.password).open_administration().open_licensing()
    page.route("**/LicenseUpload.aspx", serve(UPLOAD_WITHOUT_SUBMIT))
    with pytest.raises(ControlNotFound) as not_found:
        licensing.open_upload()
    error = not_found.value
    assert (error.screen, error.control) == ("Upload form", "submit control")
    assert "tried a button captioned upload|upload license" in error.message
    assert "a link captioned upload|upload license" in error.message
    assert "the form's submit control" in error.tried
    assert sandbox.server.state.uploads == []


BROWSE_THEN_SUBMIT = """<!DOCTYPE html><html><body><h1>Upload New License</h1>
<form method="post" enctype="multipart/form-data"><input type="file" name="f" hidden>
<button onclick="this.form.f.click(); return false;">Browse...</button>
<input type="submit" value="Upload New License">
<a href="/ServiceCenter/Licensing.aspx">Cancel</a></form></body></html>"""


def test_a_marked_submit_is_taken_over_a_button_that_browses_for_the_file(
    page: Page, sandbox: Sandbox
) -> None:
    login = LoginPage.open(page, sandbox.url)
    licensing = login.login(sandbox.user, sandbox.password).open_administration().open_licensing()
    page.route("**/LicenseUpload.aspx", serve(BROWSE_THEN_SUBMIT))
    form = licensing.open_upload()
    assert form.submit.get_attribute("value") == "Upload New License"
    form.close()
