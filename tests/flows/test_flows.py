"""The flows end to end against the sandbox: what they change and the evidence they leave."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pydantic import SecretStr

from automation.config import EvidenceOptions, Target
from automation.errors import (
    Aborted,
    LicenseRejected,
    Refused,
    RollbackFailed,
    RolledBack,
    SignInFailed,
)
from automation.evidence.files import sha256_of
from automation.evidence.run import Run
from automation.identity import Actor, ApprovalRecord
from automation.license_files import read_license_file
from automation.licenses import Proposal
from automation.sandbox import messages
from automation.sandbox.licenses import random_serial
from flows.backup_license import backup_license
from flows.install_license import install_license
from flows.license_status import license_status
from tests.conftest import StartSandbox
from tests.support.sandboxes import Sandbox

INSTALL_STEPS = [
    "Open Service Center",
    "Sign in",
    "Click the Administration tab",
    "Open the Licensing submenu",
    "Back up the installed license",
    "Click Upload New License",
    "Choose the new license file",
    "Upload the new license file",
    "Verify the new license is installed",
]


def target_for(sandbox: Sandbox, password: str | None = None) -> Target:
    return Target(
        name="sandbox",
        url=sandbox.url,
        user=sandbox.user,
        password=SecretStr(password or sandbox.password),
    )


def new_run(tmp_path: Path, sandbox: Sandbox, flow: str, page: Page) -> Run:
    """A run folder watching `page`, as the runner makes one."""
    run = Run.create(
        EvidenceOptions(out=tmp_path / "recordings"),
        flow=flow,
        environment="sandbox",
        url=sandbox.url,
        user=sandbox.user,
    )
    run.watch(page)
    return run


def run_json(run: Run) -> dict:  # type: ignore[type-arg]
    return json.loads((run.folder / "run.json").read_text())


def test_install_changes_the_license_and_leaves_evidence_of_every_step(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    old_bytes = sandbox.server.state.installed_bytes
    run = new_run(tmp_path, sandbox, "install", page)
    result = install_license(page, run, target_for(sandbox), new_license)
    run.finish(result.outcome, 0, result.message)

    assert sandbox.server.state.installed_bytes == new_license.read_bytes()
    record = run_json(run)
    assert record["outcome"] == "installed"
    assert [s["name"] for s in record["steps"]] == INSTALL_STEPS
    assert all(s["status"] == "passed" for s in record["steps"])
    for step in record["steps"]:
        shot = run.folder / step["screenshot"]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert sha256_of(shot.read_bytes()) == step["screenshot_sha256"]
    backup = run.folder / record["backup"]["file"]
    assert backup.read_bytes() == old_bytes
    assert record["backup"]["sha256"] == sha256_of(old_bytes)
    new = read_license_file(new_license)
    assert record["license_after"]["activation_code"] == new.activation_code
    assert record["license_before"]["activation_code"] != new.activation_code
    assert record["environment_shown"] == "Development"


def test_the_password_appears_in_no_evidence_file(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    run = new_run(tmp_path, sandbox, "install", page)
    install_license(page, run, target_for(sandbox), new_license)
    for file in run.folder.iterdir():
        assert sandbox.password.encode() not in file.read_bytes(), file.name


def test_license_for_another_serial_is_refused_before_upload(
    page: Page, sandbox: Sandbox, write_license: Callable[..., Path], tmp_path: Path
) -> None:
    old_bytes = sandbox.server.state.installed_bytes
    other = random_serial()
    wrong = write_license(other)
    run = new_run(tmp_path, sandbox, "install", page)
    with pytest.raises(Refused, match=f"issued for serial {other}, but sandbox has serial"):
        install_license(page, run, target_for(sandbox), wrong)

    assert sandbox.server.state.uploads == []
    assert sandbox.server.state.installed_bytes == old_bytes
    assert run.record.checks[-1].name == "serial" and not run.record.checks[-1].passed
    assert (run.folder / run.record.backup.file).read_bytes() == old_bytes  # type: ignore[union-attr]


def test_expired_license_is_refused_before_upload(
    page: Page, sandbox: Sandbox, write_license: Callable[..., Path], tmp_path: Path
) -> None:
    expired = write_license(sandbox.serial, end_date=date.today() - timedelta(days=1))
    run = new_run(tmp_path, sandbox, "install", page)
    with pytest.raises(Refused, match="ended on"):
        install_license(page, run, target_for(sandbox), expired)
    assert sandbox.server.state.uploads == []


def test_license_ending_within_30_days_is_installed_with_a_warning(
    page: Page, sandbox: Sandbox, write_license: Callable[..., Path], tmp_path: Path
) -> None:
    soon = write_license(sandbox.serial, end_date=date.today() + timedelta(days=10))
    run = new_run(tmp_path, sandbox, "install", page)
    # It ends before the license installed (a year from now): the operator allows that.
    result = install_license(page, run, target_for(sandbox), soon, allow_earlier_end=True)
    assert result.outcome == "installed"
    assert any("in 10 days" in warning for warning in run.record.warnings)


def test_unreadable_serial_needs_expect_serial(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    odd = tmp_path / "odd.lic"
    odd.write_text("a license in a format nobody documented")
    run = new_run(tmp_path, sandbox, "install", page)
    with pytest.raises(Refused, match="No serial number could be read"):
        install_license(page, run, target_for(sandbox), odd)
    run = new_run(tmp_path, sandbox, "install", page)
    with pytest.raises(Refused, match="You expected serial XXX-"):
        install_license(
            page,
            run,
            target_for(sandbox),
            odd,
            expect_serial="XXX-XXX-XXX-XXX-XXX-XXX-XXX-XXX",
        )
    assert sandbox.server.state.uploads == []


def test_the_installed_license_again_is_a_no_op(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    same = tmp_path / "same.lic"
    same.write_bytes(sandbox.server.state.installed_bytes or b"")
    run = new_run(tmp_path, sandbox, "install", page)
    result = install_license(page, run, target_for(sandbox), same)
    assert result.outcome == "unchanged"
    assert sandbox.server.state.uploads == []


def test_the_installed_license_shown_invalid_is_uploaded_again_not_called_unchanged(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    same = tmp_path / "same.lic"
    same.write_bytes(sandbox.server.state.installed_bytes or b"")
    sandbox.state.installed_invalid_reason = messages.CLOCK_LAG  # a clock or hardware change
    run = new_run(tmp_path, sandbox, "install", page)
    result = install_license(page, run, target_for(sandbox), same)
    assert result.outcome == "installed"
    assert len(sandbox.state.uploads) == 1
    assert "shown as invalid" in run.record.checks[-1].detail
    assert run.record.license_after is not None and run.record.license_after.valid


def test_dry_run_checks_everything_and_uploads_nothing(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    run = new_run(tmp_path, sandbox, "install", page)
    result = install_license(page, run, target_for(sandbox), new_license, dry_run=True)
    assert result.outcome == "dry-run"
    assert sandbox.server.state.uploads == []
    assert run.record.backup is not None
    assert [c.name for c in run.record.checks] == [
        "backup",
        "serial",
        "end date",
        "earlier end",
        "already installed",
    ]


def test_a_change_not_approved_uploads_nothing(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    asked = []

    def refuse(proposal: Proposal) -> ApprovalRecord:
        asked.append((proposal.installed, proposal.new))
        return ApprovalRecord(
            how="typed the serial number's last group",
            approved=False,
            by=Actor(os_user="operator"),
            at=datetime.now(UTC),
            last_group_typed=False,
        )

    run = new_run(tmp_path, sandbox, "install", page)
    with pytest.raises(Aborted, match="not approved"):
        install_license(page, run, target_for(sandbox), new_license, approve=refuse)
    assert len(asked) == 1 and asked[0][1].name == new_license.name
    assert sandbox.server.state.uploads == []
    assert run.record.approval is not None and not run.record.approval.approved


def test_tampered_file_is_rejected_by_service_center_and_nothing_changes(
    page: Page, sandbox: Sandbox, write_license: Callable[..., Path], tmp_path: Path
) -> None:
    old_bytes = sandbox.server.state.installed_bytes
    tampered = write_license(sandbox.serial)
    tampered.write_bytes(tampered.read_bytes().replace(b"Production", b"Productiom"))
    run = new_run(tmp_path, sandbox, "install", page)
    with pytest.raises(LicenseRejected, match="No license was found for this server"):
        install_license(page, run, target_for(sandbox), tampered)
    assert sandbox.server.state.installed_bytes == old_bytes
    assert [s.name for s in run.record.steps][-2:] == [
        "Upload the new license file",
        "Read what is installed now",
    ]


def test_license_shown_invalid_after_upload_is_rolled_back(
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(invalid_after_uploads=1)
    old_bytes = sandbox.server.state.installed_bytes
    new = write_license(sandbox.serial)
    run = new_run(tmp_path, sandbox, "install", page)
    with pytest.raises(RolledBack, match="clock of your Platform Server"):
        install_license(page, run, target_for(sandbox), new)

    assert sandbox.server.state.installed_bytes == old_bytes
    assert [u.accepted for u in sandbox.server.state.uploads] == [True, True]
    assert run.record.steps[-1].name == "Roll back: Verify the previous license is back"
    assert run.record.steps[-1].status == "passed"
    assert run.record.license_after == run.record.license_before


def test_failed_rollback_names_the_backup_to_restore(
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(invalid_after_uploads=2)
    new = write_license(sandbox.serial)
    run = new_run(tmp_path, sandbox, "install", page)
    with pytest.raises(RollbackFailed) as failed:
        install_license(page, run, target_for(sandbox), new)
    backup = run.folder / run.record.backup.file  # type: ignore[union-attr]
    [(_, status), (_, restore)] = failed.value.commands
    assert restore.startswith(f"sc-license restore --url {sandbox.url} --user admin --env-name")
    assert restore.endswith(f"--from {backup.resolve()}")
    assert status.startswith(f"sc-license status --url {sandbox.url}")
    assert failed.value.exit_code == 6


def test_wrong_password_fails_at_sign_in_with_a_screenshot(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    run = new_run(tmp_path, sandbox, "status", page)
    with pytest.raises(SignInFailed):
        license_status(page, run, target_for(sandbox, password="wrong-" + sandbox.password))
    failed = run.record.steps[-1]
    assert (failed.name, failed.status) == ("Sign in", "failed")
    assert (run.folder / str(failed.screenshot)).exists()


def test_backup_flow_saves_the_installed_license(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    run = new_run(tmp_path, sandbox, "backup", page)
    result = backup_license(page, run, target_for(sandbox))
    assert result.outcome == "backed-up"
    assert run.record.backup is not None
    saved = run.folder / run.record.backup.file
    assert saved.read_bytes() == sandbox.server.state.installed_bytes
