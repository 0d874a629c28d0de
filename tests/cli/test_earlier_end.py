"""A new license that ends earlier than the installed one is refused before any change, unless
the operator says it is meant (--allow-earlier-end); either way both dates are on record. A
later end passing, and every other case, is a table in tests/flows/test_earlier_end.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from automation.errors import ExitCode
from automation.sandbox.licenses import issue_license, render_license
from tests.cli.test_fleet import by_name, fleet, inventory
from tests.support.cli import run_folders
from tests.support.fixture_types import RunCli, StartSandbox
from tests.support.sandboxes import Sandbox


def install(run_cli: RunCli, sandbox: Sandbox, license_path: Path, *extra: str) -> Any:
    target = ["--url", sandbox.url, "--user", "admin", "--license", str(license_path)]
    return run_cli(["install", *target, *extra], password=sandbox.password)


def earlier_end_check(folder: Path) -> dict[str, Any]:
    record = json.loads((folder / "run.json").read_text())
    check: dict[str, Any] = next(c for c in record["checks"] if c["name"] == "earlier end")
    return check


def test_a_license_ending_earlier_than_the_installed_one_is_refused_before_upload(
    sandbox: Sandbox, write_license: Callable[..., Path], run_cli: RunCli, tmp_path: Path
) -> None:
    installed = sandbox.state.installed_bytes
    installed_end = sandbox.installed.end_date  # type: ignore[union-attr]
    earlier = installed_end - timedelta(days=100)  # type: ignore[operator]
    done = install(run_cli, sandbox, write_license(sandbox.serial, end_date=earlier))

    assert done.exit_code == ExitCode.REFUSED, done.stderr
    said = " ".join(done.stderr.split())
    assert f"ends on {earlier}" in said and str(installed_end) in said
    assert "--allow-earlier-end" in said
    assert sandbox.state.uploads == []
    assert sandbox.state.installed_bytes == installed
    check = earlier_end_check(run_folders(tmp_path)[-1])
    assert not check["passed"]
    assert str(earlier) in check["detail"] and str(installed_end) in check["detail"]


def test_allow_earlier_end_installs_it_and_records_both_dates(
    sandbox: Sandbox, write_license: Callable[..., Path], run_cli: RunCli, tmp_path: Path
) -> None:
    installed_end = sandbox.installed.end_date  # type: ignore[union-attr]
    earlier = installed_end - timedelta(days=100)  # type: ignore[operator]
    new = write_license(sandbox.serial, end_date=earlier)
    done = install(run_cli, sandbox, new, "--allow-earlier-end")

    assert done.exit_code == ExitCode.OK, done.stderr
    assert sandbox.state.installed_bytes == new.read_bytes()
    check = earlier_end_check(run_folders(tmp_path)[-1])
    assert check["passed"]
    assert str(earlier) in check["detail"] and str(installed_end) in check["detail"]
    assert "--allow-earlier-end" in check["detail"]


def test_a_fleet_install_refuses_earlier_ends_unless_allowed(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {"env0": start_sandbox(), "env1": start_sandbox()}
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    soon = date.today() + timedelta(days=90)
    for name, sandbox in sandboxes.items():
        issued = issue_license(sandbox.serial, end_date=soon)
        (licenses / f"{name}.lic").write_bytes(render_license(issued))
    path, passwords = inventory(tmp_path, sandboxes)
    command = ("install", "--all", "--licenses", str(licenses))

    refused, summary = fleet(run_cli, path, passwords, *command)
    assert refused.exit_code == ExitCode.REFUSED, refused.stderr
    assert {e["outcome"] for e in by_name(summary).values()} == {"refused"}
    assert all(s.state.uploads == [] for s in sandboxes.values())

    allowed, summary = fleet(run_cli, path, passwords, *command, "--allow-earlier-end")
    assert allowed.exit_code == ExitCode.OK, allowed.stderr
    assert {e["outcome"] for e in by_name(summary).values()} == {"installed"}
