"""Ctrl-C and SIGTERM once the upload has begun: the change is seen through, or the run ends
saying exactly what to check and how to restore. Never an invalid license and no word."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from automation.errors import ExitCode
from automation.sandbox.holds import UPLOAD_PROCESSING, Hold, wait_until_held
from tests.support.cli import SIGNAL_HANDLED_S, run_folders, start_install
from tests.support.platforms import POSIX_SIGNALS
from tests.support.sandboxes import Sandbox

pytestmark = POSIX_SIGNALS


def interrupt_after(
    process: subprocess.Popen[str], step: str, how: str, held: Hold | None = None
) -> str:
    """Wait for `step` to end, then interrupt as a terminal (the whole group) or a service
    manager (SIGTERM to the process) would; the rest of stderr. With `held`, the interrupt
    comes once a request waits in that hold, which is then released."""
    assert process.stderr is not None
    seen = ""
    for line in process.stderr:
        seen += line
        if step in line:
            break
    if held is not None:
        wait_until_held([held], 1)
    else:
        time.sleep(1)  # into the next step, which the slow server holds for a while
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGTERM)
    if held is not None:
        time.sleep(SIGNAL_HANDLED_S)
        held.release()
    _, rest = process.communicate(timeout=120)
    return " ".join((seen + rest).split())


def newest(cwd: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((run_folders(cwd)[-1] / "run.json").read_text())
    return record


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupt_during_the_upload_lets_the_new_license_in_and_verified_then_stops(
    how: str, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    # Service Center takes its time with the file: until the run has been interrupted.
    processing = sandbox.state.faults.hold(UPLOAD_PROCESSING)
    process = start_install(sandbox, new_license, tmp_path, output=True)
    said = interrupt_after(process, "Click Upload New License", how, processing)

    assert process.returncode == ExitCode.INTERRUPTED, said
    assert "it is finished first" in said
    assert "Act now" not in said
    record = newest(tmp_path)
    assert record["outcome"] == "installed"
    assert record["exit_code"] == ExitCode.INTERRUPTED
    assert "seen through" in record["message"]
    assert record["steps"][-1]["name"] == "Verify the new license is installed"
    assert sandbox.state.installed_bytes == new_license.read_bytes()
    assert sandbox.state.banner().kind == "valid"


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupt_during_the_rollback_finishes_the_rollback(
    how: str, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    original = sandbox.state.installed_bytes
    sandbox.state.invalid_after_uploads = 1  # the new license shows as invalid: roll back
    sandbox.state.faults.delay_upload_ms = 2000
    process = start_install(sandbox, new_license, tmp_path, output=True)
    said = interrupt_after(process, "Read what is installed now", how)

    assert process.returncode == ExitCode.NOT_INSTALLED, said
    record = newest(tmp_path)
    assert record["outcome"] == "rolled-back"
    assert sandbox.state.installed_bytes == original
    assert sandbox.state.banner().kind == "valid"


def test_a_third_ctrl_c_during_the_change_stops_at_once_as_act_now_with_the_commands(
    sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    processing = sandbox.state.faults.hold(UPLOAD_PROCESSING)
    process = start_install(sandbox, new_license, tmp_path, output=True)
    assert process.stderr is not None
    seen = ""
    for line in process.stderr:
        seen += line
        if "Click Upload New License" in line:
            break
    wait_until_held([processing], 1)
    for _ in "123":
        os.killpg(process.pid, signal.SIGINT)
        time.sleep(SIGNAL_HANDLED_S)
    _, rest = process.communicate(timeout=120)  # without the upload's answer
    processing.release()
    said = " ".join((seen + rest).split())

    assert process.returncode == ExitCode.ROLLBACK_FAILED, said
    assert "the license was not verified" in said
    assert "sc-license status --url" in said
    assert "sc-license restore --url" in said and "--env-name" in said
    record = newest(tmp_path)
    assert record["exit_code"] == ExitCode.ROLLBACK_FAILED
    backup = run_folders(tmp_path)[-1] / record["backup"]["file"]
    assert str(backup) in said
