"""Fleets and changes in the trail as a reviewer looks for them: `audit list` and the index
show each fleet's environments under it, who ran a run (the CI actor too) and under which
change ticket and why; `audit list --change` finds a change's runs; a fleet that had nothing to
do (an empty shard) reads so, not as done."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from automation.cli.app import app
from automation.errors import ExitCode
from automation.evidence.audit import rebuild_report, seal
from automation.evidence.records import FleetEntry, RunRecord
from automation.evidence.report import ROW, row_key
from automation.evidence.runs import ListedRun, grouped
from automation.identity import Actor, CiIdentity
from tests.support.in_process import fit_consoles, invoke
from tests.support.markup import Element, parse
from tests.support.recordings import move_the_head, state_folder

START = datetime(2026, 12, 1, 9, 0, 0, 120000, tzinfo=UTC)
CI = Actor(
    os_user="runner",
    ci=CiIdentity(system="GitLab CI", actor="alice", run_url="https://gitlab.example/jobs/7"),
)
FLEET = "20261201T090000Z-fleet-install"
SHARD = "20261201T100000Z-fleet-status"
# Folder, environment, seconds after START, and what makes it what it is.
RUNS: list[tuple[str, str, float, dict[str, object]]] = [
    ("20261201T080000Z-dev-status", "dev", -3600, {}),
    (FLEET, "fleet", 0, {"fleet": [], "flow": "install"}),
    ("20261201T090001Z-dev-install", "dev", 1, {"fleet_run": FLEET, "flow": "install"}),
    # Another run, started while the fleet ran: it is not one of the fleet's.
    ("20261201T090002Z-test-status", "test", 2, {}),
    ("20261201T090003Z-prod-install", "prod", 3, {"fleet_run": FLEET, "flow": "install"}),
    (SHARD, "fleet", 3600, {"fleet": [], "change": None, "reason": None}),
]


def record(environment: str, seconds: float, **more: object) -> RunRecord:
    started = START + timedelta(seconds=seconds)
    fields: dict[str, object] = {
        "flow": "status",
        "environment": environment,
        "url": f"http://{environment}/ServiceCenter",
        "user": "admin",
        "operator": "runner",
        "actor": CI,
        "change": "CHG0012345",
        "reason": "Annual renewal",
        "started_at": started,
        "finished_at": started + timedelta(seconds=1),
        "outcome": "installed" if more.get("flow") == "install" else "reported",
        "exit_code": 0,
        "message": "Done.",
    }
    if more.get("fleet") is not None:
        fields.update(outcome="done", message="0 of 0 environments done.")
    return RunRecord.model_validate({**fields, **more})


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Recordings sealed as the tool seals them: a fleet's environments without their rows,
    then the fleet with them."""
    root = tmp_path / "recordings"
    records = {name: record(env, seconds, **more) for name, env, seconds, more in RUNS}
    fleet = records[FLEET]
    fleet.fleet = [
        FleetEntry.of(records[name], name) for name, *_ in RUNS if records[name].fleet_run
    ]
    for name, run in records.items():
        (root / name).mkdir(parents=True)
        (root / name / "run.json").write_text(run.model_dump_json())
    for name in (name for name, *_ in RUNS if name != FLEET):
        seal(root, root / name, state_folder(), index=not records[name].fleet_run)
        if name == "20261201T090003Z-prod-install":  # the fleet's last environment
            seal(root, root / FLEET, state_folder())
    return root


def rows(root: Path) -> list[Element]:
    page = parse((root / "index.html").read_text())
    return [row for row in page.find("table", id="runs").find_all("tr") if "data-key" in row.attrs]


def cells(row: Element) -> list[str]:
    return [" ".join(cell.text().split()) for cell in row.find_all("td")]


def test_the_index_shows_each_fleets_environments_under_it(root: Path) -> None:
    shown = [(cells(row)[1], row.attrs.get("class", "")) for row in rows(root)]

    assert shown == [
        ("fleet", ""),  # the empty shard, newest
        ("test", ""),  # started while the fleet ran, not one of its environments
        ("fleet", ""),
        ("↳ prod", "member"),
        ("↳ dev", "member"),
        ("dev", ""),
    ]


