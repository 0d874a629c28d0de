"""The flows end to end against the sandbox: what they change and the evidence they leave."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pydantic import SecretStr

from automation.config import Target
from automation.errors import LicenseRejected, SignInFailed, VerificationFailed
from automation.evidence import Run
from automation.licenses import read_license_file, sha256_of
from automation.sandbox.licenses import random_serial
from flows.backup_license import backup_license
from flows.install_license import install_license
from flows.license_status import license_status
from tests.conftest import Sandbox

INSTALL_STEPS = [
    "Open Service Center",
    "Sign in",
    "Click the Administration tab",
    "Open the Licensing submenu",
    "Back up the installed license",
    "Click Upload New License",
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


def new_run(tmp_path: Path, sandbox: Sandbox, flow: str) -> Run:
    return Run.create(
        tmp_path / "recordings",
        flow=flow,
        environment="sandbox",
        url=sandbox.url,
        user=sandbox.user,
    )


def run_json(run: Run) -> dict:  # type: ignore[type-arg]
    return json.loads((run.folder / "run.json").read_text())


def test_install_changes_the_license_and_leaves_evidence_of_every_step(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    old_bytes = sandbox.server.state.installed_bytes
    run = new_run(tmp_path, sandbox, "install")
    result = install_license(
        page, run, target_for(sandbox), new_license, read_license_file(new_license)
    )
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
    run = new_run(tmp_path, sandbox, "install")
    install_license(page, run, target_for(sandbox), new_license, read_license_file(new_license))
    for file in run.folder.iterdir():
        assert sandbox.password.encode() not in file.read_bytes(), file.name


def test_license_for_another_serial_is_rejected_with_the_backup_kept(
    page: Page, sandbox: Sandbox, write_license: Callable[..., Path], tmp_path: Path
) -> None:
    old_bytes = sandbox.server.state.installed_bytes
    other = random_serial()
    wrong = write_license(other)
    run = new_run(tmp_path, sandbox, "install")
    with pytest.raises(LicenseRejected, match=f"issued to a server with serial number '{other}'"):
        install_license(page, run, target_for(sandbox), wrong, read_license_file(wrong))
    run.fail(LicenseRejected("rejected"), "rejected")

    assert sandbox.server.state.installed_bytes == old_bytes
    record = run_json(run)
    assert record["steps"][-1]["name"] == "Upload the new license file"
    assert record["steps"][-1]["status"] == "failed"
    assert (run.folder / record["steps"][-1]["screenshot"]).exists()
    assert (run.folder / record["backup"]["file"]).read_bytes() == old_bytes


def test_license_that_installs_but_shows_invalid_fails_verification(
    page: Page, sandbox: Sandbox, write_license: Callable[..., Path], tmp_path: Path
) -> None:
    sandbox.server.state.banner_override = (
        "Your license is invalid because the clock of your Platform Server has (or had) a time "
        "lag for the right date and time."
    )
    new = write_license(sandbox.serial)
    run = new_run(tmp_path, sandbox, "install")
    with pytest.raises(VerificationFailed, match="clock of your Platform Server") as failed:
        install_license(page, run, target_for(sandbox), new, read_license_file(new))
    assert str(run.folder / run.record.backup.file) in failed.value.hint  # type: ignore[union-attr]


def test_wrong_password_fails_at_sign_in_with_a_screenshot(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    run = new_run(tmp_path, sandbox, "status")
    with pytest.raises(SignInFailed):
        license_status(page, run, target_for(sandbox, password="wrong-" + sandbox.password))
    failed = run.record.steps[-1]
    assert (failed.name, failed.status) == ("Sign in", "failed")
    assert (run.folder / str(failed.screenshot)).exists()


def test_backup_flow_saves_the_installed_license(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    run = new_run(tmp_path, sandbox, "backup")
    result = backup_license(page, run, target_for(sandbox))
    assert result.outcome == "backed-up"
    assert run.record.backup is not None
    saved = run.folder / run.record.backup.file
    assert saved.read_bytes() == sandbox.server.state.installed_bytes
