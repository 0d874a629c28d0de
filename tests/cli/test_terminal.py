"""What the operator reads on a terminal or in a CI log: recovery commands that run as printed,
output that reads at 80 columns, and an approval prompt in the order it is decided in."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from pathlib import Path

from automation.evidence.files import sha256_of
from tests.support import cli
from tests.support.cli import SC_LICENSE, run_folders, run_on_terminal
from tests.support.fixture_types import RunCli, StartSandbox
from tests.support.sandboxes import Sandbox

NO_CI = {"GITHUB_ACTIONS": "", "GITLAB_CI": "", "TF_BUILD": "", "JENKINS_URL": ""}


def printed_command(output: str, command: str) -> list[str]:
    """The one line of the output that holds `sc-license COMMAND ...`, split as a shell would."""
    [line] = [line for line in output.splitlines() if line.strip().startswith(command)]
    return shlex.split(line)


def cut_pieces(token: str, lines: list[str]) -> list[str]:
    """Pieces of `token` (a serial or an activation code) left at the end or the start of a
    line: what a terminal shows when it cuts the token across two lines."""
    separator = "-" if "-" in token else "."
    run = re.compile(rf"[0-9A-Z{re.escape(separator)}]{{4,}}")
    pieces = [m.group() for line in lines for m in run.finditer(line)]
    return [p for p in pieces if p != token and separator in p and p in token]


def test_printed_recovery_commands_run_as_printed_and_file_evidence_under_the_same_name(
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(invalid_after_uploads=2)
    new = write_license(sandbox.serial)
    work = tmp_path / "work dir"
    work.mkdir()

    failed = cli.run_cli(
        [
            *["install", "--url", sandbox.url, "--user", "admin", "--license", str(new)],
            *["--env-name", "prod-eu", "--password-env", "PROD_EU_PW", "--out", "evidence"],
        ],
        cwd=work,
        env={"PROD_EU_PW": sandbox.password, "COLUMNS": "80"},
    )

    said = failed.stdout + failed.stderr
    assert failed.exit_code == 6, said
    flat = " ".join(said.split())
    assert flat.count("the banner says") == 1, said  # the reason is said once
    assert "Putting the previous license back failed the same way." in flat
    status = printed_command(said, "sc-license status")
    restore = printed_command(said, "sc-license restore")
    assert "--password-env" in restore and "PROD_EU_PW" in restore
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    password = {"PROD_EU_PW": sandbox.password}

    checked = cli.run_cli(status[1:], cwd=elsewhere, env=password)
    restored = cli.run_cli(restore[1:], cwd=elsewhere, env=password)

    assert checked.exit_code == 8, checked.stderr  # the license left shows as invalid
    assert restored.exit_code == 0, restored.stderr
    assert "installed:" in restored.stdout
    folders = sorted(p.parent for p in (work / "evidence").glob("*/run.json"))
    assert [f.name.split("-", 1)[1] for f in folders] == [
        "prod-eu-install",
        "prod-eu-status",
        "prod-eu-restore",
    ]
    assert not (elsewhere / "recordings").exists()
    install_run = json.loads((folders[0] / "run.json").read_text())
    assert install_run["error"]["step"] == "Verify the new license is installed"
    [verify] = [s for s in install_run["steps"] if s["name"] == install_run["error"]["step"]]
    assert verify["status"] == "failed" and (folders[0] / verify["screenshot"]).is_file()
    backup = (folders[0] / install_run["backup"]["file"]).read_bytes()
    assert sha256_of(backup) == install_run["backup"]["sha256"]
    restore_run = json.loads((folders[-1] / "run.json").read_text())
    assert restore_run["license_after"]["banner"].startswith("Your license is valid")


def test_output_at_80_columns_keeps_serials_codes_and_folders_whole_on_one_line(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    done = run_cli(
        ["install", "--url", sandbox.url, "--user", "admin", "--license", str(new_license)],
        password=sandbox.password,
        env={**NO_CI, "COLUMNS": "80"},
    )

    assert done.exit_code == 0, done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    assert max(len(line) for line in done.stdout.splitlines() if "/" not in line) <= 80
    [folder] = run_folders(tmp_path)
    record = json.loads((folder / "run.json").read_text())
    tokens = [
        sandbox.serial,
        record["license_before"]["activation_code"],
        record["license_after"]["activation_code"],
        folder.name,
        str(folder.relative_to(tmp_path) / record["backup"]["file"]),
    ]
    for token in tokens:
        assert any(token in line for line in lines), (token, done.stdout)
    for token in tokens[:3]:
        assert not cut_pieces(token, lines), (token, done.stdout)
    license_lines = done.stdout.split("License")[1].split("Check serial")[0].splitlines()
    assert len(license_lines) <= 12, done.stdout  # a few lines, not a table of folded cells


def test_at_120_columns_the_final_table_keeps_every_serial_whole(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path
) -> None:
    done = run_cli(
        ["install", "--url", sandbox.url, "--user", "admin", "--license", str(new_license)],
        password=sandbox.password,
        env={**NO_CI, "COLUMNS": "120"},
    )

    assert done.exit_code == 0, done.stderr
    serial_lines = [line for line in done.stdout.splitlines() if sandbox.serial in line]
    assert len(serial_lines) >= 1, done.stdout
    assert not re.search(r"[0-9A-Z]{3}-[0-9A-Z]{1,2}\s*│", done.stdout), done.stdout


def test_the_approval_prompt_names_the_environment_then_checks_then_changes_then_asks(
    sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    last_group = sandbox.serial.rsplit("-", 1)[-1]
    done = run_on_terminal(
        [
            str(SC_LICENSE),
            *["install", "--url", sandbox.url, "--user", "admin", "--license", str(new_license)],
            *["--env-name", "prod-eu", "--confirm"],
        ],
        last_group,
        cwd=tmp_path,
        env={**NO_CI, "SC_LICENSE_PASSWORD": sandbox.password},
    )

    assert done.exit_code == 0, done.stdout
    said = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", done.stdout)  # as the operator reads it
    before_answer = said.split("Type the last group")[0]
    [question] = [line for line in said.splitlines() if "Type the last group" in line]
    assert "press Enter to cancel" in question
    assert last_group not in question.split(":")[0]
    where = before_answer.index("prod-eu")
    assert sandbox.url in before_answer[where:]
    checks = before_answer.index("Check serial: ok")
    changes = before_answer.index("Activation Code")
    assert where < checks < changes
    [folder] = run_folders(tmp_path)
    assert json.loads((folder / "run.json").read_text())["approval"]["approved"] is True


def test_printed_commands_name_the_inventory_when_the_environment_came_from_one(
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(invalid_after_uploads=2)
    new = write_license(sandbox.serial)
    inventory = tmp_path / "inventory" / "environments.toml"
    inventory.parent.mkdir()
    inventory.write_text(f'[[environment]]\nname = "qa"\nurl = "{sandbox.url}"\nuser = "admin"\n')

    failed = cli.run_cli(
        ["install", "--env", "qa", "--inventory", str(inventory), "--license", str(new), "--yes"],
        cwd=tmp_path,
        env={"SC_LICENSE_PASSWORD_QA": sandbox.password},
    )

    said = failed.stdout + failed.stderr
    assert failed.exit_code == 6, said
    restore = printed_command(said, "sc-license restore")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    restored = cli.run_cli(
        restore[1:], cwd=elsewhere, env={"SC_LICENSE_PASSWORD_QA": sandbox.password}
    )
    assert restored.exit_code == 0, restored.stderr
    assert any(f.name.endswith("-qa-restore") for f in run_folders(tmp_path))


def test_a_fleet_at_80_columns_lists_each_environment_in_a_few_lines_with_whole_tokens(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    (tmp_path / "environments.toml").write_text(
        "".join(
            f'[[environment]]\nname = "{name}"\nurl = "{sandbox.url}"\nuser = "admin"\n'
            for name in ("prod-eu", "prod-us")
        )
    )

    done = run_cli(
        ["status", "--all", "--parallel", "1"],
        password=sandbox.password,
        env={**NO_CI, "COLUMNS": "80"},
    )

    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    records = [json.loads((f / "run.json").read_text()) for f in run_folders(tmp_path)]
    run = next(r for r in records if r["fleet"] is None)
    code = (run["license_after"] or run["license_before"])["activation_code"]
    for token in (sandbox.serial, code):
        assert sum(token in line for line in lines) == 4, (token, done.stdout)  # 2 tables
        assert not cut_pieces(token, lines), (token, done.stdout)
    table = done.stdout.split("Licenses")[1]
    assert len(table.strip().splitlines()) <= 2 * 10, done.stdout
