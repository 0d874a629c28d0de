"""What `probe` shows: its table after the run's summary, its report in --json. Loaded only
when a probe runs, so `probe --help` loads no browser machinery."""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table
from rich.text import Text

from automation.cli.consoles import console
from automation.cli.display import whole
from automation.cli.literal import markup, shown
from automation.pages.survey import ControlSeen, FieldSeen
from flows.probe_report import PROPOSAL, REPORT_JSON, REPORT_MD, ProbeReport

MARKS = {True: "[green]yes[/]", False: "[bold red]no[/]", None: "[dim]not reached[/]"}


class ProbeShown:
    """One environment's probe: its report in --json, its table after the run's summary."""

    def json(self, folder: Path) -> dict[str, object]:
        report = report_in(folder)
        return {"probe": json.loads(report.model_dump_json()) if report else None}

    def show(self, folder: Path) -> None:
        report = report_in(folder)
        if report is not None:
            show_report(report, folder)


def report_in(folder: Path) -> ProbeReport | None:
    """The run's probe.json; None when the run ended before writing it."""
    path = folder / REPORT_JSON
    return ProbeReport.model_validate_json(path.read_bytes()) if path.is_file() else None


def show_report(report: ProbeReport, folder: Path) -> None:
    console.print(probe_table(report))
    whole(console, markup("Probe report: {}", folder / REPORT_MD))
    if report.proposal:
        whole(console, markup("[yellow]Proposed site profile:[/] {}", folder / PROPOSAL))


def probe_table(report: ProbeReport) -> Table:
    """Each control and value the procedure uses, in its order: found or not, and by which
    way or as what."""
    table = Table(title="What the probe recognised")
    table.add_column("Screen")
    table.add_column("Control or value")
    table.add_column("Found", no_wrap=True)
    table.add_column("How, or what it shows", overflow="fold")
    upload = report.upload
    form = [upload.file_input, upload.submit] if upload is not None else []
    for control in report.controls():
        if control not in form:
            table.add_row(control.screen, control.control, mark(control), how(control))
    licensing = report.licensing
    if licensing is not None:
        status = licensing.status
        said = status.text or ""
        if not status.recognised and status.candidates:
            said = f"“{status.candidates[0]}”: not a status the tool knows"
        table.add_row("Licensing page", "license status", MARKS[status.recognised], shown(said))
        for field in licensing.fields:
            table.add_row("Licensing page", field.label, MARKS[field.found], shown(value(field)))
    if upload is not None:
        where = upload.shown or "nowhere: no file input came"
        table.add_row("Upload form", "the form", MARKS[upload.shown is not None], where)
        for control in form:
            table.add_row(control.screen, control.control, mark(control), how(control))
    return table


def value(field: FieldSeen) -> str:
    """A value as read, as written when that differs, or where the label may be."""
    if not field.found and field.proposed_label:
        return f"“{field.proposed_label}”: {field.shown} (a label proposed)"
    if field.candidates:
        return f"{field.shown}: {' or '.join(field.candidates)}?"
    if field.shown and field.value:
        return f"{field.value} (written {field.shown})"
    return "blank" if field.value == "" else field.value or "-"


def mark(control: ControlSeen) -> Text:
    return Text.from_markup(MARKS[control.found if control.reached else None])


def how(control: ControlSeen) -> Text:
    if control.found:
        said = f" (“{control.caption}”)" if control.caption else ""
        return shown(f"{control.way}{said}")
    if control.candidates:
        return shown("shown instead: " + ", ".join(control.candidates))
    return shown("")
