"""Many environments on the terminal: live progress while they run, then a summary table."""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import date

from rich.console import RenderableType
from rich.live import Live
from rich.table import Table

from automation.cli.consoles import console, errors
from automation.cli.display import (
    SEVERITY_COLOURS,
    colour_of,
    show_head,
    show_next,
    show_who_and_why,
)
from automation.cli.fit import fitted
from automation.cli.literal import markup, shown
from automation.cli.settings import Settings
from automation.evidence.anchors import audit_head
from automation.evidence.records import FleetEntry
from automation.fleet import After, FleetJob, FleetProgress, run_fleet
from automation.outcomes import SEVERITY_LABELS, counted, most_severe, severity
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
    code = summary.record.exit_code or 0
    head = audit_head(summary.folder.parent)
    if settings.as_json:
        data = json.loads(summary.record.model_dump_json())
        print(json.dumps({**data, "audit_head": head.model_dump() if head else None}, indent=2))
    else:
        console.print(summary_table(entries))
        show_who_and_why(summary.record)
        for warning in summary.record.warnings:
            errors.print(markup("[yellow]Warning:[/] {}", warning))
        for entry in entries:
            if entry.commands:
                errors.print(markup("[bold]{}[/]: {}", entry.environment, entry.message))
                show_next(entry.commands)
        group = most_severe([severity(entry.outcome, entry.exit_code) for entry in entries])
        console.print(
            markup(
                f"[bold {SEVERITY_COLOURS[group]}]{{}}:[/] {{}}. {{}}",
                SEVERITY_LABELS[group],
                counted([entry.outcome for entry in entries]) or "no environment",
                summary.record.message,
            )
        )
        console.print(markup("Fleet summary: {}", summary.folder / "report.html"))
        show_head(head)
    return code, entries


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
