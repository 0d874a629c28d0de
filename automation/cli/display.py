"""How a run's result is shown: rich tables for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import typer
from rich.console import Console
from rich.status import Status
from rich.text import Text

from automation.cli.consoles import console, errors
from automation.cli.literal import markup, shown
from automation.cli.proposal import license_table
from automation.errors import ScLicenseError
from automation.evidence.anchors import AuditHead, audit_head
from automation.evidence.records import NextCommand, RunRecord
from automation.evidence.report import REPORT
from automation.evidence.run import StepEvent
from automation.identity import ApprovalRecord
from automation.outcomes import Headline, Severity, expiry_severity, headline, severity
from automation.runner import Finished
from automation.text import plain

# The report's colours: green done as intended, amber nothing changed, red act now.
SEVERITY_COLOURS: dict[Severity, str] = {"done": "green", "unchanged": "yellow", "act-now": "red"}


def headline_json(top: Headline) -> dict[str, str]:
    """A headline as --json gives it: the severity, its label, the counts, and the line."""
    return {**top._asdict(), "text": str(top)}


def colour_of(outcome: str, exit_code: int | None = None) -> str:
    """The colour an outcome is shown in, by what it means to a reviewer."""
    return SEVERITY_COLOURS[severity(outcome, exit_code)]


class MoreOfARun(Protocol):
    """What a command adds to a run's display: keys in --json, lines after the rest."""

    def json(self, folder: Path) -> dict[str, object]: ...

    def show(self, folder: Path) -> None: ...


def show_run(run: Finished, *, as_json: bool, more: MoreOfARun | None = None) -> None:
    record = run.record
    if run.unsealed:
        errors.print(markup("[bold red]Warning:[/] {}", run.unsealed))
    head = audit_head(run.folder.parent)
    if as_json:
        data = json.loads(record.model_dump_json())
        shown_head = {"audit_head": head.model_dump() if head else None}
        added = more.json(run.folder) if more else {}
        top = {"headline": headline_json(headline([(record.outcome, record.exit_code)]))}
        said = {**data, "run_folder": str(run.folder), **top, **shown_head, **added}
        print(json.dumps(said, indent=2))
        return
    console.print(
        markup("[bold]{}[/] on [bold]{}[/] ({})", record.flow, record.environment, record.url)
    )
    show_who_and_why(record)
    failed = [step for step in record.steps if step.status == "failed"]
    if not record.steps:  # refused before the first step: nothing ran, so nothing passed
        console.print("0 steps run")
    elif failed:
        console.print(
            markup(
                "Steps: {}, failed at {}. {}", len(record.steps), failed[0].number, failed[0].name
            )
        )
    elif record.error is None:
        console.print(f"Steps: {len(record.steps)}, all passed")
    else:  # refused between steps, e.g. a file that is no license, before the first
        console.print(f"Steps: {len(record.steps)} passed, then it stopped")
    if record.license_before or record.license_after:
        console.print(
            license_table(record.license_before, record.license_file, record.license_after)
        )
    if record.days_left is not None:  # status: how long the license has, as recorded
        shown_license = record.license_after or record.license_before
        valid = shown_license.valid if shown_license else True
        colour = SEVERITY_COLOURS[expiry_severity(record.days_left, record.warn_days, valid)]
        judged = "" if record.warn_days is None else f" (warn within {record.warn_days})"
        console.print(markup(f"Days left: [{colour}]{{}}[/]{{}}", record.days_left, judged))
    for check in record.checks:
        mark = "[green]ok[/]" if check.passed else "[red]refused[/]"
        console.print(markup(f"Check {{}}: {mark} - {{}}", check.name, check.detail))
    for warning in record.warnings:
        if not said_again(warning, record):
            errors.print(markup("[yellow]Warning:[/] {}", warning))
    if record.error:
        colour = colour_of(record.outcome, record.exit_code)
        whole(
            errors,
            markup(f"[bold {colour}]{{}}:[/] {{}}", record.outcome, record.error.message),
        )
        if record.error.hint:
            whole(errors, markup("[yellow]What to do:[/] {}", record.error.hint))
        show_commands(record)
        changed = record.license_file.text_form if record.license_file else None
        if record.outcome == "rejected" and record.license_file and changed:
            errors.print(
                markup(
                    "[yellow]What to do:[/] {} has {}: if it was opened in an editor or copied as "
                    "text (git, FTP in text mode) since it was issued, that may be why. Download "
                    "it again from the Licensing Portal and give it as it came.",
                    record.license_file.name,
                    changed,
                )
            )
    else:
        colour = colour_of(record.outcome, record.exit_code)
        console.print(markup(f"[bold {colour}]{{}}:[/] {{}}", record.outcome, record.message))
    if record.backup:
        whole(console, markup("Backup: {}", run.folder / record.backup.file))
    whole(console, markup("Evidence: {}", run.folder))
    if (run.folder / REPORT).exists():
        whole(console, markup("Report: {}", run.folder / REPORT))
    show_head(head)
    if more is not None:
        more.show(run.folder)


