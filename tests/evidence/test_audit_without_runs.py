"""The audit commands where there is nothing to audit, or it cannot be read: one line saying
so, what to do, and an exit code from the table; never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from automation.errors import ExitCode
from tests.support.fixture_types import RunCli

EVERY_AUDIT = [
    ["audit", "list"],
    ["audit", "list", "--json"],
    ["audit", "verify"],
    ["audit", "verify", "--json"],
    ["audit", "report", "some-run"],
    ["audit", "review", "some-run", "--verdict", "accepted"],
]


@pytest.mark.parametrize("command", EVERY_AUDIT, ids=" ".join)
def test_no_recordings_folder_is_a_message_and_exit_2(run_cli: RunCli, command: list[str]) -> None:
    done = run_cli(command)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "recordings" in done.stderr
    assert "What to do:" in done.stderr or "not a run folder" in done.stderr


@pytest.mark.parametrize("command", [["audit", "list"], ["audit", "verify"]], ids=" ".join)
def test_a_file_given_as_out_is_a_message_and_exit_2(
    run_cli: RunCli, tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "notes.txt").write_text("not evidence")
    done = run_cli([*command, "--out", "notes.txt"])
    assert "Traceback" not in done.stdout + done.stderr
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "notes.txt" in done.stderr
    assert "What to do: Give --out the folder the runs were recorded in" in done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_recordings_folder_is_a_message_and_exit_2(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "recordings").mkdir(mode=0)
    try:
        done = run_cli(["audit", "list"])
    finally:
        (tmp_path / "recordings").chmod(0o700)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.exit_code == ExitCode.BAD_INPUT
    assert "cannot be read" in done.stderr


def test_audit_list_of_an_empty_recordings_folder_says_how_to_get_runs(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "recordings").mkdir()
    done = run_cli(["audit", "list"])
    assert done.exit_code == ExitCode.OK
    assert "Runs in" not in done.stdout  # no empty table
    said = " ".join(done.stderr.split())
    assert f"No runs in recordings{os.sep} — run `sc-license demo`, or give --out." in said
    listed = run_cli(["audit", "list", "--json"])
    assert listed.exit_code == ExitCode.OK
    assert json.loads(listed.stdout) == []


def test_audit_verify_of_an_empty_recordings_folder_verifies_nothing_and_says_so(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "recordings").mkdir()
    done = run_cli(["audit", "verify"])
    assert done.exit_code == ExitCode.OK
    assert "0 run(s) verified" in done.stdout
    assert "No runs in recordings" in done.stderr
