"""The reviewer's view: report.html in each run folder, and recordings/index.html."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from automation.evidence.files import write_atomically
from automation.evidence.records import Review, RunRecord, load_record
from automation.evidence.timeline import timeline
from automation.licenses import FIELD_LABELS
from automation.outcomes import (
    PLAIN_OUTCOMES,
    SEVERITY_LABELS,
    Severity,
    counted,
    expiry_severity,
    most_severe,
    severity,
)
from automation.text import plain

if TYPE_CHECKING:
    from jinja2 import Environment

REPORT = "report.html"
# The report printed to PDF by `audit report --pdf`: derived from report.html, not sealed.
PDF = "report.pdf"
INDEX = "index.html"


@cache
def _environment() -> Environment:
    """One for the process: a fleet renders a report per environment, and each template is
    compiled once."""
    # Imported here: a run writes its report after the browser closes, so its start does not
    # wait for the template engine.
    from jinja2 import Environment, PackageLoader, select_autoescape

    from automation.evidence.template_cache import template_cache

    environment = Environment(
        loader=PackageLoader("automation.evidence", "templates"),
        autoescape=select_autoescape(),
        finalize=_printable,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_cache(),
    )
    environment.globals.update(
        severity=severity,
        run_severity=run_severity,
        labels=SEVERITY_LABELS,
        counted=counted,
        expiry_severity=expiry_severity,
        timeline=timeline,
    )
    return environment


def _printable(value: object) -> object:
    """Every value a template prints, as the terminal shows it: without terminal sequences or
    control characters, whichever field of a run or a review it comes from. Markup (a macro's
    output) stays markup; it was made from values that came through here."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(plain(value))
    return plain(value)


def run_severity(record: RunRecord) -> Severity:
    """A fleet is as severe as its most severe environment; a run, as its outcome."""
    if record.fleet:
        return most_severe([severity(e.outcome, e.exit_code) for e in record.fleet])
    return severity(record.outcome, record.exit_code)


def render_report(folder: Path, reviews: Sequence[Review] = ()) -> str:
    """The report of a run folder, from its run.json and its reviews: the same every time."""
    record = load_record(folder)
    files = {artifact.file for artifact in record.artifacts}
    files |= {step.screenshot for step in record.steps if step.screenshot}
    return (
        _environment()
        .get_template("report.html")
        .render(
            run=record,
            folder=folder.name,
            plain=PLAIN_OUTCOMES.get(record.outcome, record.outcome),
            fields=FIELD_LABELS,
            present={name for name in files if (folder / name).is_file()},
            reviews=reviews,
        )
    )


def build_report(folder: Path, reviews: Sequence[Review] = ()) -> Path:
    """Write folder/report.html from its run.json; it opens offline, from disk."""
    path = folder / REPORT
    write_atomically(path, render_report(folder, reviews).encode())
    return path


def list_runs(root: Path) -> list[tuple[Path, RunRecord]]:
    """Every run folder under root with a readable run.json, newest first."""
    runs = []
    for folder in root.iterdir() if root.is_dir() else []:
        if folder.is_dir() and (folder / "run.json").is_file():
            try:
                runs.append((folder, load_record(folder)))
            except ValueError:
                continue  # not a run this tool can read; audit verify reports such folders
    return sorted(runs, key=lambda item: (item[1].started_at, item[0].name), reverse=True)


def build_index(root: Path, reviews: Mapping[str, Sequence[Review]] | None = None) -> Path:
    """Write root/index.html listing every run, newest first, linking each report, with the
    latest review of each (`reviews` by run folder, as the audit log names them)."""
    html = (
        _environment()
        .get_template("index.html")
        .render(
            runs=[(os.path.relpath(folder, root), record) for folder, record in list_runs(root)],
            plain=PLAIN_OUTCOMES,
            reviews=reviews or {},
        )
    )
    path = root / INDEX
    write_atomically(path, html.encode())
    return path