def whole(where: Console, text: Text) -> None:
    """Print `text` wrapped between words at the terminal's width; where one word (a path)
    is longer than that, as one line the terminal may wrap, never cut by us."""
    longest = max((len(word) for word in text.plain.split()), default=0)
    where.print(text, soft_wrap=longest > where.width)


def said_again(warning: str, record: RunRecord) -> bool:
    """A warning whose reason the error message says anyway (e.g. "Rolling back: REASON")."""
    reason = warning.split(": ", 1)[-1]
    return record.error is not None and reason in record.error.message


def show_commands(record: RunRecord) -> None:
    """Each command to run next on a line of its own, whole and unwrapped, to copy as is."""
    show_next(record.error.commands if record.error else [])


def show_next(commands: list[NextCommand]) -> None:
    """Commands to run next, each on a line of its own, whole and unwrapped."""
    for next_command in commands:
        errors.print(markup("[yellow]{}:[/]", next_command.says))
        errors.print(
            f"  {plain(next_command.command)}", markup=False, highlight=False, soft_wrap=True
        )


def show_head(head: AuditHead | None) -> None:
    """Where the audit log ends, to note elsewhere: `audit verify --head` checks it later."""
    if head is not None:
        console.print(
            markup("Audit head: {}:{}", head.lines, head.sha256), soft_wrap=True
        )  # LINES:SHA256 on one line, to copy into `audit verify --head` whole


def show_who_and_why(record: RunRecord) -> None:
    """Who ran it, under which change ticket, why, and how the upload was approved."""
    if record.actor is not None:
        console.print(markup("By: {}", record.actor))
        if record.actor.ci is not None and record.actor.ci.run_url:
            console.print(markup("CI run: {}", record.actor.ci.run_url))
    if record.change:
        console.print(markup("Change: {}", record.change))
    if record.reason:
        console.print(markup("Reason: {}", record.reason))
    if record.approval is not None:
        show_approval(record.approval)


def show_approval(approval: ApprovalRecord, environment: str | None = None) -> None:
    """How an upload was approved, by whom and when (`environment`: a fleet's member's); in CI,
    where the change's approval is, as the CI system told the job or not."""
    verdict = "approved" if approval.approved else "not approved"
    named = f" ({environment})" if environment else ""
    whole(
        console,
        markup(
            "Approval{}: {} ({}), by {} at {} UTC",
            named,
            verdict,
            approval.how,
            approval.by,
            f"{approval.at:%Y-%m-%d %H:%M:%S}",
        ),
    )
    if approval.by.ci is not None and approval.in_ci:
        whole(console, markup("Approval in {}{}: {}", approval.by.ci.system, named, approval.in_ci))


class live_steps:
    """Show each step as it starts (a spinner) and as it ends (passed or failed, and time)."""

    def __init__(self) -> None:
        self.status: Status | None = None

    def __call__(self, event: StepEvent) -> None:
        if event.kind == "start":
            self.status = errors.status(shown(f"{event.number}. {event.name}"))
            self.status.start()
            return
        if self.status is not None:
            self.status.stop()
        step = event.record
        if step is None:
            return
        mark = "[green]passed[/]" if step.status == "passed" else "[bold red]failed[/]"
        errors.print(
            markup(f"{step.number:>2}. {{}}  {mark}  [dim]{step.duration_ms} ms[/]", step.name)
        )


@contextmanager
def expected_errors(debug: bool = False) -> Iterator[None]:
    """Turn an expected failure before any run folder exists into a message and exit code."""
    try:
        yield
    except ScLicenseError as error:
        if debug:
            raise
        errors.print(markup("[bold red]{}[/]", error.message))
        if error.hint:
            errors.print(markup("[yellow]What to do:[/] {}", error.hint), soft_wrap=True)
        raise typer.Exit(error.exit_code) from None
