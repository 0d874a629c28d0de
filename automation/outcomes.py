"""How a run can end, in one word for run.json and in plain words for a reviewer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, NamedTuple

Outcome = Literal[
    "running",
    "installed",
    "unchanged",
    "dry-run",
    "backed-up",
    "no-license",
    "reported",
    "attention",
    "probed",
    "not-recognised",
    "refused",
    "no-license-file",
    "not-started",
    "aborted",
    "rejected",
    "verification-failed",
    "rolled-back",
    "rollback-failed",
    "interrupted",
    "failed",
    "done",
]

# The outcome of a run in plain words, for someone who was not there.
PLAIN_OUTCOMES: dict[Outcome, str] = {
    "running": "The run did not finish (it is still running, or it was killed).",
    "installed": "The new license is installed and Service Center shows it as valid.",
    "unchanged": "The license was already installed; nothing was uploaded.",
    "dry-run": "Dry run: every check passed; nothing was uploaded.",
    "backed-up": "The installed license was backed up.",
    "no-license": "No license is installed, so there was nothing to back up.",
    "no-license-file": "No license file was given for this environment's serial; left as it is.",
    "not-started": "Not started: the fleet was interrupted, or too many environments had "
    "failed already.",
    "done": "Every environment ended as intended.",
    "reported": "The installed license was read.",
    "probed": "Every control and value the procedure needs was recognised; nothing was changed.",
    "not-recognised": "Service Center shows something the tool does not recognise; nothing was "
    "changed. The probe's report says what, and proposes a site profile to teach it.",
    "attention": "The license needs attention: Service Center shows it not valid, or it ends "
    "within the days given (--warn-days). Renew it.",
    "refused": "Refused before any change; nothing was uploaded.",
    "aborted": "The operator did not approve the change; nothing was uploaded.",
    "rejected": "Service Center rejected the license; the previous license is still installed.",
    "verification-failed": "The license was uploaded but Service Center does not show it.",
    "rolled-back": "The new license did not verify; the previous license was put back.",
    "rollback-failed": "The new license did not verify and the rollback failed: act now.",
    "interrupted": "The run was interrupted.",
    "failed": "The run failed.",
}

# What an outcome means to a reviewer, most severe last: done as intended (green), nothing
# changed (amber), act now (red).
Severity = Literal["done", "unchanged", "act-now"]
SEVERITY_ORDER: tuple[Severity, ...] = ("done", "unchanged", "act-now")
SEVERITY_LABELS: dict[Severity, str] = {
    "done": "Done as intended",
    "unchanged": "Nothing changed",
    "act-now": "Act now",
}
SEVERITIES: dict[Outcome, Severity] = {
    "installed": "done",
    "backed-up": "done",
    "reported": "done",
    "probed": "done",
    "done": "done",
    "unchanged": "unchanged",
    "dry-run": "unchanged",
    "no-license": "unchanged",
    "no-license-file": "unchanged",
    "not-started": "unchanged",
    "attention": "unchanged",  # read as intended, but someone renews the license soon
    "not-recognised": "unchanged",  # read only; someone teaches the tool before a change
    "refused": "unchanged",
    "aborted": "unchanged",
    "rejected": "unchanged",
    "rolled-back": "unchanged",
    "verification-failed": "act-now",  # uploaded, not shown, and not rolled back
    "rollback-failed": "act-now",
    # A run that did not reach a known ending may have stopped mid-change: someone looks.
    "interrupted": "act-now",
    "failed": "act-now",
    "running": "act-now",
}


# The exit codes of a run that failed before any change (errors.py's ExitCode.BAD_INPUT,
# REFUSED and UNREACHABLE): a wrong password or an unreachable server changed nothing.
UNTOUCHED_EXIT_CODES = frozenset({2, 3, 5})
# errors.py's ExitCode.EVIDENCE_DOES_NOT_VERIFY: a run that did what it set out to do, whose
# evidence could not all be written (a full disk), is looked at now.
EVIDENCE_INCOMPLETE = 7


def severity(outcome: str, exit_code: int | None = None) -> Severity:
    """What an outcome means to a reviewer. A run that did not reach a known ending (failed
    unexpectedly, interrupted, still "running": cut off) may have stopped mid-change, so it
    is looked at now, unless its exit code says nothing was touched; so is a run whose
    evidence is incomplete."""
    if outcome == "failed" and exit_code in UNTOUCHED_EXIT_CODES:
        return "unchanged"
    if exit_code == EVIDENCE_INCOMPLETE:
        return "act-now"
    return SEVERITIES.get(outcome, "act-now")  # type: ignore[call-overload, no-any-return]


def most_severe(severities: list[Severity]) -> Severity:
    """The group a set of runs (a fleet's environments) is headed by: its most severe."""
    return max(severities, key=SEVERITY_ORDER.index, default="done")


# The order a headline counts outcomes in, most important first: what someone must look at
# now, what changed, what stopped short of a change or needs someone soon, then what only read
# or did nothing. An outcome not listed comes after these, in the order it first came.
IMPORTANCE: tuple[Outcome, ...] = (
    "rollback-failed",
    "verification-failed",
    "failed",
    "interrupted",
    "running",
    "installed",
    "rolled-back",
    "rejected",
    "refused",
    "aborted",
    "attention",
    "not-recognised",
    "no-license-file",
    "not-started",
    "backed-up",
    "reported",
    "probed",
    "no-license",
    "dry-run",
    "unchanged",
    "done",
)
# Outcomes that changed an environment: a group holding one did not leave everything as it was.
CHANGED: frozenset[str] = frozenset({"installed"})


def counted(outcomes: list[str]) -> str:
    """Outcomes counted, the most important first, in plain words: "2 installed, 1 rolled
    back, 1 unchanged"."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    rank: dict[str, int] = {outcome: i for i, outcome in enumerate(IMPORTANCE)}
    ordered = sorted(counts, key=lambda outcome: rank.get(outcome, len(rank)))
    return ", ".join(f"{counts[outcome]} {outcome.replace('-', ' ')}" for outcome in ordered)


class Headline(NamedTuple):
    """What heads a run or a fleet, in the terminal, --json and the report alike: the colour
    of its most severe ending, a label that does not contradict any ending, and the counts."""

    severity: Severity
    label: str
    counts: str

    def __str__(self) -> str:
        return f"{self.label}: {self.counts}"


def headline(endings: list[tuple[str, int | None]]) -> Headline:
    """The headline of runs ending so (outcome, exit code): coloured as the most severe;
    labelled "Act now" if one must be looked at now, else "Needs attention" if a license is
    to be renewed, else "Partly done" if one changed an environment and another did not end as
    intended, else "Rolled back" if a change was undone; never "Nothing changed" when
    something was uploaded. No endings at all (an empty shard): "Nothing to do"."""
    if not endings:
        return Headline("done", "Nothing to do", "no environment")
    group = most_severe([severity(outcome, code) for outcome, code in endings])
    outcomes = [outcome for outcome, _ in endings]
    label = SEVERITY_LABELS[group]
    if group == "unchanged" and "attention" in outcomes:
        label = "Needs attention"
    elif group == "unchanged" and CHANGED & set(outcomes):
        label = "Partly done"
    elif group == "unchanged" and "rolled-back" in outcomes:
        label = "Rolled back"
    return Headline(group, label, counted(outcomes))


def nothing_to_do(fleet: Sequence[object] | None, outcome: str) -> bool:
    """Whether a fleet ended with no environment to run (an empty shard): its summary lists
    none, yet it ended as intended; a fleet cut off before it listed any is "running"."""
    return fleet is not None and not fleet and outcome == "done"


def fleet_headline_of(
    fleet: Sequence[tuple[str, int | None]] | None, outcome: str
) -> Headline | None:
    """A fleet summary's headline, from its environments' endings ("Nothing to do" for an
    empty shard); None for a single run, or a fleet that recorded none of them."""
    if fleet is None or not (fleet or nothing_to_do(fleet, outcome)):
        return None
    return headline(list(fleet))


def expiry_severity(days_left: int | None, warn_days: int | None, valid: bool = True) -> Severity:
    """How a license's days left read: ended or not valid (red), ending within --warn-days
    (amber), else fine (green); "Never" and unknown end dates are fine."""
    if not valid or (days_left is not None and days_left < 0):
        return "act-now"
    if days_left is not None and warn_days is not None and days_left <= warn_days:
        return "unchanged"
    return "done"
