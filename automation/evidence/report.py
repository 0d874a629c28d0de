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
    Headline,
    Severity,
    expiry_severity,
    fleet_headline_of,
    headline,
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
# The index lists this many runs, the newest: its size, and the cost of putting a new run's row
# in it, stay the same however long the history; `audit list` lists every run.
INDEX_ROWS = 1000


@cache
def _environment() -> Environment:
    """One for the process: a fleet renders a report per environment, and each template is
    compiled once."""
    # Imported here: a run writes its report after the browser closes, so its start does not
    # wait for the template engine.
    from jinja2 import Environment, PackageLoader, select_autoescape

    from automation.evidence.template_cache import template_cache
    from automation.evidence.tokens import whole

    environment = Environment(
        loader=PackageLoader("automation.evidence", "templates"),
        autoescape=select_autoescape(),
        finalize=_printable,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_cache(),
    )
    environment.filters["whole"] = whole  # serials, codes, addresses and folders kept whole
    environment.globals.update(
        severity=severity,
        run_severity=run_severity,
        run_headline=run_headline,
        labels=SEVERITY_LABELS,
        expiry_severity=expiry_severity,
        timeline=timeline,
        index_key=index_key,
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


def run_headline(record: RunRecord) -> Headline:
    """What heads a run's report, as the terminal heads it: a fleet by its environments'
    endings, a run by its own."""
    endings = None if record.fleet is None else [(e.outcome, e.exit_code) for e in record.fleet]
    top = fleet_headline_of(endings, record.outcome)
    return top or headline([(record.outcome, record.exit_code)])


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
    from markupsafe import Markup

    reviews = reviews or {}
    rows = "".join(
        index_row(name, record, reviews.get(name, ()))
        for name, record in ((os.path.relpath(f, root), r) for f, r in list_runs(root)[:INDEX_ROWS])
    )
    html = _environment().get_template("index.html").render(rows=Markup(rows), most=INDEX_ROWS)
    path = root / INDEX
    write_atomically(path, html.encode())
    return path


def index_row(name: str, record: RunRecord, reviews: Sequence[Review] = ()) -> str:
    """One run's row of the index (`name`: its folder under the recordings), on a line of
    its own: the same whether the whole index is built or the row is put in place."""
    row = (
        _environment()
        .get_template("_index_row.html")
        .render(folder=name, run=record, plain=PLAIN_OUTCOMES, reviews={name: reviews})
    )
    return "  " + " ".join(line.strip() for line in row.strip().splitlines()) + "\n"


def index_key(name: str, record: RunRecord) -> str:
    """What orders the index's rows, newest first: when the run started, then its folder."""
    return f"{record.started_at:%Y-%m-%dT%H:%M:%S.%f} {name}"


ROW = '  <tr data-key="'


def with_rows(page: str, rows: Sequence[str]) -> str | None:
    """The index `page` with each run's row (by folder) put in place: an earlier row of the run
    replaced, a new one placed by when it started. Only the rows passed by are read, so a
    new run's row costs the same however many runs the index lists. None if `page` is not
    an index of this shape (one written before rows were keyed): it is then built whole."""
    if "</table>" not in page or page.count("<tr data-") != page.count(ROW):
        return None
    for row in rows:
        key = row_key(row)
        mine = page.find(f'{ROW}{key}"')
        if mine >= 0:
            page = page[:mine] + page[page.index("\n", mine) + 1 :]
        at = page.find(ROW)
        while at >= 0 and page[at + len(ROW) : page.index('"', at + len(ROW))] > key:
            at = page.find(ROW, at + 1)
        if at < 0:
            at = page.rfind("</table>")
        page = page[:at] + row + page[at:]
    for _ in range(page.count(ROW) - INDEX_ROWS):  # the oldest go: it lists the newest runs
        oldest = page.rfind(ROW)
        page = page[:oldest] + page[page.index("\n", oldest) + 1 :]
    return page


def row_key(row: str) -> str:
    """The key of a row made by `index_row`, as the template wrote it (HTML-escaped)."""
    start = row.index(ROW) + len(ROW)
    return row[start : row.index('"', start)]
