"""Inventory runs in CI: a shard may hold no environment, and every inventory run prints one
JSON shape (the fleet's), however many environments it holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.inventory import Environment, shard
from tests.cli.test_fleet import inventory
from tests.support.fixture_types import RunCli, StartSandbox

NAMES = ["dev", "test", "prod"]


def empty_shard() -> str:
    """A shard of 4 that holds none of NAMES (slices depend on the names only)."""
    environments = [Environment(name=n, url=f"http://{n}/ServiceCenter") for n in NAMES]
    return next(f"{i}/4" for i in range(1, 5) if not shard(environments, f"{i}/4"))


def test_an_empty_shard_has_nothing_to_do_and_says_so(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    path, passwords = inventory(tmp_path, {name: start_sandbox() for name in NAMES})
    spec = empty_shard()

    shown = run_cli(["status", "--all", "--inventory", str(path), "--shard", spec], env=passwords)
    as_json = run_cli(
        ["status", "--all", "--inventory", str(path), "--shard", spec, "--json"], env=passwords
    )

    assert shown.exit_code == 0, shown.stderr
    note = f"shard {spec} holds no environment of the 3 selected; nothing to do"
    assert note in " ".join((shown.stdout + shown.stderr).split())
    assert as_json.exit_code == 0, as_json.stderr
    summary = json.loads(as_json.stdout)
    assert (summary["fleet"], summary["exit_code"]) == ([], 0)
    assert summary["headline"]["text"] == "Nothing to do: no environment"
    report = (tmp_path / summary["run_folder"] / "report.html").read_text()
    assert "<title>status on fleet — Nothing to do: no environment</title>" in report


@pytest.mark.parametrize(
    "selection",
    [["--env", "prod"], ["--group", "production"], ["--env", "prod", "--shard", "1/1"], ["--all"]],
    ids=["one-by-env", "one-by-group", "one-by-shard", "three-by-all"],
)
def test_every_inventory_run_prints_the_fleet_shape(
    selection: list[str], start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    path, passwords = inventory(tmp_path, {name: start_sandbox() for name in NAMES})
    blocks = path.read_text().split("[[environment]]")
    path.write_text(
        "[[environment]]".join(
            b.replace('"all-of-them"]', '"all-of-them", "production"]') if '"prod"' in b else b
            for b in blocks
        )
    )

    done = run_cli(["status", *selection, "--inventory", str(path), "--json"], env=passwords)

    assert done.exit_code == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["environment"] == "fleet"
    expected = NAMES if selection == ["--all"] else ["prod"]
    assert [entry["environment"] for entry in summary["fleet"]] == expected
    assert all("days_left" in entry for entry in summary["fleet"])
