"""How a run's result is shown: rich tables for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.table import Table

from automation.errors import ScLicenseError
from automation.evidence import Run
from automation.licenses import FIELD_LABELS, InstalledLicense

console = Console()
errors = Console(stderr=True)


def show_run(run: Run, *, as_json: bool) -> None:
    record = run.record
    if as_json:
        data = json.loads(record.model_dump_json())
        print(json.dumps({**data, "run_folder": str(run.folder)}, indent=2))
        return
    steps = Table(title=f"{record.flow} on {record.environment} ({record.url})")
    for column in ("#", "Step", "Result", "Time", "Screenshot"):
        steps.add_column(column)
    for step in record.steps:
        result = "[green]passed[/]" if step.status == "passed" else "[red]failed[/]"
        steps.add_row(
            str(step.number), step.name, result, f"{step.duration_ms} ms", step.screenshot or "-"
        )
    console.print(steps)
    if record.license_before or record.license_after:
        console.print(license_table(record.license_before, record.license_after))
    if record.error:
        errors.print(f"[bold red]{record.outcome}:[/] {record.error.message}")
        if record.error.hint:
            errors.print(f"[yellow]What to do:[/] {record.error.hint}")
    else:
        console.print(f"[bold green]{record.outcome}:[/] {record.message}")
    if record.backup:
        console.print(f"Backup: {run.folder / record.backup.file}")
    console.print(f"Evidence: {run.folder}")


def license_table(before: InstalledLicense | None, after: InstalledLicense | None) -> Table:
    table = Table(title="License on the Licensing page")
    table.add_column("Field")
    table.add_column("Before")
    if after:
        table.add_column("After")
    rows = [*FIELD_LABELS.items(), ("banner", "Status")]
    for field, label in rows:
        values = [getattr(shown, field) or "" for shown in (before, after) if shown]
        if before is None:
            values.insert(0, "-")
        table.add_row(label, *values)
    return table


@contextmanager
def expected_errors(debug: bool = False) -> Iterator[None]:
    """Turn an expected failure before any run folder exists into a message and exit code."""
    try:
        yield
    except ScLicenseError as error:
        if debug:
            raise
        errors.print(f"[bold red]{error.message}[/]")
        if error.hint:
            errors.print(f"[yellow]What to do:[/] {error.hint}")
        raise typer.Exit(error.exit_code) from None
