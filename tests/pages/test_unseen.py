"""The Service Center we had not seen: each way it differed from the sandbox, reproduced. Its
sign-in boxes with only placeholders, and its late popup with a link for a button, are cases
of test_variants.py (the-unseen-one); here, its expired sessions."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from automation.errors import SignedOut
from automation.pages.login import LoginPage
from automation.sandbox.faults import SandboxFaults
from tests.support.fixture_types import StartSandbox


def test_an_expired_session_is_recognised_on_a_sign_in_page_with_placeholders(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox(
        sign_in_labels="placeholder", faults=SandboxFaults(expire_session_on="Licensing.aspx")
    )
    service_center = LoginPage.open(page, sandbox.url).login(sandbox.user, sandbox.password)
    with pytest.raises(SignedOut, match="showed its sign-in page"):
        service_center.open_administration().open_licensing()


@pytest.mark.parametrize("upload_form", ["popup", "window"])
def test_a_session_that_expires_in_the_upload_popup_or_window_leaves_the_sign_in_page_shown(
    page: Page, start_sandbox: StartSandbox, upload_form: str
) -> None:
    sandbox = start_sandbox(
        upload_form=upload_form,
        faults=SandboxFaults(expire_session_on="LicenseUpload_Popup.aspx"),
    )
    login = LoginPage.open(page, sandbox.url)
    licensing = login.login(sandbox.user, sandbox.password).open_administration().open_licensing()
    with pytest.raises(SignedOut):
        licensing.open_upload()
    assert page.context.pages == [page]
    LoginPage(page).login(sandbox.user, sandbox.password)  # where signing in again starts
    expect(licensing.wait_until_shown().banner).to_be_visible()
