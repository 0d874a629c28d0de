"""Many environments on the terminal: live progress while they run, then a summary table."""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import date
from pathlib import Path

from rich.console import RenderableType
from rich.live import Live
from rich.table import Table

from automation.cli.consoles import console, errors
from automation.cli.display import (
    SEVERITY_COLOURS,
    colour_of,
    headline_json,
    show_approval,
    show_head,
    show_next,
    show_who_and_why,
    whole,
)
from automation.cli.fit import fitted
from automation.cli.literal import markup, shown
from automation.cli.settings import Settings
from automation.evidence.anchors import AuditHead, audit_head
from automation.evidence.records import FleetEntry, RunRecord
from automation.fleet import After, FleetJob, FleetProgress, run_fleet
from automation.outcomes import Headline, headline, severity
from automation.procedure import Procedure


def run_many(
    procedure: Procedure,
    jobs: list[FleetJob],
    settings: Settings,
    *,
    interactive: bool = False,
    after: After | None = None,
    warn_days: int | None = None,
    note: str | None = None,
) -> tuple[int, list[FleetEntry]]:
    """Run a procedure on every environment and show the fleet's progress and summary."""
    progress = FleetProgress({job.target.name: "waiting" for job in jobs})
    live = not settings.as_json and not interactive
    with (
        Live(
            get_renderable=lambda: _progress_table(progress),
            console=errors,
            auto_refresh=live,
            transient=False,
        )
        if live
        else nullcontext()
    ):
        summary, entries = run_fleet(
            procedure,
            jobs,
            settings.run.evidence,
            parallel=1 if interactive else settings.parallel,  # one question at a time
            max_fail=settings.max_fail,
            endpoint=settings.run.launch.endpoint,
            progress=progress,
            after=after,
            attribution=settings.run.attribution,
            warn_days=warn_days,
            note=note,
        )
    if live and not errors.is_terminal:
        errors.line()  # rich ends what it drew for a log (CI, 2>&1) without a line break
    code = summary.record.exit_code or 0
    head = audit_head(summary.folder.parent)
    if settings.as_json:
        data = json.loads(summary.record.model_dump_json())
        top = headline_json(fleet_headline(entries))
        shown_head = {"audit_head": head.model_dump() if head else None}
        folder = {"run_folder": str(summary.folder)}  # as a single run's --json has it
        print(json.dumps({**data, **folder, "headline": top, **shown_head}, indent=2))
    else:
        show_fleet(summary.record, entries, summary.folder, head)
    return code, entries


def fleet_headline(entries: list[FleetEntry]) -> Headline:
    return headline([(entry.outcome, entry.exit_code) for entry in entries])


def show_fleet(
    record: RunRecord, entries: list[FleetEntry], folder: Path, head: AuditHead | None
) -> None:
    """The fleet's table; who, why and the approval; then, each on its own lines, why each
    environment that did not simply succeed ended so and what to do, and every warning; the
    headline last."""
    console.print(summary_table(entries))
    show_who_and_why(record)
    if record.approval is None:  # each environment's own, where they differ
        for entry in entries:
            if entry.approval is not None:
                show_approval(entry.approval, entry.environment)
    for warning in record.warnings:
        whole(errors, markup("[yellow]Warning:[/] {}", warning))
    for entry in entries:
        show_ending(entry)
    top = fleet_headline(entries)
    console.print(
        markup(
            f"[bold {SEVERITY_COLOURS[top.severity]}]{{}}:[/] {{}}. {{}}",
            top.label,
            top.counts,
            record.message,
        )
    )
    whole(console, markup("Fleet summary: {}", folder / "report.html"))
    show_head(head)


# Endings whose outcome says all there is to say: the license was there already; a rehearsal
# passed.
SAID_BY_THE_OUTCOME = frozenset({"unchanged", "dry-run"})


def show_ending(entry: FleetEntry) -> None:
    """One environment's reason and what to do, if it did not simply succeed, and its
    warnings: each on lines of its own, named by the environment."""
    simply = severity(entry.outcome, entry.exit_code) == "done"
    reason = entry.reason or entry.message
    if not (simply or entry.outcome in SAID_BY_THE_OUTCOME) or entry.commands:
        line = f"[bold]{{}}[/] [{colour_of(entry.outcome, entry.exit_code)}]{{}}[/]: {{}}"
        whole(errors, markup(line, entry.environment, entry.outcome, reason))
        if entry.hint:
            whole(errors, markup("[yellow]What to do ({}):[/] {}", entry.environment, entry.hint))
        show_next(entry.commands)
    for warning in entry.warnings:
        if warning.split(": ", 1)[-1] not in reason:  # e.g. "Rolling back: REASON"
            whole(errors, markup("[yellow]Warning ({}):[/] {}", entry.environment, warning))


def summary_table(entries: list[FleetEntry]) -> RenderableType:
    headers = ["Environment", "Serial", "Activation code", "Outcome", "Run folder"]
    rows = []
    for entry in entries:
        before = entry.license_before.activation_code if entry.license_before else None
        after = entry.license_after.activation_code if entry.license_after else None
        codes = f"{before} -> {after}" if after and after != before else (before or "-")
        colour = colour_of(entry.outcome, entry.exit_code)
        serial = entry.shown.serial_number if entry.shown else "-"
        rows.append(
            [
                shown(entry.environment),
                shown(serial or "-"),
                shown(codes),
                shown(entry.outcome, colour),
                shown(entry.run_folder or "-"),
            ]
        )
    return fitted("Environments", headers, rows, console.width)


def status_table(entries: list[FleetEntry], today: date) -> RenderableType:
    headers = [
        "Environment",
        "Serial",
        "Activation code",
        "Edition",
        "Type",
        "End date",
        "Days left",
        "Banner",
    ]
    rows = []
    for entry in entries:
        seen = entry.shown
        if seen is None:
            rows.append([shown(entry.environment), *[shown("-")] * 6, shown(entry.message, "red")])
            continue
        days = entry.ends_in(today)
        cells = [
            entry.environment,
            seen.serial_number or "",
            seen.activation_code or "",
            seen.edition_name or "",
            seen.license_type or "",
            seen.end_date or "",
            "-" if days is None else str(days),
        ]
        rows.append([*map(shown, cells), shown(seen.banner, "" if seen.valid else "red")])
    return fitted("Licenses", headers, rows, console.width)


def _progress_table(progress: FleetProgress) -> Table:
    table = Table(title="Fleet")
    table.add_column("Environment")
    table.add_column("Now")
    with progress.lock:
        for environment, state in progress.states.items():
            table.add_row(shown(environment), shown(state))
    return table
