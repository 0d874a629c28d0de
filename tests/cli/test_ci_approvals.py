"""Approved by whom, for a fleet and in CI: a fleet's summary carries the approval (the same
for every environment about to change, or each one's); in CI the record names the deployment
environment and the approver where the CI system or the pipeline tells the job, and says
plainly where it does not, in run.json, the report and the terminal."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from automation.cli.fleet_display import show_fleet
from automation.cli.identity import ci_identity
from automation.evidence.records import FleetEntry, RunRecord
from automation.evidence.report import render_report
from automation.fleet import shared_approval
from automation.identity import Actor, ApprovalRecord, ApprovedHow
from automation.sandbox.licenses import issue_license, render_license
from tests.cli.test_approval import NO_CI
from tests.cli.test_fleet import inventory
from tests.support.fixture_types import RunCli, StartSandbox
from tests.support.markup import Element, parse
from tests.support.terminal import terminal

GITHUB = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_ACTOR": "octocat",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/licenses",
    "GITHUB_RUN_ID": "42",
}
GITHUB_RUN = "https://github.com/acme/licenses/actions/runs/42"
GITLAB = {
    "GITLAB_CI": "true",
    "GITLAB_USER_LOGIN": "jdoe",
    "CI_JOB_URL": "https://gitlab.example.com/acme/licenses/-/jobs/7",
}
NOT_TOLD = "does not tell the job by whom: see"
ROOT = Path(__file__).parents[2]
NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)

CI_APPROVALS = [
    (
        "GitHub, told nothing: says so, with the run's page",
        GITHUB,
        (None, None),
        f"no deployment environment or approver is known to the job: see {GITHUB_RUN}",
    ),
    (
        "GitHub, the workflow passes its environment: approver not told",
        {**GITHUB, "SC_LICENSE_CI_ENVIRONMENT": "prod"},
        ("prod", None),
        "the job ran in the GitHub Actions environment prod; where that environment requires "
        f"approval, it was given before the job started, but GitHub Actions {NOT_TOLD} "
        f"{GITHUB_RUN}",
    ),
    (
        "GitHub, the workflow passes the reviewer from the approvals API",
        {**GITHUB, "SC_LICENSE_CI_ENVIRONMENT": "prod", "SC_LICENSE_CI_APPROVED_BY": "alice"},
        ("prod", "alice"),
        "approved by alice for the environment prod, as the pipeline passed it "
        "(SC_LICENSE_CI_APPROVED_BY)",
    ),
    (
        "GitLab names its environment itself",
        {**GITLAB, "CI_ENVIRONMENT_NAME": "prod"},
        ("prod", None),
        f"GitLab CI {NOT_TOLD} https://gitlab.example.com/acme/licenses/-/jobs/7",
    ),
    (
        "Azure's deployment job names its environment itself",
        {"TF_BUILD": "True", "ENVIRONMENT_NAME": "prod", "BUILD_REQUESTEDFOR": "Jane Doe"},
        ("prod", None),
        f"Azure Pipelines {NOT_TOLD} the run's page in the CI system",
    ),
    (
        "Jenkins, the input step's submitter passed on",
        {
            "JENKINS_URL": "https://ci.example.com/",
            "BUILD_USER": "Jane Doe",
            "SC_LICENSE_CI_APPROVED_BY": "bob",
        },
        (None, "bob"),
        "approved by bob, as the pipeline passed it (SC_LICENSE_CI_APPROVED_BY)",
    ),
]


@pytest.mark.parametrize(
    ("env", "told", "said"),
    [(env, told, said) for _, env, told, said in CI_APPROVALS],
    ids=[name for name, *_ in CI_APPROVALS],
)
def test_an_approval_in_ci_says_where_it_is_and_what_the_job_was_not_told(
    env: dict[str, str], told: tuple[str | None, str | None], said: str
) -> None:
    ci = ci_identity(env)
    assert ci is not None

    approval = ApprovalRecord(
        how="--yes, unattended", approved=True, by=Actor(os_user="runner", ci=ci), at=NOW
    )

    assert (ci.environment, ci.approved_by) == told
    assert approval.in_ci is not None and said in approval.in_ci


def approval(
    how: ApprovedHow = "--yes, unattended", approved: bool = True, by: str = "jane", minute: int = 0
) -> ApprovalRecord:
    return ApprovalRecord(
        how=how, approved=approved, by=Actor(os_user=by), at=NOW + timedelta(minutes=minute)
    )


def entry(environment: str, given: ApprovalRecord | None, outcome: str = "installed") -> FleetEntry:
    return FleetEntry(
        environment=environment,
        url=f"https://{environment}.example.com/ServiceCenter",
        outcome=outcome,
        exit_code=0 if outcome == "installed" else 3,
        message=outcome,
        approval=given,
    )


TYPED: ApprovedHow = "typed the serial number's last group"
SHARED = [
    (
        "--yes for all: the first",
        [entry("dev", approval(minute=1)), entry("prod", approval(minute=0))],
        approval(minute=0),
    ),
    (
        "one refused before its approval: the others'",
        [entry("dev", approval()), entry("prod", None, "refused")],
        approval(),
    ),
    (
        "typed for one, not for the other: each its own",
        [entry("dev", approval(TYPED)), entry("prod", approval(TYPED, approved=False))],
        None,
    ),
    (
        "approved by different people: each its own",
        [entry("dev", approval(by="jane")), entry("prod", approval(by="bob"))],
        None,
    ),
    ("none about to change: none", [entry("dev", None, "refused")], None),
]


@pytest.mark.parametrize(
    ("entries", "shared"),
    [(entries, shared) for _, entries, shared in SHARED],
    ids=[name for name, *_ in SHARED],
)
def test_a_fleet_records_the_approval_its_environments_share(
    entries: list[FleetEntry], shared: ApprovalRecord | None
) -> None:
    assert shared_approval(entries) == shared


def fleet(entries: list[FleetEntry], folder: Path) -> RunRecord:
    record = RunRecord(
        flow="install",
        environment="fleet",
        url="local browser",
        user="-",
        started_at=NOW,
        outcome="done",
        exit_code=0,
        message="done",
        fleet=entries,
        approval=shared_approval(entries),
        actor=Actor(os_user="jane"),
    )
    (folder / "run.json").write_text(record.model_dump_json())
    return record


def rows_of(table: Element) -> list[str]:
    """Each row of a table as one line of text."""
    return [" ".join(row.lines()) for row in table.find_all("tr")]


def test_a_fleet_report_names_each_environments_approval_where_they_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = [
        entry("dev", approval(TYPED, by="jane")),
        entry("prod", approval(TYPED, approved=False, by="bob"), "aborted"),
        entry("test", None, "refused"),
    ]
    record = fleet(entries, tmp_path)

    rows = parse(render_report(tmp_path)).find(id="approvals")
    with terminal(capsys) as printed:
        show_fleet(record, entries, tmp_path, None)

    lines = rows_of(rows)
    assert f"Approval (dev) approved: {TYPED}, by jane at 2026-12-07 10:00:00 UTC" in lines
    assert f"Approval (prod) not approved: {TYPED}, by bob at 2026-12-07 10:00:00 UTC" in lines
    assert "Approval (test) none: no upload was about to happen (refused)" in lines
    said = " ".join(printed.stdout.split())
    assert f"Approval (dev): approved ({TYPED}), by jane at 2026-12-07 10:00:00 UTC" in said
    assert f"Approval (prod): not approved ({TYPED}), by bob" in said


def test_a_fleet_report_says_when_no_approval_was_asked(tmp_path: Path) -> None:
    fleet([entry("dev", None, "refused"), entry("prod", None, "unchanged")], tmp_path)

    rows = parse(render_report(tmp_path)).find(id="approvals")

    assert rows_of(rows) == [
        "Approval none recorded: no upload was about to happen on any environment"
    ]


def test_a_fleet_install_in_ci_carries_its_approval_in_the_summary(
    start_sandbox: StartSandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    sandboxes = {"dev": start_sandbox(), "prod": start_sandbox()}
    licenses = tmp_path / "licenses"
    licenses.mkdir()
    for name, sandbox in sandboxes.items():
        (licenses / f"{name}.lic").write_bytes(render_license(issue_license(sandbox.serial)))
    path, passwords = inventory(tmp_path, sandboxes)
    ci = {**NO_CI, **GITLAB, "CI_ENVIRONMENT_NAME": "production"}

    done = run_cli(
        ["install", "--all", "--inventory", str(path), "--licenses", str(licenses), "--yes"],
        env={**passwords, **ci, "COLUMNS": "80"},
    )

    assert done.exit_code == 0, done.stderr
    folder = next((tmp_path / "recordings").glob("*-fleet-install"))
    summary = json.loads((folder / "run.json").read_text())
    given = summary["approval"]
    assert (given["how"], given["approved"]) == ("--yes, unattended", True)
    assert given["by"]["ci"]["environment"] == "production"
    assert f"GitLab CI {NOT_TOLD}" in given["in_ci"]
    assert all(e["approval"]["how"] == "--yes, unattended" for e in summary["fleet"])
    html = parse((folder / "report.html").read_text())
    assert (
        " ".join(html.find(id="ci-approval").lines()) == f"Approval in GitLab CI: {given['in_ci']}"
    )
    assert " ".join(html.find(id="approval-scope").lines()) == (
        "the same for each of the 2 environments about to change: dev, prod"
    )  # in the Approval row of "Who and why", said once
    assert not html.find_all(id="approvals")
    said = " ".join(done.stdout.split())
    assert "Approval: approved (--yes, unattended)" in said
    assert "Approval in GitLab CI: the job ran in the GitLab CI environment production" in said


def test_the_github_example_passes_the_environment_and_its_reviewer() -> None:
    workflow = yaml.safe_load((ROOT / "docs/ci/github-actions.yml").read_text())
    change = workflow["jobs"]["change"]

    assert change["env"]["SC_LICENSE_CI_ENVIRONMENT"] == "${{ inputs.environment }}"
    assert workflow["permissions"]["actions"] == "read"  # the run's review history
    [step] = [s for s in change["steps"] if "SC_LICENSE_CI_APPROVED_BY" in s.get("run", "")]
    assert "/approvals" in step["run"] and '>> "$GITHUB_ENV"' in step["run"]
    installs = [s for s in change["steps"] if "sc-license install" in s.get("run", "")]
    assert change["steps"].index(step) < change["steps"].index(installs[0])
