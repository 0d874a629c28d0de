"""The install flow when the file is the license installed already, and the helpers the flow
tests share. What a user sees of the other outcomes (refusals, rejections, dry runs,
rollbacks) is tested once each through the CLI (tests/cli), and the checks behind them as
tables (test_preflight_table.py, test_earlier_end.py)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page
from pydantic import SecretStr

from automation.config import EvidenceOptions, Target
from automation.evidence.run import Run
from automation.sandbox import messages
from flows.install_license import install_license
from tests.support.sandboxes import Sandbox


def target_for(sandbox: Sandbox) -> Target:
    return Target(
        name="sandbox", url=sandbox.url, user=sandbox.user, password=SecretStr(sandbox.password)
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
