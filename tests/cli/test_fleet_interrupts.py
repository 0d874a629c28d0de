"""Ctrl-C to a fleet during its uploads: each change under way is seen through and recorded as
it ended, as a single run's is; the environments not started say so."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from automation.errors import ExitCode
from automation.sandbox.holds import UPLOAD_PROCESSING, wait_until_held
from automation.sandbox.licenses import issue_license, render_license
from tests.cli.test_fleet import by_name, start_fleet_install, wait_for_runs
from tests.support.cli import SIGNAL_HANDLED_S
from tests.support.fixture_types import StartSandbox
from tests.support.platforms import POSIX_SIGNALS

pytestmark = POSIX_SIGNALS

RAW_PLAYWRIGHT = ("TargetClosedError", "Target page", "Locator.", "Page.goto")


def ctrl_c(process: subprocess.Popen[str]) -> None:
    os.killpg(process.pid, signal.SIGINT)  # a terminal's: the browsers' driver gets it too


def sigterm(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)  # a service manager's


STOPS: dict[str, Callable[[subprocess.Popen[str]], None]] = {"ctrl-c": ctrl_c, "sigterm": sigterm}


@pytest.mark.parametrize("how", STOPS)
def test_a_fleet_stopped_during_its_uploads_sees_each_change_through(
    how: str, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandboxes = {f"env{i}": start_sandbox() for i in range(3)}
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    holds = []
    for name, sandbox in sandboxes.items():
        holds.append(sandbox.state.faults.hold(UPLOAD_PROCESSING))
        (licenses / f"{name}.lic").write_bytes(render_license(issue_license(sandbox.serial)))
    process = start_fleet_install(tmp_path, sandboxes, licenses)
    wait_until_held(holds, 2)  # two uploads are posted and being processed
    uploading = wait_for_runs(tmp_path, 2, "Choose the new license file")
    STOPS[how](process)
    time.sleep(SIGNAL_HANDLED_S)
    for hold in holds:
        hold.release()
    stdout, stderr = process.communicate(timeout=120)

    assert process.returncode == ExitCode.INTERRUPTED, stderr
    summary = json.loads(stdout)
    entries = by_name(summary)
    started = {json.loads(run.read_text())["environment"]: run for run in uploading}
    for name, sandbox in sandboxes.items():
        entry = entries[name]
        if name in started:
            assert entry["outcome"] == "installed", entry
            assert "interrupt" in entry["message"], entry
            record = json.loads(started[name].read_text())  # read again, now it has ended
            assert record["steps"][-1]["name"] == "Verify the new license is installed"
            assert record["steps"][-1]["status"] == "passed"
            assert sandbox.state.installed_bytes == (licenses / f"{name}.lic").read_bytes()
            assert sandbox.state.banner().kind == "valid"
        else:
            assert entry["outcome"] == "not-started", entry
            assert sandbox.state.uploads == []
    assert summary["message"].startswith("2 of 3 environments done"), summary["message"]
    said = stdout + stderr
    for raw in RAW_PLAYWRIGHT:
        assert raw not in said