def test_the_index_is_the_same_built_whole_or_a_row_at_a_time(root: Path) -> None:
    before = (root / "index.html").read_bytes()

    rebuild_report(root, root / FLEET, state_folder())  # builds the index whole

    assert (root / "index.html").read_bytes() == before


def test_the_index_shows_who_ran_it_in_ci_and_under_which_change(root: Path) -> None:
    [*_, oldest] = rows(root)
    who, why = cells(oldest)[4], cells(oldest)[5]

    assert who == "runner in GitLab CI for alice (CI run)"
    assert oldest.find("a", href="https://gitlab.example/jobs/7")
    assert why == "CHG0012345: Annual renewal"


def test_audit_list_says_who_ran_it_in_ci_and_under_which_change_as_the_index_does(
    root: Path,
) -> None:
    lines = invoke(["audit", "list", "--out", str(root)]).stdout.splitlines()

    header = next(line for line in lines if line.startswith("Started (UTC)"))
    assert [word for word in header.split() if word in ("Operator", "Who", "Change")] == [
        "Who",
        "Change",
    ]
    [prod] = [line for line in lines if "-prod-install" in line]
    assert "runner in GitLab CI for alice" in prod
    assert prod.index("CHG0012345") == header.index("Change")


def test_an_empty_shard_reads_nothing_to_do_not_done(root: Path) -> None:
    shard = rows(root)[0]
    outcome = shard.find_all("td")[3]

    assert cells(shard)[3] == "nothing to do"
    assert "sev-done" not in outcome.attrs["class"] and "muted" in outcome.attrs["class"]
    assert shard.attrs["data-severity"] == "nothing-to-do"
    listed = invoke(["audit", "list", "--out", str(root)])
    [line] = [line for line in listed.stdout.splitlines() if SHARD in line]
    assert "nothing to do" in line and "done" not in line.replace("nothing to do", "")


def test_an_index_from_before_fleets_were_grouped_is_built_again_grouped(root: Path) -> None:
    index = root / "index.html"
    page = index.read_text().replace(' data-rows="grouped"', "")
    for name, _, seconds, more in RUNS:
        if more.get("fleet_run"):  # keyed by when it started, as rows were keyed before
            began = START + timedelta(seconds=seconds)
            key = f"{began:%Y-%m-%dT%H:%M:%S.%f} {name}"
            page = re.sub(f'data-key="[^"]* {name}"', f'data-key="{key}"', page)
    lines = page.splitlines(keepends=True)
    at = [n for n, line in enumerate(lines) if line.startswith(ROW)]
    lines[at[0] : at[-1] + 1] = sorted(lines[at[0] : at[-1] + 1], key=row_key, reverse=True)
    index.write_text("".join(lines))  # rows in the order their runs started, as then
    move_the_head(root)  # as sc-license left it: the head vouches for it
    later = root / "20261201T110000Z-dev-status"
    later.mkdir()
    (later / "run.json").write_text(record("dev", 7200).model_dump_json())

    seal(root, later, state_folder())

    shown = [cells(row)[1] for row in rows(root)]
    assert shown == ["dev", "fleet", "test", "fleet", "↳ prod", "↳ dev", "dev"]


def listed(root: Path, *options: str) -> list[dict[str, object]]:
    done = invoke(["audit", "list", "--out", str(root), "--json", *options])
    assert done.exit_code == ExitCode.OK, done.stderr
    rows: list[dict[str, object]] = json.loads(done.stdout)
    return rows


def test_audit_list_json_says_who_why_which_change_and_which_fleet(root: Path) -> None:
    every = listed(root)

    assert [Path(str(row["run_folder"])).name for row in every] == [
        SHARD,
        "20261201T090002Z-test-status",
        FLEET,
        "20261201T090003Z-prod-install",
        "20261201T090001Z-dev-install",
        "20261201T080000Z-dev-status",
    ]
    prod = every[3]
    assert (prod["change"], prod["reason"]) == ("CHG0012345", "Annual renewal")
    assert prod["actor"] == CI.model_dump(mode="json")
    assert "alice" in json.dumps(prod["actor"]) and "GitLab CI" in json.dumps(prod["actor"])
    assert prod["fleet_run"] == str(root / FLEET)
    assert (every[2]["environments"], every[2]["fleet_run"]) == (2, None)
    assert (every[0]["environments"], every[0]["change"]) == (0, None)
    assert every[1]["environments"] is None


