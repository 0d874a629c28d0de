"""A session that expires on any page of the procedure: signed in again once, and the step
done again, wherever Service Center shows its form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pydantic import SecretStr

from automation.config import EvidenceOptions, Target
from automation.evidence.run import Run
from flows.install_license import install_license
from tests.support.fixture_types import StartSandbox

# The upload form as a page (the sandbox's default) is tested through the CLI, in
# tests/cli/test_faults.py::test_signing_in_again_keeps_the_password_out_of_the_trace.
CASES = {
    "backup-download": ({}, "LicenseBackup.aspx"),
    "upload-popup": ({"upload_form": "popup"}, "LicenseUpload_Popup.aspx"),
    "upload-delayed-popup": ({"upload_form": "delayed-popup"}, "LicenseUpload_Popup.aspx"),
    "upload-window": ({"upload_form": "window"}, "LicenseUpload_Popup.aspx"),
}


@pytest.mark.parametrize(("variant", "page_name"), CASES.values(), ids=CASES.keys())
def test_a_session_that_expires_anywhere_is_signed_in_again_and_the_install_goes_on(
    variant: dict[str, str],
    page_name: str,
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(**variant)
    sandbox.state.faults.expire_session_on = page_name
    new = write_license(sandbox.serial)
    run = Run.create(
        EvidenceOptions(out=tmp_path), flow="install", environment="sb", url=sandbox.url, user="a"
    )
    run.watch(page)
    target = Target(
        name="sb", url=sandbox.url, user=sandbox.user, password=SecretStr(sandbox.password)
    )
    result = install_license(page, run, target, new)
    assert result.outcome == "installed"
    assert sandbox.state.installed_bytes == new.read_bytes()
    assert sandbox.state.faults.expire_session_on is None  # it did expire
    assert [r.reason.startswith("signed out") for r in run.record.retries] == [True]
