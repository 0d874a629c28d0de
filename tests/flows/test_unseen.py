"""Install, dry run and rollback on Service Centers that differ where the real one's markup and
license format are not published (sandbox variants, pairwise: every value of every dimension,
and most pairs, without the whole product)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pydantic import SecretStr

from automation.config import EvidenceOptions, Target
from automation.errors import RolledBack
from automation.evidence.run import Run
from automation.sandbox.licenses import issue_license, render_license
from automation.sandbox.variants import (
    LicenseEncoding,
    SignInLabels,
    SubmitControl,
    UploadAnswer,
    UploadFormStyle,
)
from flows.install_license import install_license
from tests.conftest import StartSandbox
from tests.support.sandboxes import Sandbox


@dataclass(frozen=True)
class Variant:
    sign_in_labels: SignInLabels
    submit_control: SubmitControl
    upload_form: UploadFormStyle
    upload_answer: UploadAnswer
    license_encoding: LicenseEncoding

    def __str__(self) -> str:
        return "-".join(str(value) for value in vars(self).values())


VARIANTS = [
    Variant("label", "input", "page", "navigate", "text"),
    # The look-alike that stopped the install: placeholders, a link for Upload, a late popup,
    # opaque license files.
    Variant("placeholder", "link", "delayed-popup", "navigate", "opaque"),
    Variant("aria-label", "button", "window", "message-then-reload", "binary"),
    Variant("placeholder", "button", "popup", "message-then-reload", "text"),
    Variant("aria-label", "link", "page", "message-then-reload", "opaque"),
    Variant("label", "link", "window", "navigate", "binary"),
    Variant("label", "button", "delayed-popup", "message-then-reload", "opaque"),
    Variant("placeholder", "input", "window", "navigate", "opaque"),
    Variant("aria-label", "input", "popup", "navigate", "binary"),
]


def new_run(folder: Path, sandbox: Sandbox, page: Page) -> Run:
    run = Run.create(
        EvidenceOptions(out=folder), flow="install", environment="sb", url=sandbox.url, user="admin"
    )
    run.watch(page)
    return run


def license_file(folder: Path, sandbox: Sandbox, variant: Variant, year: int) -> Path:
    """A new license for the sandbox, in its encoding, named as the Licensing Portal names it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sandbox.serial}.lic"
    issued = issue_license(sandbox.serial, end_date=date(year, 12, 31))
    path.write_bytes(render_license(issued, variant.license_encoding))
    return path


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_dry_run_install_and_rollback_work_on_every_variant(
    variant: Variant, page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox(**vars(variant))
    target = Target(
        name="sb", url=sandbox.url, user=sandbox.user, password=SecretStr(sandbox.password)
    )
    year = date.today().year
    original = sandbox.state.installed_bytes

    rehearsal = new_run(tmp_path / "dry", sandbox, page)
    first = license_file(tmp_path / "one", sandbox, variant, year + 2)
    result = install_license(page, rehearsal, target, first, dry_run=True)
    assert result.outcome == "dry-run"
    assert sandbox.state.installed_bytes == original
    assert sandbox.state.uploads == []

    installed = new_run(tmp_path / "install", sandbox, page)
    result = install_license(page, installed, target, first)
    assert result.outcome == "installed"
    assert sandbox.state.installed_bytes == first.read_bytes()

    sandbox.state.invalid_after_uploads = 1  # the next upload shows as invalid
    second = license_file(tmp_path / "two", sandbox, variant, year + 3)
    rolled_back = new_run(tmp_path / "rollback", sandbox, page)
    with pytest.raises(RolledBack):
        install_license(page, rolled_back, target, second)
    assert sandbox.state.installed_bytes == first.read_bytes()
    assert rolled_back.record.steps[-1].name == "Roll back: Verify the previous license is back"
