"""The Service Center we had not seen: each way it differed from the sandbox, reproduced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.errors import SignedOut
from automation.pages.login import LoginPage
from automation.sandbox.faults import SandboxFaults
from tests.conftest import StartSandbox


def test_sign_in_works_when_the_boxes_have_only_placeholders(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox(sign_in_labels="placeholder")
    service_center = LoginPage.open(page, sandbox.url).login(sandbox.user, sandbox.password)
    expect(service_center.administration_tab).to_be_visible()


def test_a_popup_that_opens_late_with_a_link_for_its_button_installs_the_license(
    page: Page, start_sandbox: StartSandbox, write_license: Callable[..., Path]
) -> None:
    sandbox = start_sandbox(upload_form="delayed-popup", submit_control="link")
    new = write_license(sandbox.serial, activation_code="NEW.AAA.BBB.CCC.DDD.EEE.FFF.GGG")
    login = LoginPage.open(page, sandbox.url)
    licensing = login.login(sandbox.user, sandbox.password).open_administration().open_licensing()
    licensing.open_upload().upload(new)
    assert licensing.read_license().activation_code == "NEW.AAA.BBB.CCC.DDD.EEE.FFF.GGG"


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
