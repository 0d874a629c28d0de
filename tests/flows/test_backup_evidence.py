"""Backup License judged by what its transfer said, never by a guess at the file's format:
kept when the transfer shows it whole, refused quoting the transfer when not, nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.errors import Refused
from automation.evidence.records import Check
from automation.evidence.run import Run
from flows.backup_license import backup_license
from flows.install_license import install_license
from tests.flows.test_flows import new_run, target_for
from tests.support.fixture_types import StartSandbox


def backup_check(run: Run) -> Check:
    [check] = [check for check in run.record.checks if check.name == "backup"]
    return check


def unrecorded(run: Run) -> set[str]:
    """Files in the run folder run.json does not name (`audit verify` would flag them)."""
    named = {artifact.file for artifact in run.record.artifacts}
    named |= {step.screenshot for step in run.record.steps if step.screenshot}
    return {path.name for path in run.folder.iterdir()} - named - {"run.json"}


def test_a_header_and_base64_backup_is_kept_though_its_text_is_no_multiple_of_four(
    page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox(license_encoding="header-base64")
    installed = sandbox.state.installed_bytes or b""
    # What the old base64 rule refused: the header counted, the length is no multiple of 4.
    assert installed.startswith(b"OSLIC2\n") and len(b"".join(installed.split())) % 4

    run = new_run(tmp_path, sandbox, "backup", page)
    result = backup_license(page, run, target_for(sandbox))

    assert result.outcome == "backed-up"
    assert run.record.backup is not None
    assert (run.folder / run.record.backup.file).read_bytes() == installed
    check = backup_check(run)
    assert check.passed and "Content-Length" in check.detail


@pytest.mark.parametrize("download", ["attachment", "chunked"])
def test_a_backup_cut_short_in_transfer_is_refused_quoting_the_browser_and_nothing_changes(
    download: str,
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(backup_download=download)
    sandbox.state.faults.backup_body = "truncated"
    original = sandbox.state.installed_bytes
    run = new_run(tmp_path, sandbox, "install", page)

    with pytest.raises(Refused, match="The download of Backup License failed: the browser said"):
        install_license(page, run, target_for(sandbox), write_license(sandbox.serial))

    assert sandbox.state.uploads == [] and sandbox.state.installed_bytes == original
    assert run.record.backup is None  # nothing whole was saved
    assert not backup_check(run).passed
    assert unrecorded(run) == set()


@pytest.mark.parametrize("download", ["chunked", "blob"])
def test_a_backup_sent_without_its_length_is_confirmed_by_a_second_download(
    download: str, page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox(backup_download=download)
    run = new_run(tmp_path, sandbox, "backup", page)

    result = backup_license(page, run, target_for(sandbox))

    assert result.outcome == "backed-up"
    check = backup_check(run)
    assert check.passed and "downloaded a second time: the same bytes" in check.detail
    assert run.record.backup is not None
    [second] = [a for a in run.record.artifacts if a.role.startswith("backup, second")]
    for kept in (run.record.backup, second):
        assert (run.folder / kept.file).read_bytes() == sandbox.state.installed_bytes
    assert unrecorded(run) == set()


def test_two_downloads_of_backup_license_that_differ_are_refused_and_both_kept(
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(backup_download="chunked")  # sent without a length
    sandbox.state.faults.backup_body = "unstable"  # other bytes at every other download
    run = new_run(tmp_path, sandbox, "install", page)

    with pytest.raises(Refused, match="Two downloads of Backup License differ"):
        install_license(page, run, target_for(sandbox), write_license(sandbox.serial))

    assert sandbox.state.uploads == []
    assert not backup_check(run).passed
    assert run.record.backup is not None
    [second] = [a for a in run.record.artifacts if a.role.startswith("backup, second")]
    first = (run.folder / run.record.backup.file).read_bytes()
    assert first != (run.folder / second.file).read_bytes()
    assert unrecorded(run) == set()


def test_a_session_ending_between_the_two_downloads_signs_in_again_and_leaves_no_stray_file(
    page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox(backup_download="chunked")
    sandbox.state.faults.expire_session_after = "LicenseBackup.aspx"
    run = new_run(tmp_path, sandbox, "backup", page)

    result = backup_license(page, run, target_for(sandbox))

    assert result.outcome == "backed-up"
    assert [r.reason.startswith("signed out") for r in run.record.retries] == [True]
    assert "the same bytes" in backup_check(run).detail
    assert unrecorded(run) == set()
