"""Many environments from an inventory: fleet installs, rollbacks, backups, status, shards."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from automation.browser.debugging import local_browser
from automation.config import LaunchOptions
from automation.inventory import Environment, password_variable, shard
from automation.sandbox.holds import wait_until_held
from automation.sandbox.licenses import issue_license, random_serial, render_license
from tests.support.cli import SIGNAL_HANDLED_S, CliResult, start_cli
from tests.support.fixture_types import RunCli, StartSandbox
from tests.support.platforms import POSIX_SHELL, POSIX_SIGNALS
from tests.support.sandboxes import Sandbox


def inventory(folder: Path, sandboxes: dict[str, Sandbox]) -> tuple[Path, dict[str, str]]:
    """environments.toml for these sandboxes, and the password variables it names."""
    lines = []
    passwords = {}
    for name, sandbox in sandboxes.items():
        lines += [
            "[[environment]]",
            f'name = "{name}"',
            f'url = "{sandbox.url}"',
            'user = "admin"',
            'groups = ["all-of-them"]',
            "",
        ]
        passwords[password_variable(name)] = sandbox.password
    path = folder / "environments.toml"
    path.write_text("\n".join(lines))
    return path, passwords


def fleet(
    run_cli: RunCli, path: Path, passwords: dict[str, str], *args: str
) -> tuple[CliResult, dict[str, Any]]:
    done = run_cli([*args, "--inventory", str(path), "--json"], env=passwords)
    return done, json.loads(done.stdout) if done.stdout.startswith("{") else {}


def by_name(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["environment"]: entry for entry in summary["fleet"]}


def test_a_fleet_install_matches_files_by_serial_and_rolls_back_the_one_that_fails(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {f"env{i}": start_sandbox() for i in range(5)}
    sandboxes["flaky"] = start_sandbox(invalid_after_uploads=1)
    originals = {name: s.server.state.installed_bytes for name, s in sandboxes.items()}
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    for index, (name, sandbox) in enumerate(sandboxes.items()):
        if name != "env4":  # env4 gets no file: left as it is
            (licenses / f"file-{index}.lic").write_bytes(
                render_license(issue_license(sandbox.serial))
            )
    stray = random_serial()
    (licenses / "for-nobody.lic").write_bytes(render_license(issue_license(stray)))
    path, passwords = inventory(tmp_path, sandboxes)

    done, summary = fleet(
        run_cli, path, passwords, "install", "--licenses", str(licenses), "--all", "--parallel", "3"
    )

    entries = by_name(summary)
    assert done.exit_code == 4, done.stderr  # the most severe: a rollback
    for name in ("env0", "env1", "env2", "env3"):
        assert entries[name]["outcome"] == "installed"
        assert sandboxes[name].server.state.installed_bytes != originals[name]
    assert entries["env4"]["outcome"] == "no-license-file"
    assert sandboxes["env4"].server.state.installed_bytes == originals["env4"]
    assert sandboxes["env4"].server.state.uploads == []
    assert entries["flaky"]["outcome"] == "rolled-back"
    assert sandboxes["flaky"].server.state.installed_bytes == originals["flaky"]
    assert any(stray in warning for warning in summary["warnings"])
    recordings = tmp_path / "recordings"
    for entry in summary["fleet"]:
        assert (recordings / entry["run_folder"] / "run.json").is_file()
    summary_folder = next(recordings.glob("*-fleet-install"))
    assert tmp_path / summary["run_folder"] == summary_folder  # as a single run's, from its folder
    report = (summary_folder / "report.html").read_text()
    assert all(f"../{e['run_folder']}/report.html" in report for e in summary["fleet"])


# Ctrl-C reaches the browsers too; a script's background job starts with it ignored, yet its
# browsers still die of it.
INTERRUPTS = ["ctrl-c", "ctrl-c-to-a-background-job", "sigterm"]


@POSIX_SIGNALS
@pytest.mark.parametrize("how", INTERRUPTS)
def test_an_interrupted_fleet_stops_each_environment_where_it_is_and_changes_nothing(
    how: str, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandboxes = {f"env{i}": start_sandbox() for i in range(3)}
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    holds = []
    for name, sandbox in sandboxes.items():
        holds.append(sandbox.server.state.faults.hold("LicenseUpload.aspx"))
        (licenses / f"{name}.lic").write_bytes(render_license(issue_license(sandbox.serial)))
    background = how == "ctrl-c-to-a-background-job"
    process = start_fleet_install(tmp_path, sandboxes, licenses, ctrl_c_ignored=background)
    wait_until_held(holds, 2)  # both runs under way wait for the upload form
    backed_up = wait_for_runs(tmp_path, 2, '"backup": {')
    if how.startswith("ctrl-c"):  # a terminal sends it to the whole process group
        os.killpg(process.pid, signal.SIGINT)
    else:  # to sc-license alone, as a service manager stops it
        process.send_signal(signal.SIGTERM)
    time.sleep(SIGNAL_HANDLED_S)
    for hold in holds:  # the form comes: the step ends, and the run stops there
        hold.release()
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 130, stderr
    entries = by_name(json.loads(stdout))
    outcomes = sorted(entry["outcome"] for entry in entries.values())
    assert outcomes == ["interrupted", "interrupted", "not-started"]
    for sandbox in sandboxes.values():
        assert sandbox.server.state.uploads == []
    for run_json in backed_up:
        record = json.loads(run_json.read_text())
        assert record["outcome"] == "interrupted"
        assert (run_json.parent / record["backup"]["file"]).is_file()
        assert (run_json.parent / "report.html").is_file()


@POSIX_SHELL
def test_a_browser_that_does_not_start_fails_every_environment_with_its_reason(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {f"env{i}": start_sandbox() for i in range(3)}
    path, passwords = inventory(tmp_path, sandboxes)
    broken = tmp_path / "broken-chromium"  # there, but no browser: it exits at once
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)

    done, summary = fleet(
        run_cli, path, passwords, "status", "--all", "--parallel", "2", "--browser", str(broken)
    )

    assert done.exit_code == 2, done.stderr
    for entry in summary["fleet"]:
        assert entry["outcome"] == "failed"
        assert f"{broken} did not start" in entry["message"]


def start_fleet_install(
    folder: Path, sandboxes: dict[str, Sandbox], licenses: Path, *, ctrl_c_ignored: bool = False
) -> subprocess.Popen[str]:
    """`install --all --parallel 2 --json` in the background; see start_cli."""
    path, passwords = inventory(folder, sandboxes)
    command = ["install", "--all", "--licenses", str(licenses), "--inventory", str(path)]
    return start_cli(
        [*command, "--parallel", "2", "--json"],
        folder,
        passwords,
        output=True,
        ctrl_c_ignored=ctrl_c_ignored,
    )


def wait_for_runs(folder: Path, count: int, holding: str) -> list[Path]:
    """The run.json of `count` environments' runs, once each holds the text `holding`."""
    deadline = time.monotonic() + 60
    found: list[Path] = []
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.2)
        runs = (folder / "recordings").glob("*-env*-install/run.json")
        found = [run for run in runs if holding in run.read_text()]
    assert len(found) == count, f"no {count} runs reached “{holding}”"
    return found


