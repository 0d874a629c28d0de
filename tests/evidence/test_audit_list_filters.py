"""`audit list --env --flow --outcome --since`: the runs asked for, on the terminal and in
--json alike."""

from __future__ import annotations

import json

import pytest

from automation.errors import ExitCode
from tests.support.in_process import invoke
from tests.support.recordings import FinishedRuns


def listed(runs: FinishedRuns, *filters: str) -> list[tuple[str, str]]:
    done = invoke(["audit", "list", "--out", str(runs.root), "--json", *filters])
    assert done.exit_code == ExitCode.OK, done.stderr
    return [(row["flow"], row["outcome"]) for row in json.loads(done.stdout)]


def test_every_run_is_listed_without_a_filter(runs: FinishedRuns) -> None:
    assert listed(runs) == [("status", "failed"), ("install", "installed")]


@pytest.mark.parametrize(
    ("filters", "kept"),
    [
        (["--flow", "install"], [("install", "installed")]),
        (["--outcome", "failed"], [("status", "failed")]),
        (["--since", "1d"], [("status", "failed"), ("install", "installed")]),
        (["--since", "2000-01-01"], [("status", "failed"), ("install", "installed")]),
        (["--since", "2999-01-01"], []),
        (["--env", "no-such-environment"], []),
        (["--flow", "install", "--outcome", "failed"], []),
    ],
    ids=["flow", "outcome", "duration", "old-date", "future-date", "env", "both"],
)
def test_filters_keep_only_the_runs_asked_for(
    runs: FinishedRuns, filters: list[str], kept: list[tuple[str, str]]
) -> None:
    assert listed(runs, *filters) == kept


def test_env_keeps_the_runs_on_that_environment(runs: FinishedRuns) -> None:
    every = json.loads(invoke(["audit", "list", "--out", str(runs.root), "--json"]).stdout)
    environment = every[0]["environment"]
    assert len(listed(runs, "--env", environment)) == len(
        [row for row in every if row["environment"] == environment]
    )


def test_the_table_shows_only_the_runs_asked_for(runs: FinishedRuns) -> None:
    done = invoke(["audit", "list", "--out", str(runs.root), "--flow", "install"])
    assert runs.installed.name in done.stdout
    assert runs.refused.name not in done.stdout


def test_a_filter_that_keeps_nothing_says_so(runs: FinishedRuns) -> None:
    done = invoke(["audit", "list", "--out", str(runs.root), "--since", "2999-01-01"])
    assert done.exit_code == ExitCode.OK
    assert "match" in done.text
    assert "Runs in" not in done.stdout


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        (["--outcome", "instaled"], "did you mean 'installed'?"),
        (["--since", "last week"], "--since 'last week' is neither a date nor a duration"),
    ],
)
def test_a_filter_that_cannot_be_is_refused(
    runs: FinishedRuns, filters: list[str], says: str
) -> None:
    done = invoke(["audit", "list", "--out", str(runs.root), *filters])
    assert done.exit_code == ExitCode.BAD_INPUT
    assert says in done.text
