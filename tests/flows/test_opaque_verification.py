"""A license file whose values cannot be read is verified by the Licensing page: a valid
license for the serial whose values changed is the new one. The copy Service Center then
holds only supports that, for Service Center may hold a re-encoding of what was uploaded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from automation.errors import VerificationFailed
from flows.install_license import install_license
from flows.upload import what_the_copy_says
from tests.flows.test_flows import new_run, target_for
from tests.support.fixture_types import StartSandbox

UPLOADED, BACKUP, RE_ENCODED = b"uploaded", b"backup", b"the same license, other bytes"

# the page's values changed, the copy Service Center holds -> what it says
CASES = {
    "new-values-and-the-uploaded-bytes": (True, UPLOADED, "confirmed", "byte for byte"),
    "new-values-and-a-re-encoded-copy": (True, RE_ENCODED, "warning", "re-encoded copy"),
    "new-values-and-no-copy": (True, None, "warning", "could not be downloaded"),
    "new-values-yet-the-backup-s-bytes": (True, BACKUP, "warning", "the backup's bytes"),
    "same-values-and-the-uploaded-bytes": (False, UPLOADED, "confirmed", "byte for byte"),
    "same-values-and-the-backup-s-bytes": (False, BACKUP, "problem", "still installed"),
    "same-values-and-other-bytes": (False, RE_ENCODED, "problem", "the page cannot tell"),
    "same-values-and-no-copy": (False, None, "problem", "the page cannot tell"),
}


@pytest.mark.parametrize(("changed", "held", "kind", "says"), CASES.values(), ids=CASES)
def test_the_page_decides_and_the_copy_service_center_holds_only_supports_it(
    changed: bool, held: bytes | None, kind: str, says: str
) -> None:
    verdict = what_the_copy_says(changed, held, UPLOADED, BACKUP)

    said = {"problem": verdict.problem, "warning": verdict.warning, "confirmed": verdict.confirmed}
    assert [name for name, text in said.items() if text] == [kind]
    assert says in (said[kind] or "")


def opaque_license(write_license: Callable[..., Path], serial: str, **fields: Any) -> Path:
    """An encrypted file for `serial`, named as the Licensing Portal names its files."""
    fields.setdefault("end_date", date(date.today().year + 2, 12, 31))
    return write_license(serial, name=f"{serial}.lic", encoding="opaque", **fields)


def test_an_opaque_license_service_center_re_encodes_is_installed_by_what_the_page_shows(
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(license_encoding="opaque", backup_reencodes=True)
    new = opaque_license(write_license, sandbox.serial)
    run = new_run(tmp_path, sandbox, "install", page)

    result = install_license(page, run, target_for(sandbox), new)

    assert result.outcome == "installed"
    assert sandbox.state.installed_bytes == new.read_bytes()
    assert [u.accepted for u in sandbox.state.uploads] == [True]  # no rollback
    before, after = run.record.license_before, run.record.license_after
    assert before is not None and after is not None
    assert after.activation_code != before.activation_code
    assert any("re-encoded copy" in warning for warning in run.record.warnings)


def test_an_opaque_upload_service_center_ignored_is_not_called_installed(
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(license_encoding="opaque")
    sandbox.state.faults.upload_ignored = True
    original = sandbox.state.installed_bytes
    run = new_run(tmp_path, sandbox, "install", page)

    with pytest.raises(VerificationFailed, match="the previous license is still installed"):
        install_license(
            page, run, target_for(sandbox), opaque_license(write_license, sandbox.serial)
        )
    assert sandbox.state.installed_bytes == original


def test_an_opaque_license_the_page_cannot_tell_from_the_old_one_fails_verification(
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(license_encoding="opaque", backup_reencodes=True)
    installed = sandbox.installed
    assert installed is not None
    # Issued again with the same activation code and end date; Service Center re-encodes it.
    same_values = opaque_license(
        write_license,
        sandbox.serial,
        activation_code=installed.activation_code,
        end_date=installed.end_date,
        organization_name="Renamed Organization",
    )
    run = new_run(tmp_path, sandbox, "install", page)

    with pytest.raises(VerificationFailed, match="the page cannot tell") as failed:
        install_license(page, run, target_for(sandbox), same_values)
    assert "nothing changed" not in failed.value.hint  # the page cannot say that either
    assert [u.accepted for u in sandbox.state.uploads] == [True]  # no rollback on a guess
