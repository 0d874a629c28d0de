"""--junit-xml: the environments' endings for a CI system, written after the run. A file that
cannot be written is said on stderr; the run's own exit code stands."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from automation.cli.consoles import errors
from automation.cli.literal import markup
from automation.cli.settings import Settings
from automation.evidence.junit import JunitCase, junit_tree, write_junit
from automation.evidence.records import FleetEntry
from automation.fleet import needing_attention


def report_junit(
    flow: str,
    entries: list[FleetEntry],
    settings: Settings,
    warn_days: int | None,
    *,
    dry_run: bool | None = None,
) -> None:
    """Write --junit-xml, if given: one test case per environment. `dry_run`: whether the
    command was given --dry-run; None (not said): each environment that ended "dry-run"."""
    path = settings.junit_xml
    if path is None:
        return
    out = settings.run.evidence.out
    cases = [
        JunitCase(
            entry,
            out / entry.run_folder / "report.html" if entry.run_folder else None,
            _attention(entry, warn_days),
            dry_run=entry.outcome == "dry-run" if dry_run is None else dry_run,
        )
        for entry in entries
    ]
    try:
        write_junit(path, junit_tree(flow, cases, path, workspace=Path.cwd()))
    except OSError as error:
        errors.print(
            markup(
                "[bold yellow]Warning:[/] the JUnit file {} was not written ({}); "
                "the run's exit code is unchanged.",
                path,
                error.strerror or error,
            )
        )


def _attention(entry: FleetEntry, warn_days: int | None) -> str | None:
    """Why `status` found that one environment's license needs attention, e.g. "the license
    ends in 3 days (...)", or its banner when it is shown not valid."""
    if entry.outcome != "attention":
        return None
    found = needing_attention([entry], warn_days, date.today())
    return found[0].removeprefix(f"{entry.environment}: ") if found else None
