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
A failure or error carries the run's message and a link to its report.html."""

from __future__ import annotations

import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from automation.evidence.files import replace_with_retry
from automation.evidence.records import FleetEntry, load_record
from automation.outcomes import severity

Verdict = Literal["passed", "failure", "error", "skipped"]
NOTHING_TO_DO = frozenset({"unchanged", "dry-run", "no-license", "not-started"})
UNFINISHED = frozenset({"failed", "interrupted", "running"})
ATTENTION = "license-needs-attention"


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


def junit_tree(flow: str, cases: list[JunitCase], written_to: Path) -> ET.ElementTree:
    """<testsuites><testsuite><testcase/>...; report links relative to the file's folder."""
    suite = ET.Element("testsuite", name=f"sc-license {flow}")
    counts = {"failure": 0, "error": 0, "skipped": 0}
    total = 0.0
    for case in cases:
        seconds = _seconds(case.report)
        total += seconds
        element = ET.SubElement(
            suite,
            "testcase",
            classname=flow,
            name=case.entry.environment,
            time=f"{seconds:.3f}",
        )
        verdict = verdict_of(case.entry, case.attention)
        link = _link(case.report, written_to.parent)
        if verdict in ("failure", "error"):
            counts[verdict] += 1
            message = case.attention if verdict == "failure" and case.attention else None
            ending = ET.SubElement(
                element,
                verdict,
                message=message or case.entry.message or case.entry.outcome,
                type=ATTENTION if message else case.entry.outcome,
            )
            lines = [case.entry.message, case.entry.reason, f"Report: {link}" if link else None]
            ending.text = "\n".join(dict.fromkeys(line for line in lines if line))
        elif verdict == "skipped":
            counts["skipped"] += 1
            ET.SubElement(element, "skipped", message=case.entry.message or case.entry.outcome)
        if link:
            ET.SubElement(element, "system-out").text = f"Report: {link}"
    attributes = {
        "tests": str(len(cases)),
        "failures": str(counts["failure"]),
        "errors": str(counts["error"]),
        "skipped": str(counts["skipped"]),
        "time": f"{total:.3f}",
    }
    suite.attrib.update(attributes)
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


def _seconds(report: Path | None) -> float:
    """How long the run took, from its run.json; 0 when there is none to read."""
    if report is None:
        return 0.0
    try:
        record = load_record(report.parent)
    except (OSError, ValidationError):
        return 0.0
    if record.finished_at is None:
        return 0.0
    return max(0.0, (record.finished_at - record.started_at).total_seconds())
