"""A fleet's environments share browsers: several at a time in each, every one in a context of
its own, so a fleet waiting on slow servers overlaps their waits."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from automation import fleet
from automation.cli.options import DEFAULT_PARALLEL
from tests.cli.test_fleet import inventory
from tests.support.fixture_types import StartSandbox
from tests.support.in_process import invoke


def test_environments_sharing_one_browser_are_under_way_at_the_same_time(
    start_sandbox: StartSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fleet, "BROWSERS", 1)  # as on a one-core machine
    sandboxes = {f"env{i}": start_sandbox() for i in range(3)}
    for sandbox in sandboxes.values():
        sandbox.server.state.faults.delay_ms = 300  # a remote server: each page takes a while
    path, passwords = inventory(tmp_path, sandboxes)
    for variable, password in passwords.items():
        monkeypatch.setenv(variable, password)
    monkeypatch.chdir(tmp_path)

    said = invoke(["status", "--all", "--parallel", "3", "--inventory", str(path), "--json"])

    assert said.exit_code == 0, said.text
    summary = json.loads(said.stdout)
    assert [entry["exit_code"] for entry in summary["fleet"]] == [0, 0, 0]
    runs = [
        json.loads((tmp_path / "recordings" / entry["run_folder"] / "run.json").read_text())
        for entry in summary["fleet"]
    ]
    started = [datetime.fromisoformat(run["started_at"]) for run in runs]
    ended = [datetime.fromisoformat(run["finished_at"]) for run in runs]
    assert max(started) < min(ended)  # each was under way while every other was
    assert all(len(run["steps"]) >= 3 and run["steps"][-1]["screenshot"] for run in runs)


def test_a_fleet_smaller_than_parallel_runs_every_environment_once(
    start_sandbox: StartSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandboxes = {f"env{i}": start_sandbox() for i in range(2)}
    path, passwords = inventory(tmp_path, sandboxes)
    for variable, password in passwords.items():
        monkeypatch.setenv(variable, password)
    monkeypatch.chdir(tmp_path)

    said = invoke(["status", "--all", "--parallel", "16", "--inventory", str(path), "--json"])

    assert said.exit_code == 0, said.text
    summary = json.loads(said.stdout)
    assert sorted(entry["environment"] for entry in summary["fleet"]) == ["env0", "env1"]
    assert summary["workers"] == 2  # environments at a time: no more than there are
    assert len(list((tmp_path / "recordings").glob("*-env*-status"))) == 2


def test_help_gives_the_default_parallel_and_how_browsers_are_shared() -> None:
    said = invoke(["install", "--help"])

    assert f"[default: {DEFAULT_PARALLEL}]" in said.text
    assert "Environments at a time, sharing a browser per core" in said.text
