"""A run that never ended (killed, crashed, a power cut) is not taken for one still under
way: `audit verify` and `audit list` say it was cut off and after which step, and so does the
next run on its environment. A run that is under way still verifies."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from automation.evidence.liveness import cut_off
from automation.evidence.records import RunProcess, RunRecord, StepRecord
from automation.sandbox.holds import wait_until_held
from tests.support.cli import start_cli, start_install
from tests.support.fixture_types import RunCli
from tests.support.platforms import POSIX_SIGNALS
from tests.support.sandboxes import Sandbox


@POSIX_SIGNALS
def test_an_install_killed_after_its_upload_is_reported_cut_off_by_verify_list_and_the_next_run(
    sandbox: Sandbox, new_license: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    slow_after_upload(sandbox)
    install = ["install", "--url", sandbox.url, "--user", "admin", "--license", str(new_license)]
    killed = start_cli(install, tmp_path, {"SC_LICENSE_PASSWORD": sandbox.password})
    wait_until(lambda: bool(sandbox.state.uploads))
    os.killpg(killed.pid, signal.SIGKILL)  # no clean-up at all, as after a power cut
    killed.wait()
    sandbox.state.faults.delay_ms = 0
    [folder] = [p.parent for p in (tmp_path / "recordings").glob("*/run.json")]
    record = json.loads((folder / "run.json").read_text())
    assert record["outcome"] == "running"
    last = record["steps"][-1]
    cut_off = (
        f"cut off after step {last['number']} ({last['name']}); the license may have changed; "
        "check with `sc-license status`"
    )

    verified = run_cli(["audit", "verify"])
    assert verified.exit_code == 7
    assert f"{folder.name}: {cut_off}" in said(verified.stderr)
    listed = run_cli(["audit", "list"])
    assert "cut off" in listed.stdout and cut_off in said(listed.stderr)
    [row] = json.loads(run_cli(["audit", "list", "--json"]).stdout)
    assert cut_off in row["cut_off"]

    reserves = tmp_path / "recordings" / ".reserve"
    assert [p.name for p in reserves.iterdir()] == [folder.name]  # the killed run's space
    next_run = run_cli(install, password=sandbox.password)
    assert next_run.exit_code == 0, next_run.stderr
    assert f"{folder.name}, was {cut_off}" in said(next_run.stderr)
    assert list(reserves.iterdir()) == []  # given back by the next run
    assert [w for w in newest_record(tmp_path)["warnings"] if cut_off in w]
    assert run_cli(install, password=sandbox.password).exit_code == 0
    assert newest_record(tmp_path)["warnings"] == []  # said once, by the next run
    assert run_cli(["audit", "verify"]).exit_code == 7  # it was never sealed, and stays so


def test_a_run_under_way_verifies(
    sandbox: Sandbox, new_license: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    form = sandbox.state.faults.hold("LicenseUpload.aspx")  # the run waits there meanwhile
    under_way = start_install(sandbox, new_license, tmp_path)
    wait_until_held([form], 1)
    verified = run_cli(["audit", "verify"])
    assert newest_record(tmp_path)["outcome"] == "running"
    assert verified.exit_code == 0, verified.stderr
    assert "1 still under way" in verified.stdout
    form.release()
    assert under_way.wait(timeout=120) == 0
    assert run_cli(["audit", "verify"]).exit_code == 0


MESSAGES = {
    "an-install": ("install", 2, "after step 2 (Sign in); the license may have changed"),
    "a-restore": ("restore", 2, "after step 2 (Sign in); the license may have changed"),
    "a-status-run": ("status", 2, "after step 2 (Sign in); a status run changes nothing"),
    "a-backup-run": ("backup", 2, "after step 2 (Sign in); a backup run changes nothing"),
    "before-any-step": ("install", 0, "cut off before its first step; the license may have"),
}


@pytest.mark.parametrize(("flow", "steps", "words"), MESSAGES.values(), ids=MESSAGES.keys())
def test_a_cut_off_run_says_where_it_stopped_and_whether_the_license_may_have_changed(
    flow: str, steps: int, words: str
) -> None:
    now = datetime.now(UTC)
    record = RunRecord(
        flow=flow,
        environment="prod",
        url="https://prod.example.com/ServiceCenter",
        user="admin",
        operator="me",
        started_at=now,
        process=RunProcess(pid=1, host="here", started_at=now),
        steps=[
            StepRecord(number=n, name=name, status="passed", started_at=now, duration_ms=1)
            for n, name in enumerate(["Open Service Center", "Sign in"][:steps], start=1)
        ],
    )
    assert words in cut_off(record)
    assert "process 1 on here" in cut_off(record)


def slow_after_upload(sandbox: Sandbox) -> None:
    """Every page after the upload answers 4 s late: the run is killed in between."""
    upload = sandbox.state.upload

    def upload_then_slow_down(filename: str, data: bytes) -> Any:
        attempt = upload(filename, data)
        sandbox.state.faults.delay_ms = 4_000
        return attempt

    sandbox.state.upload = upload_then_slow_down  # type: ignore[method-assign]


def newest_record(cwd: Path) -> dict[str, Any]:
    folders = sorted(p.parent for p in (cwd / "recordings").glob("*/run.json"))
    if not folders:
        return {}
    try:
        record: dict[str, Any] = json.loads((folders[-1] / "run.json").read_text())
    except ValueError:
        return {}
    return record


def wait_until(condition: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def said(text: str) -> str:
    return " ".join(text.split())
