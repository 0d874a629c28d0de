"""A run's endings as JUnit XML, the format CI systems show natively: one test case per
environment (classname the flow, name the environment).

Which outcome reads as what, by the severity groups of automation/outcomes.py:
- passed: done as intended (installed, backed up, read), unless `status` found the license
  needs attention (shown invalid, or ending within --warn-days): then a failure saying why.
- skipped: nothing to do (already installed, a dry run, no license to back up, or not started
  because others had failed: those failures are their own cases).
- failure: refused, not approved, rejected, rolled back, no file for the serial, not
  verified, rollback failed; and a run that failed for a known reason (bad input, cannot
  reach or sign in).
- error: a run that did not reach a known ending (an unexpected error, interrupted, cut off).
A failure or error carries the run's message and a link to its report.html, and the
screenshot of its last failed step (else its last) as an attachment in GitLab's and Jenkins'
(JUnit Attachments plugin) convention: a `[[ATTACHMENT|path]]` line in the case's
<system-out>, the path relative to the folder the CI job runs in (both resolve it from there:
GitLab within the job's artifacts, Jenkins within the workspace), or absolute when the
screenshot lies outside it.

A test case is named for its environment, a dry run's with " [dry run]" after it ("prod [dry
run]"): a job that rehearses and then changes writes two files, and a CI system keeps one case
of a name (GitLab the first). The file is valid against the Jenkins xUnit plugin's junit-10.xsd
(tests/evidence/schemas/): the counts of skipped cases are on the <testsuite>, which takes
them, not on <testsuites>, which does not."""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from automation.evidence.files import replace_with_retry
from automation.evidence.records import FleetEntry, RunRecord, load_record
from automation.outcomes import severity

Verdict = Literal["passed", "failure", "error", "skipped"]
NOTHING_TO_DO = frozenset({"unchanged", "dry-run", "no-license", "not-started"})
UNFINISHED = frozenset({"failed", "interrupted", "running"})
ATTENTION = "license-needs-attention"
DRY_RUN = " [dry run]"


def verdict_of(entry: FleetEntry, attention: str | None = None) -> Verdict:
    """What one environment's ending reads as in JUnit; see the module's docstring."""
    if entry.outcome in NOTHING_TO_DO:
        return "skipped"
    group = severity(entry.outcome, entry.exit_code)
    if group == "act-now" and entry.outcome in UNFINISHED:
        return "error"
    if group == "done" and entry.exit_code == 0:
        return "failure" if attention else "passed"
    return "failure"


@dataclass(frozen=True)
class JunitCase:
    """One environment's ending, and what the JUnit file says of it."""

    entry: FleetEntry
    report: Path | None  # its report.html, when it has a run folder
    attention: str | None = None  # why it needs attention, e.g. "the license ends in 3 days"
    dry_run: bool = False  # a rehearsal: its case is named apart from the change's


def junit_tree(
    flow: str, cases: list[JunitCase], written_to: Path, *, workspace: Path | None = None
) -> ET.ElementTree:
    """<testsuites><testsuite><testcase/>...; report links relative to the file's folder,
    screenshots attached relative to `workspace` (the folder the CI job runs in; by default
    the current one)."""
    workspace = workspace or Path.cwd()
    rehearsal = bool(cases) and all(case.dry_run for case in cases)
    suite = ET.Element("testsuite", name=f"sc-license {flow}{DRY_RUN if rehearsal else ''}")
    counts = {"failure": 0, "error": 0, "skipped": 0}
    total = 0.0
    for case in cases:
        record = _record(case.report)
        seconds = _seconds(record)
        total += seconds
        element = ET.SubElement(
            suite,
            "testcase",
            classname=flow,
            name=case.entry.environment + (DRY_RUN if case.dry_run else ""),
            time=f"{seconds:.3f}",
        )
        verdict = verdict_of(case.entry, case.attention)
        link = _link(case.report, written_to.parent)
        shot = None
        if verdict in ("failure", "error"):
            counts[verdict] += 1
            shot = _where_it_went_wrong(case.report, record)
            attention = case.attention if verdict == "failure" and case.attention else None
            message = attention or case.entry.message or case.entry.outcome
            ending = ET.SubElement(
                element,
                verdict,
                message=message,
                type=ATTENTION if attention else case.entry.outcome,
            )
            # The text says it all again: GitLab shows the text, never the message attribute.
            lines = [message, case.entry.message, case.entry.reason]
            lines.append(f"Report: {link}" if link else None)
            ending.text = "\n".join(dict.fromkeys(line for line in lines if line))
        elif verdict == "skipped":
            counts["skipped"] += 1
            ET.SubElement(element, "skipped", message=case.entry.message or case.entry.outcome)
        out = [f"Report: {link}" if link else None, _attachment(shot, workspace)]
        if any(out):
            ET.SubElement(element, "system-out").text = "\n".join(line for line in out if line)
    attributes = {
        "tests": str(len(cases)),
        "failures": str(counts["failure"]),
        "errors": str(counts["error"]),
        "time": f"{total:.3f}",
    }
    suite.attrib.update({**attributes, "skipped": str(counts["skipped"])})
    root = ET.Element("testsuites", {"name": "sc-license", **attributes})
    root.append(suite)
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(path: Path, tree: ET.ElementTree) -> None:
    """Write the file whole or not at all: a CI system never reads half of one. Its folder
    is made if need be."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            tree.write(file, encoding="utf-8", xml_declaration=True)
            file.flush()
            os.fsync(file.fileno())
        replace_with_retry(Path(temporary), path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _link(report: Path | None, folder: Path) -> str | None:
    """The report as a path relative to the JUnit file's folder, or a file URL when there is
    none (another drive)."""
    if report is None:
        return None
    try:
        return Path(os.path.relpath(report.absolute(), folder.absolute())).as_posix()
    except ValueError:
        return report.absolute().as_uri()


def _attachment(shot: Path | None, workspace: Path) -> str | None:
    """The screenshot as GitLab and Jenkins attach it to a test case: a line of its own."""
    if shot is None:
        return None
    try:
        path = shot.absolute().relative_to(workspace.absolute()).as_posix()
    except ValueError:
        path = shot.absolute().as_posix()  # outside the job's folder: only Jenkins finds it
    return f"[[ATTACHMENT|{path}]]"


def _record(report: Path | None) -> RunRecord | None:
    """The run's run.json, beside its report; None when there is none to read."""
    if report is None:
        return None
    try:
        return load_record(report.parent)
    except (OSError, ValidationError):
        return None


def _seconds(record: RunRecord | None) -> float:
    """How long the run took, from its run.json; 0 when there is none to read."""
    if record is None or record.finished_at is None:
        return 0.0
    return max(0.0, (record.finished_at - record.started_at).total_seconds())


def _where_it_went_wrong(report: Path | None, record: RunRecord | None) -> Path | None:
    """The screenshot of the last step that failed (a rolled-back change's: the page that did
    not show the new license as valid, not the backup put back; a failed rollback's: the
    rollback's failure), else the last one the run took; of those still in its folder."""
    if report is None or record is None:
        return None
    steps = list(reversed(record.steps))
    failed = [step for step in steps if step.status == "failed"]
    shots = (report.parent / step.screenshot for step in [*failed, *steps] if step.screenshot)
    return next((shot for shot in shots if shot.is_file()), None)
