"""Who changed a license, why, and how the change was approved, on record in run.json, the
report, the index, the audit log and the terminal; and runs refused before any action that
claim nothing that did not happen."""

from __future__ import annotations

import html
import json
import os
import pwd
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from automation.errors import ExitCode
from tests.support.cli import SC_LICENSE, run_folders, run_on_terminal
from tests.support.fixture_types import RunCli
from tests.support.sandboxes import Sandbox

ME = pwd.getpwuid(os.getuid()).pw_name
# Every CI system's marker, unset: each case sets its own, whatever CI runs these tests.
NO_CI = {"GITHUB_ACTIONS": "", "GITLAB_CI": "", "TF_BUILD": "", "JENKINS_URL": ""}


def record_of(folder: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((folder / "run.json").read_text())
    return record


def report_text(folder: Path) -> str:
    """The report's visible text, in one line."""
    return " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", (folder / "report.html").read_text())).split()
    )


def install(sandbox: Sandbox, license_path: Path, *extra: str) -> list[str]:
    return [
        "install",
        "--url",
        sandbox.url,
        "--user",
        "admin",
        "--license",
        str(license_path),
        *extra,
    ]


def test_an_approval_typed_at_the_prompt_is_on_record_with_the_os_account(
    sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    done = run_on_terminal(
        [str(SC_LICENSE), *install(sandbox, new_license, "--confirm", "--reason", "Renewal")],
        sandbox.serial.rsplit("-", 1)[-1],
        cwd=tmp_path,
        env={**NO_CI, "SC_LICENSE_PASSWORD": sandbox.password, "LOGNAME": "someone-else"},
    )

    assert done.exit_code == 0, done.stdout
    assert "Type the last group of the serial number to upload" in " ".join(done.stdout.split())
    assert [u.accepted for u in sandbox.server.state.uploads] == [True]
    [folder] = run_folders(tmp_path)
    record = record_of(folder)
    approval = record["approval"]
    assert approval["how"] == "typed the serial number's last group"
    assert approval["approved"] is True
    assert approval["last_group_typed"] is True
    assert approval["by"]["os_user"] == ME
    assert approval["at"]
    assert record["actor"] == {"os_user": ME, "ci": None}
    assert "someone-else" not in (folder / "run.json").read_text()
    report = report_text(folder)
    assert "typed the serial number's last group" in report
    assert "Renewal" in report


def test_a_wrong_answer_at_the_prompt_is_recorded_as_not_approved_without_the_answer(
    sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    done = run_on_terminal(
        [str(SC_LICENSE), *install(sandbox, new_license, "--confirm")],
        "WRONG-ANSWER-77",
        cwd=tmp_path,
        env={**NO_CI, "SC_LICENSE_PASSWORD": sandbox.password},
    )

    assert done.exit_code == ExitCode.REFUSED, done.stdout
    said = " ".join(done.stdout.split())
    assert "Type the last group of the serial number to upload" in said
    assert "was not approved; nothing was uploaded" in said
    [folder] = run_folders(tmp_path)
    approval = record_of(folder)["approval"]
    assert approval["approved"] is False
    assert approval["last_group_typed"] is False
    assert "WRONG-ANSWER-77" not in (folder / "run.json").read_text()
    assert sandbox.server.state.uploads == []


def test_yes_reason_and_change_are_on_record_everywhere_a_reviewer_looks(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    done = run_cli(
        install(
            sandbox,
            new_license,
            "--yes",
            "--reason",
            "Annual renewal of the production license",
            "--change",
            "CHG-4711",
        ),
        password=sandbox.password,
        env={**NO_CI, "LOGNAME": "someone-else", "USER": "someone-else"},
    )

    assert done.exit_code == 0, done.stderr
    [folder] = run_folders(tmp_path)
    record = record_of(folder)
    assert record["approval"]["how"] == "--yes, unattended"
    assert record["approval"]["last_group_typed"] is None
    assert record["reason"] == "Annual renewal of the production license"
    assert record["change"] == "CHG-4711"
    assert record["actor"]["os_user"] == ME
    assert record["operator"] == ME
    report = report_text(folder)
    assert "CHG-4711" in report and "Annual renewal of the production license" in report
    assert "--yes, unattended" in report
    assert "CHG-4711" in " ".join((tmp_path / "recordings" / "index.html").read_text().split())
    last = json.loads((tmp_path / "recordings" / "audit-log.jsonl").read_text().splitlines()[-1])
    assert last["change"] == "CHG-4711"
    assert last["reason"] == "Annual renewal of the production license"
    assert last["actor"] == ME
    assert last["approval"] == "--yes, unattended"
    said = " ".join(done.stdout.split())
    assert "CHG-4711" in said and "Annual renewal of the production license" in said


def test_a_fleet_install_records_the_reason_and_change_on_every_run(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    (tmp_path / "environments.toml").write_text(
        f'[[environment]]\nname = "prod"\nurl = "{sandbox.url}"\nuser = "admin"\n'
    )
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    new_license.rename(licenses / new_license.name)

    done = run_cli(
        [
            *["install", "--all", "--licenses", str(licenses), "--yes"],
            *["--reason", "Fleet renewal", "--change", "CHG-9"],
        ],
        password=sandbox.password,
        env=NO_CI,
    )

    assert done.exit_code == 0, done.stderr
    records = [record_of(folder) for folder in run_folders(tmp_path)]
    assert len(records) == 2  # the environment's run and the fleet's summary
    assert all(r["change"] == "CHG-9" and r["reason"] == "Fleet renewal" for r in records)
    [run] = [r for r in records if r["fleet"] is None]
    assert run["approval"]["how"] == "--yes, unattended"
    said = " ".join(done.stdout.split())
    assert "Change: CHG-9" in said and "Reason: Fleet renewal" in said


@dataclass
class Ci:
    env: dict[str, str]
    system: str
    actor: str
    run_url: str


CI = {
    "github-actions": Ci(
        {
            "GITHUB_ACTIONS": "true",
            "GITHUB_ACTOR": "octocat",
            "GITHUB_TRIGGERING_ACTOR": "hubot",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "acme/licenses",
            "GITHUB_RUN_ID": "123456",
            "GITHUB_RUN_ATTEMPT": "2",
        },
        "GitHub Actions",
        "hubot",
        "https://github.com/acme/licenses/actions/runs/123456/attempts/2",
    ),
    "gitlab-ci": Ci(
        {
            "GITLAB_CI": "true",
            "GITLAB_USER_LOGIN": "jdoe",
            "CI_JOB_URL": "https://gitlab.example.com/acme/licenses/-/jobs/42",
            "CI_PIPELINE_URL": "https://gitlab.example.com/acme/licenses/-/pipelines/7",
        },
        "GitLab CI",
        "jdoe",
        "https://gitlab.example.com/acme/licenses/-/jobs/42",
    ),
    "azure-pipelines": Ci(
        {
            "TF_BUILD": "True",
            "BUILD_REQUESTEDFOR": "Jane Doe",
            "BUILD_REQUESTEDFOREMAIL": "jane@example.com",
            "SYSTEM_COLLECTIONURI": "https://dev.azure.com/acme/",
            "SYSTEM_TEAMPROJECT": "Licenses",
            "BUILD_BUILDID": "99",
        },
        "Azure Pipelines",
        "Jane Doe <jane@example.com>",
        "https://dev.azure.com/acme/Licenses/_build/results?buildId=99",
    ),
    "jenkins-without-build-user": Ci(
        {"JENKINS_URL": "https://ci.example.com/", "BUILD_URL": "https://ci.example.com/job/x/5/"},
        "Jenkins",
        "unknown",
        "https://ci.example.com/job/x/5/",
    ),
}


@pytest.mark.parametrize("ci", CI.values(), ids=CI.keys())
def test_a_run_in_ci_records_the_ci_system_actor_and_run_url(
    ci: Ci, run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    done = run_cli(
        ["status", "--url", sandbox.url, "--user", "admin"],
        password=sandbox.password,
        env={**NO_CI, **ci.env},
    )

    assert done.exit_code == 0, done.stderr
    [folder] = run_folders(tmp_path)
    actor = record_of(folder)["actor"]
    assert actor["os_user"] == ME
    assert actor["ci"] == {"system": ci.system, "actor": ci.actor, "run_url": ci.run_url}
    report = report_text(folder)
    assert ci.system in report and ci.run_url in report


def test_a_mistyped_license_path_is_refused_before_any_run_folder(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    done = run_cli(
        install(sandbox, tmp_path / "licence-2027.lic", "--yes"), password=sandbox.password
    )

    said = " ".join((done.stdout + done.stderr).split())
    assert done.exit_code == ExitCode.BAD_INPUT, said
    assert "licence-2027.lic does not exist" in said
    assert "What to do:" in said
    assert "all passed" not in said and "Signed in" not in said
    assert run_folders(tmp_path) == []
    assert sandbox.server.state.uploads == []


def test_an_unreadable_license_file_is_refused_before_any_run_folder(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    new_license.chmod(0)
    if os.access(new_license, os.R_OK):
        pytest.skip("this user reads every file (root)")

    done = run_cli(install(sandbox, new_license, "--yes"), password=sandbox.password)

    said = " ".join((done.stdout + done.stderr).split())
    assert done.exit_code == ExitCode.BAD_INPUT, said
    assert "cannot be read" in said
    assert "evidence could not be written" not in said
    assert run_folders(tmp_path) == []


def test_a_run_refused_before_sign_in_says_so_and_claims_no_steps(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.lic"
    empty.write_bytes(b"")

    done = run_cli(install(sandbox, empty, "--yes"), password=sandbox.password)

    said = " ".join((done.stdout + done.stderr).split())
    assert done.exit_code == ExitCode.BAD_INPUT, said
    assert "0 steps run" in said
    assert "all passed" not in said
    [folder] = run_folders(tmp_path)
    assert record_of(folder)["signed_in"] is False
    report = report_text(folder)
    assert "Signed in as admin" not in report
    assert "not signed in" in report


def test_a_restore_records_its_change_ticket_and_approval(
    run_cli: RunCli, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    installed = run_cli(install(sandbox, new_license, "--yes"), password=sandbox.password)
    assert installed.exit_code == 0, installed.stderr
    [install_run] = run_folders(tmp_path)

    done = run_cli(
        [
            "restore",
            "--url",
            sandbox.url,
            "--user",
            "admin",
            "--from",
            str(install_run),
            "--change",
            "CHG-ROLLBACK-2",
            "--reason",
            "Back to the previous license",
        ],
        password=sandbox.password,
        env=NO_CI,
    )

    assert done.exit_code == 0, done.stderr
    restore_run = next(f for f in run_folders(tmp_path) if f.name.endswith("-restore"))
    record = record_of(restore_run)
    assert record["change"] == "CHG-ROLLBACK-2"
    assert record["reason"] == "Back to the previous license"
    assert record["approval"]["how"] == "not asked"  # no terminal, no --confirm, no --yes
    assert "CHG-ROLLBACK-2" in report_text(restore_run)


def test_a_mistyped_restore_source_is_refused_before_any_run_folder(
    run_cli: RunCli, sandbox: Sandbox, tmp_path: Path
) -> None:
    done = run_cli(
        ["restore", "--url", sandbox.url, "--user", "admin", "--from", "backup-typo.lic"],
        password=sandbox.password,
    )

    said = " ".join((done.stdout + done.stderr).split())
    assert done.exit_code == ExitCode.BAD_INPUT, said
    assert "backup-typo.lic does not exist" in said
    assert run_folders(tmp_path) == []
