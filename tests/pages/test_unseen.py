"""The Service Center we had not seen: each way it differed from the sandbox, reproduced."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from automation.errors import SignedOut
from automation.pages.login import LoginPage
from automation.sandbox.faults import SandboxFaults
from tests.conftest import Sandbox


def test_sign_in_works_when_the_boxes_have_only_placeholders(
    page: Page, start_sandbox: Callable[..., Sandbox]
) -> None:
    sandbox = start_sandbox(sign_in_labels="placeholder")
    service_center = LoginPage.open(page, sandbox.url).login(sandbox.user, sandbox.password)
    expect(service_center.administration_tab).to_be_visible()


def test_an_expired_session_is_recognised_on_a_sign_in_page_with_placeholders(
    page: Page, start_sandbox: Callable[..., Sandbox]
) -> None:
    sandbox = start_sandbox(
        sign_in_labels="placeholder", faults=SandboxFaults(expire_session_on="Licensing.aspx")
    )
    service_center = LoginPage.open(page, sandbox.url).login(sandbox.user, sandbox.password)
    with pytest.raises(SignedOut, match="showed its sign-in page"):
        service_center.open_administration().open_licensing()
