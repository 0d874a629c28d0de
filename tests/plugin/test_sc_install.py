"""`sc_install` in a team's own test: refused unless the run allows changes, and otherwise an
install as `sc-license install` makes it, with its backup, run folder and audit log line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.fixture_types import RunCli
from tests.support.sandboxes import Sandbox

RENEWAL = """
import os


def test_renewal(sc_install):
    result = sc_install(os.environ["NEW_LICENSE"])
    assert result.ok, result
    assert result.outcome == "installed", result
"""


@pytest.fixture
def renewal(
    pytester: pytest.Pytester, sandbox: Sandbox, new_license: Path, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """A test installing `new_license` on the sandbox; the pytest arguments to run it."""
    pytester.makepyfile(test_renewal=RENEWAL)
    monkeypatch.setenv("NEW_LICENSE", str(new_license))
    monkeypatch.setenv("SC_LICENSE_PASSWORD", sandbox.password)
    return ["--sc-url", sandbox.url, "--sc-user", sandbox.user, "--sc-out", "runs"]


def test_sc_install_is_refused_unless_the_run_allows_changes(
    pytester: pytest.Pytester, sandbox: Sandbox, renewal: list[str]
) -> None:
    before = sandbox.state.installed_bytes

    run = pytester.runpytest_subprocess(*renewal)

    run.assert_outcomes(failed=1)
    said = run.stdout.str()
    assert "this run does not allow changes. Nothing was done." in said
    assert "What to do: give --sc-allow-changes" in said
    assert sandbox.state.installed_bytes == before
    assert not (pytester.path / "runs").exists()


def test_sc_install_with_allow_changes_installs_and_records_the_change(
    pytester: pytest.Pytester,
    sandbox: Sandbox,
    new_license: Path,
    renewal: list[str],
    run_cli: RunCli,
) -> None:
    before = sandbox.state.installed_bytes

    run = pytester.runpytest_subprocess(*renewal, "--sc-allow-changes")

    run.assert_outcomes(passed=1)
    assert sandbox.state.installed_bytes == new_license.read_bytes()
    runs = pytester.path / "runs"
    [folder] = (record.parent for record in runs.glob("*/run.json"))
    record = json.loads((folder / "run.json").read_text())
    assert record["outcome"] == "installed"
    assert (folder / record["backup"]["file"]).read_bytes() == before
    last = json.loads((runs / "audit-log.jsonl").read_text().splitlines()[-1])
    assert (last["run"], last["outcome"]) == (folder.name, "installed")
    assert last["approval"] == "--sc-allow-changes, in a pytest run"
    assert last["reason"].startswith("pytest test_renewal.py::test_renewal[")  # the test's id
    assert run_cli(["audit", "verify", "--out", str(runs)]).exit_code == 0