@pytest.mark.parametrize(
    ("ticket", "count"),
    [("CHG0012345", 5), ("chg0012345", 5), (" CHG0012345 ", 5), ("CHG0099999", 0)],
)
def test_audit_list_change_keeps_the_runs_made_under_that_ticket(
    root: Path, ticket: str, count: int
) -> None:
    kept = listed(root, "--change", ticket)

    assert len(kept) == count
    assert all(row["change"] == "CHG0012345" for row in kept)


def test_audit_list_sets_a_fleets_environments_under_it(root: Path) -> None:
    done = invoke(["audit", "list", "--out", str(root)])

    lines = [line for line in done.stdout.splitlines() if "-install" in line]
    assert [line.split()[2] for line in lines] == ["fleet", "prod", "dev"]
    fleet, *members = lines
    column = fleet.index("fleet")
    assert all(member.index(member.split()[2]) == column + 2 for member in members)


def run(
    name: str, started: int, fleet_run: str | None = None, fleet: bool = False
) -> tuple[Path, ListedRun]:
    listed = ListedRun(
        started_at=START + timedelta(seconds=started),
        environment=name,
        flow="install",
        fleet=[] if fleet else None,
        fleet_run=fleet_run,
    )
    return Path(name), listed


@pytest.mark.parametrize(
    ("runs", "expected"),
    [
        ([run("a", 3), run("f", 0, fleet=True)], ["a", "f"]),
        (
            [run("m2", 3, "f"), run("x", 2), run("m1", 1, "f"), run("f", 0, fleet=True)],
            ["x", "f", "m2", "m1"],
        ),
        ([run("m", 3, "gone"), run("f", 0, fleet=True)], ["m", "f"]),  # its fleet not listed
        (
            [
                run("g2", 9, "g"),
                run("g", 8, fleet=True),
                run("f2", 3, "f"),
                run("f", 0, fleet=True),
            ],
            ["g", "g2", "f", "f2"],
        ),
    ],
    ids=["no-members", "a-run-between", "fleet-missing", "two-fleets"],
)
def test_members_follow_their_fleet(
    runs: list[tuple[Path, ListedRun]], expected: list[str]
) -> None:
    assert [folder.name for folder, _ in grouped(runs)] == expected


def test_audit_list_at_80_columns_lists_each_run_with_every_value_whole(root: Path) -> None:
    """Too many columns for 80: each run becomes a list of its values, none cut across lines."""
    fit_consoles(80)
    done = CliRunner().invoke(
        app, ["audit", "list", "--out", str(root)], env={"COLUMNS": "80"}, prog_name="sc-license"
    )

    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line for line in lines if len(line) > 80 and str(root) not in line] == []
    for name, *_ in RUNS:  # each run's folder, whole on a line of its own listing
        assert any(name in line for line in lines), name


def test_a_fleet_that_did_not_all_end_as_intended_is_listed_by_its_headline(
    tmp_path: Path,
) -> None:
    """run.json records such a fleet as `failed`; `audit list` says what its report and
    terminal say: the counts, under the label of the most important ending."""
    root = tmp_path / "recordings"
    installed = record("dev", 1, flow="install")
    refused = record("prod", 2, flow="install", outcome="refused", exit_code=3)
    fleet = record(
        "fleet",
        0,
        flow="install",
        outcome="failed",
        exit_code=3,
        fleet=[FleetEntry.of(installed, "a"), FleetEntry.of(refused, "b")],
    )
    (root / FLEET).mkdir(parents=True)
    (root / FLEET / "run.json").write_text(fleet.model_dump_json())
    seal(root, root / FLEET, state_folder())

    [row] = listed(root)
    assert (row["outcome"], row["headline"]) == ("failed", "Partly done: 1 installed, 1 refused")
    said = invoke(["audit", "list", "--out", str(root)]).stdout
    assert "Partly done: 1 installed, 1 refused" in " ".join(said.split())
    [title] = re.findall(r"<title>(.*?)</title>", (root / FLEET / "report.html").read_text())
    assert title == "install on fleet — Partly done: 1 installed, 1 refused"