def test_max_fail_stops_starting_new_environments(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {f"env{i}": start_sandbox() for i in range(5)}
    path, passwords = inventory(tmp_path, sandboxes)
    wrong = {variable: "wrong-" + password for variable, password in passwords.items()}

    done, summary = fleet(
        run_cli, path, wrong, "status", "--all", "--parallel", "1", "--max-fail", "2"
    )

    outcomes = [entry["outcome"] for entry in summary["fleet"]]
    assert outcomes == ["failed", "failed", "not-started", "not-started", "not-started"]
    assert done.exit_code == 5


def test_the_whole_fleet_is_backed_up_and_restored(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {f"env{i}": start_sandbox() for i in range(5)}
    originals = {name: s.server.state.installed_bytes for name, s in sandboxes.items()}
    path, passwords = inventory(tmp_path, sandboxes)

    done, summary = fleet(run_cli, path, passwords, "backup", "--all")
    assert done.exit_code == 0, done.stderr
    fleet_run = next((tmp_path / "recordings").glob("*-fleet-backup"))
    for sandbox in sandboxes.values():  # someone installs other licenses by hand
        sandbox.server.state.upload("other.lic", render_license(issue_license(sandbox.serial)))

    done, summary = fleet(run_cli, path, passwords, "restore", "--from", str(fleet_run), "--all")

    assert done.exit_code == 0, done.stderr
    assert {entry["outcome"] for entry in summary["fleet"]} == {"installed"}
    for name, sandbox in sandboxes.items():
        assert sandbox.server.state.installed_bytes == originals[name]


def test_status_warns_before_a_license_ends(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    soon = date.today() + timedelta(days=10)
    sandboxes = {"dev": start_sandbox(), "test": start_sandbox()}
    sandboxes["prod"] = start_sandbox(
        serial_number=(serial := random_serial()), license=issue_license(serial, end_date=soon)
    )
    path, passwords = inventory(tmp_path, sandboxes)

    table = run_cli(
        ["status", "--all", "--inventory", str(path), "--warn-days", "30"],
        env={**passwords, "COLUMNS": "250"},
    )
    quiet = run_cli(
        ["status", "--all", "--inventory", str(path), "--warn-days", "5"], env=passwords
    )

    assert table.exit_code == 8, table.stderr
    assert "Days left" in table.stdout and str(soon) in table.stdout
    assert "prod: the license ends in 10 days" in " ".join(table.stderr.split())
    assert quiet.exit_code == 0, quiet.stderr


def test_shards_split_the_fleet_into_stable_disjoint_slices() -> None:
    environments = [
        Environment(name=f"env{i}", url=f"http://host{i}/ServiceCenter") for i in range(12)
    ]
    slices = [shard(environments, f"{i}/3") for i in (1, 2, 3)]
    names = [e.name for part in slices for e in part]
    assert sorted(names) == sorted(e.name for e in environments)  # all, each once
    grown = [*environments, Environment(name="env12", url="http://new/ServiceCenter")]
    assert all(
        set(map(id, shard(grown, f"{i}/3"))) >= set(map(id, slices[i - 1])) for i in (1, 2, 3)
    )


def test_a_remote_browser_runs_the_flow(sandbox: Sandbox, run_cli: RunCli, tmp_path: Path) -> None:
    with local_browser(LaunchOptions()) as endpoint:
        port = endpoint.split(":")[2].split("/")[0]
        done = run_cli(
            [
                "status",
                "--url",
                sandbox.url,
                "--user",
                "admin",
                "--json",
                "--browser-endpoint",
                f"http://127.0.0.1:{port}",
            ],
            password=sandbox.password,
        )
    assert done.exit_code == 0, done.stderr
    record = json.loads(done.stdout)
    assert f"at http://127.0.0.1:{port}" in record["browser"]
    assert record["license_before"]["serial_number"] == sandbox.serial


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('[[environment]]\nname = "dev"\n', "line 1, environment #1 ('dev'), field url"),
        ('[[environment]]\nname = "a"\nurl = "ftp://x"\n', "field url: Value error"),
        (
            '[[environment]]\nname = "a"\nurl = "http://x/ServiceCenter"\ncolour = 1\n',
            "field colour",
        ),
        ("[[environment]\n", "is not valid TOML"),
    ],
    ids=["missing-url", "bad-url", "unknown-field", "not-toml"],
)
def test_a_wrong_inventory_is_refused_with_line_and_field(
    run_cli: RunCli, tmp_path: Path, toml: str, says: str
) -> None:
    (tmp_path / "environments.toml").write_text(toml)
    done = run_cli(["status", "--all"])
    assert done.exit_code == 2
    assert says in " ".join(done.stderr.split())
