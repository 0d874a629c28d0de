"""The page objects on every kind of Service Center the sandbox can play (variants.py).

Pairwise rather than the full product: every value of every dimension, every upload form
with both answers, and 99 of the 119 value pairs, in eight cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.errors import LicenseRejected
from automation.pages.licensing import VALID_BANNER, LicensingPage
from automation.pages.login import LoginPage
from automation.sandbox import messages
from automation.sandbox.faults import SandboxFaults
from automation.sandbox.licenses import parse_license, random_serial
from automation.sandbox.variants import (
    LicenseEncoding,
    SignInLabels,
    SubmitControl,
    UploadAnswer,
    UploadFormStyle,
)
from tests.support.fixture_types import StartSandbox
from tests.support.sandboxes import Sandbox


@dataclass(frozen=True)
class Case:
    sign_in_labels: SignInLabels
    submit_control: SubmitControl
    upload_form: UploadFormStyle
    upload_answer: UploadAnswer
    license_encoding: LicenseEncoding
    delay_ms: int = 0

    def start(self, start_sandbox: StartSandbox) -> Sandbox:
        return start_sandbox(
            sign_in_labels=self.sign_in_labels,
            submit_control=self.submit_control,
            upload_form=self.upload_form,
            upload_answer=self.upload_answer,
            license_encoding=self.license_encoding,
            faults=SandboxFaults(delay_ms=self.delay_ms),
        )


CASES = {
    "today": Case("label", "input", "page", "navigate", "text"),
    "the-unseen-one": Case("placeholder", "link", "delayed-popup", "message-then-reload", "opaque"),
    "aria-button-page-message-binary-slow": Case(
        "aria-label", "button", "page", "message-then-reload", "binary", 150
    ),
    "label-link-window-navigate-binary-slow": Case(
        "label", "link", "window", "navigate", "binary", 150
    ),
    "aria-input-popup-navigate-opaque-slow": Case(
        "aria-label", "input", "popup", "navigate", "opaque", 150
    ),
    "placeholder-button-delayed-navigate-text-slow": Case(
        "placeholder", "button", "delayed-popup", "navigate", "text", 150
    ),
    "label-button-popup-message-binary": Case(
        "label", "button", "popup", "message-then-reload", "binary"
    ),
    "aria-link-window-message-text": Case(
        "aria-label", "link", "window", "message-then-reload", "text"
    ),
}
each_case = pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())


def open_licensing(page: Page, sandbox: Sandbox) -> LicensingPage:
    login = LoginPage.open(page, sandbox.url)
    return login.login(sandbox.user, sandbox.password).open_administration().open_licensing()


@each_case
def test_sign_in_read_back_up_and_close_the_upload_form(
    page: Page, start_sandbox: StartSandbox, tmp_path: Path, case: Case
) -> None:
    sandbox = case.start(start_sandbox)
    licensing = open_licensing(page, sandbox)
    installed = sandbox.installed
    assert installed is not None
    shown = licensing.read_license()
    assert shown.valid
    assert (shown.serial_number, shown.activation_code) == (
        sandbox.serial,
        installed.activation_code,
    )

    backup = licensing.backup_license(tmp_path).path
    assert backup is not None and backup.read_bytes() == sandbox.server.state.installed_bytes
    assert parse_license(backup.read_bytes()) == installed

    form = licensing.open_upload()
    expect(form.submit).to_be_visible()
    expect(form.file_input).to_be_attached()
    assert (form.shown_on is not page) == (case.upload_form == "window")
    form.close()
    expect(licensing.banner).to_be_visible()
    expect(page.locator("iframe:visible")).to_have_count(0)
    assert page.context.pages == [page]
    assert sandbox.server.state.uploads == []


@each_case
def test_a_license_for_another_serial_is_refused_then_the_right_one_installed(
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    case: Case,
) -> None:
    sandbox = case.start(start_sandbox)
    before = sandbox.server.state.installed_bytes
    licensing = open_licensing(page, sandbox)
    other = random_serial()

    form = licensing.open_upload()
    with pytest.raises(LicenseRejected) as rejected:
        form.upload(write_license(other, encoding=case.license_encoding))
    assert rejected.value.exit_code == 4
    assert messages.wrong_serial(other) in rejected.value.message  # Service Center's words
    assert sandbox.server.state.installed_bytes == before
    form.close()

    new = write_license(
        sandbox.serial,
        encoding=case.license_encoding,
        activation_code="NEW.AAA.BBB.CCC.DDD.EEE.FFF.GGG",
    )
    licensing.open_upload().upload(new)
    shown = licensing.read_license()
    assert shown.activation_code == "NEW.AAA.BBB.CCC.DDD.EEE.FFF.GGG" and shown.valid
    assert sandbox.server.state.installed_bytes == new.read_bytes()
    assert page.context.pages == [page]
    expect(page.locator("iframe:visible")).to_have_count(0)


@pytest.mark.parametrize("upload_form", ["page", "popup", "delayed-popup", "window"])
def test_the_form_closes_after_an_unreadable_file_is_refused(
    page: Page, start_sandbox: StartSandbox, tmp_path: Path, upload_form: str
) -> None:
    sandbox = start_sandbox(upload_form=upload_form)
    licensing = open_licensing(page, sandbox)
    garbage = tmp_path / "garbage.lic"
    garbage.write_bytes(b"not a license")
    form = licensing.open_upload()
    # Its refusal reads like one of the banner's texts; Licensing must still come back.
    with pytest.raises(LicenseRejected, match="No license was found for this server"):
        form.upload(garbage)
    form.close()
    expect(licensing.banner).to_have_text(VALID_BANNER)
    assert page.context.pages == [page]
