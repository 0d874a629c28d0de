"""The reviewer's view: report.html in each run folder, and recordings/index.html."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from automation.evidence import write_atomically
from automation.licenses import FIELD_LABELS
from automation.records import RunRecord, load_record

REPORT = "report.html"
INDEX = "index.html"

# The outcome of a run in plain words, for someone who was not there.
PLAIN_OUTCOMES = {
    "running": "The run did not finish (it is still running, or it was killed).",
    "installed": "The new license is installed and Service Center shows it as valid.",
    "unchanged": "The license was already installed; nothing was uploaded.",
    "dry-run": "Dry run: every check passed; nothing was uploaded.",
    "backed-up": "The installed license was backed up.",
    "no-license": "No license is installed, so there was nothing to back up.",
    "no-license-file": "No license file was given for this environment's serial; left as it is.",
    "not-started": "Not started: too many environments had failed already.",
    "done": "Every environment ended as intended.",
    "reported": "The installed license was read.",
    "refused": "Refused before any change; nothing was uploaded.",
    "aborted": "The operator did not approve the change; nothing was uploaded.",
    "rejected": "Service Center rejected the license; the previous license is still installed.",
    "verification-failed": "The license was uploaded but Service Center does not show it.",
    "rolled-back": "The new license did not verify; the previous license was put back.",
    "rollback-failed": "The new license did not verify and the rollback failed: act now.",
    "interrupted": "The run was interrupted.",
    "failed": "The run failed.",
}


@cache
def _environment() -> Environment:
    """One for the process: a fleet renders a report per environment, and each template is
    compiled once."""
    return Environment(
        loader=PackageLoader("automation", "templates"),
        autoescape=select_autoescape(),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(folder: Path) -> str:
    """The report of a run folder, from its run.json alone: the same every time."""
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
        )
    )


def build_report(folder: Path) -> Path:
    """Write folder/report.html from its run.json; it opens offline, from disk."""
    path = folder / REPORT
    write_atomically(path, render_report(folder).encode())
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


def build_index(root: Path) -> Path:
    """Write root/index.html listing every run, newest first, linking each report."""
    html = (
        _environment()
        .get_template("index.html")
        .render(
            runs=[(os.path.relpath(folder, root), record) for folder, record in list_runs(root)],
            plain=PLAIN_OUTCOMES,
        )
    )
    path = root / INDEX
    write_atomically(path, html.encode())
    return path
