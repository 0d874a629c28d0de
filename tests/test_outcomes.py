"""What each outcome means to a reviewer: done as intended, nothing changed, or act now."""

from __future__ import annotations

from typing import get_args

import pytest

from automation.errors import ExitCode
from automation.outcomes import (
    EVIDENCE_INCOMPLETE,
    PLAIN_OUTCOMES,
    SEVERITIES,
    UNTOUCHED_EXIT_CODES,
    Outcome,
    counted,
    most_severe,
    severity,
)


def test_every_outcome_has_plain_words_and_a_severity() -> None:
    assert set(get_args(Outcome)) == set(PLAIN_OUTCOMES) == set(SEVERITIES)


@pytest.mark.parametrize(
    ("outcome", "exit_code", "group"),
    [
        ("installed", 0, "done"),
        ("installed", 7, "act-now"),  # a change whose evidence could not all be written
        ("installed", 130, "done"),  # an interrupt during the change, seen through
        ("backed-up", 0, "done"),
        ("reported", 0, "done"),
        ("refused", 3, "unchanged"),
        ("aborted", 3, "unchanged"),
        ("rejected", 4, "unchanged"),
        ("rolled-back", 4, "unchanged"),
        ("no-license-file", 3, "unchanged"),
        ("failed", 5, "unchanged"),  # a wrong password changed nothing
        ("failed", 1, "act-now"),  # unexpected: it may have stopped mid-change
        ("interrupted", 130, "act-now"),
        ("running", None, "act-now"),
        ("verification-failed", 4, "act-now"),
        ("rollback-failed", 6, "act-now"),
    ],
)
def test_outcomes_are_grouped_by_what_a_reviewer_must_do(
    outcome: str, exit_code: int | None, group: str
) -> None:
    assert severity(outcome, exit_code) == group


def test_a_fleet_is_headed_by_its_most_severe_group_with_counts() -> None:
    outcomes = ["installed", "rolled-back", "installed"]
    assert most_severe([severity(o) for o in outcomes]) == "unchanged"
    assert counted(outcomes) == "2 installed, 1 rolled back"


def test_the_untouched_exit_codes_are_those_that_say_nothing_was_done() -> None:
    assert {ExitCode.BAD_INPUT, ExitCode.REFUSED, ExitCode.UNREACHABLE} == UNTOUCHED_EXIT_CODES


def test_the_incomplete_evidence_exit_code_is_errors_own() -> None:
    assert ExitCode.EVIDENCE_DOES_NOT_VERIFY == EVIDENCE_INCOMPLETE
