"""`sc-license audit ...`: list runs, rebuild reports, verify evidence, scan for a secret."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from automation.browser.pdf import print_pdf
from automation.cli.consoles import console, errors
from automation.cli.display import SEVERITY_COLOURS, colour_of, expected_errors
from automation.cli.fit import streamed
from automation.cli.literal import markup, shown
from automation.cli.options import Browser, BrowserChannel, Out
from automation.cli.run_filter import RunFilter
from automation.cli.state import state_folder
from automation.config import LaunchOptions
from automation.defaults import OUT
from automation.errors import BadInput, EvidenceDoesNotVerify, ExitCode
from automation.evidence.anchors import head_problem, parse_head
from automation.evidence.audit import rebuild_report
from automation.evidence.chain import read_chain, read_reviews
from automation.evidence.head import read_head
from automation.evidence.liveness import cut_off_runs
from automation.evidence.records import Review
from automation.evidence.report import PDF
from automation.evidence.runs import ListedRun, listed_runs
from automation.evidence.secret_scan import scan
from automation.evidence.signing import KeyCheck, signature_problems
from automation.evidence.verify import Verdict, verify
from automation.text import plain

audit_app = typer.Typer(
    help="Review evidence: list runs, build reports, verify, scan, review, sign the head."
)

MIN_SECRET_LENGTH = 8

Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _has_head(state: Path, out: Path) -> bool:
    """Whether runs were ever sealed in `out` (an unreadable head counts: verify says why)."""
    try:
        return read_head(state, out) is not None
    except ValueError:
        return True


def run_folder(run: str, out: Path) -> Path:
    """A run given as a path, or as a folder name under the recordings root."""
    for candidate in (Path(run), out / run):
        if (candidate / "run.json").is_file():
            return candidate
    errors.print(
        markup("[bold red]{} is not a run folder[/] (no run.json there or under {}).", run, out)
    )
    raise typer.Exit(ExitCode.BAD_INPUT)


def evidence_folder(out: Path) -> Path:
    """--out, if it is a folder; else a clear refusal (exit 2) saying what is there."""
    if out.is_dir():
        return out
    what = "is a file, not a folder" if out.exists() else "does not exist"
    raise BadInput(
        f"{out} {what}: no runs were recorded there.",
        hint="Give --out the folder the runs were recorded in, or run `sc-license demo` to "
        "record one.",
    )


@contextmanager
def unreadable(out: Path) -> Iterator[None]:
    """An evidence folder or file that cannot be read is a refusal (exit 2), not a traceback."""
    try:
        yield
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise BadInput(
            f"The evidence under {out} cannot be read: {error.strerror or error}{where}.",
            hint="Check --out, and that this user may read the folder and its files.",
        ) from None


@contextmanager
def evidence_errors(out: Path) -> Iterator[None]:
    """Expected failures and unreadable evidence: a message and an exit code."""
    with expected_errors(), unreadable(out):
        yield


@audit_app.command("list")
def list_(
    out: Out = OUT,
    json_: Json = False,
    unreviewed: Annotated[
        bool, typer.Option("--unreviewed", help="Only the runs no one has reviewed yet.")
    ] = False,
    env: Annotated[
        str | None, typer.Option("--env", metavar="NAME", help="Only the runs on this environment.")
    ] = None,
    flow: Annotated[
        str | None,
        typer.Option("--flow", metavar="NAME", help="Only the runs of this flow, e.g. install."),
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome", metavar="NAME", help="Only the runs that ended so, e.g. installed."
        ),
    ] = None,
    since_: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE|DURATION",
            help="Only the runs started since a date (2026-11-01, UTC) or for a duration "
            "back from now (30m, 12h, 7d, 2w).",
        ),
    ] = None,
    change: Annotated[
        str | None,
        typer.Option(
            "--change",
            metavar="TICKET",
            help="Only the runs made under this change ticket (as given with --change; "
            "upper or lower case alike).",
        ),
    ] = None,
) -> None:
    """Every run, newest first, each fleet's environments right after it: time, environment,
    flow, outcome, review, report; and the runs that were cut off (their process ended before
    sealing them)."""
    with evidence_errors(out):
        chosen = RunFilter.of(env, flow, outcome, since_, datetime.now(UTC), change)
        reviews = read_reviews(evidence_folder(out))
        recorded = listed_runs(out)
        cut = cut_off_runs(out, state_folder())
    runs = [
        (folder, record)
        for folder, record in recorded
        if chosen.keeps(record) and not (unreviewed and reviews.get(os.path.relpath(folder, out)))
    ]
    latest = {name: said[-1] for name, said in reviews.items()}
    if json_:
        print_json_rows(out, runs, latest, cut)
    elif runs:
        print_rows(out, runs, latest, cut)
    if not recorded:
        errors.print(
            markup(
                "No runs in {} — run `sc-license demo`, or give --out.",
                f"{out}{os.sep}",
            )
        )
    elif not runs:
        errors.print(markup("No runs in {} match; `audit list` alone lists them all.", out))
    for name, said in cut.items() if not json_ else []:
        errors.print(f"[bold red]{escape(name)}[/]: {escape(said)}")


def print_json_rows(
    out: Path, runs: list[tuple[Path, ListedRun]], latest: dict[str, Review], cut: dict[str, str]
) -> None:
    """The runs as a JSON array, written a run at a time."""
    write = sys.stdout.write
    write("[")
    for number, (folder, record) in enumerate(runs):
        name = os.path.relpath(folder, out)
        row = {
            "run_folder": str(folder),
            "started_at": record.started_at.isoformat(),
            "environment": record.environment,
            "flow": record.flow,
            "outcome": record.outcome,
            "exit_code": record.exit_code,
            "operator": record.operator,
            "actor": record.actor.model_dump(mode="json") if record.actor else None,
            "change": record.change,
            "reason": record.reason,
            "fleet_run": str(folder.parent / record.fleet_run) if record.fleet_run else None,
            "environments": len(record.fleet) if record.fleet is not None else None,
            "headline": str(said) if (said := record.headline) else None,
            "report": str(folder / "report.html"),
            "cut_off": cut.get(folder.name),
            "review": latest[name].model_dump(mode="json") if name in latest else None,
        }
        write(("," if number else "") + "\n" + textwrap.indent(json.dumps(row, indent=2), "  "))
    write("\n]\n" if runs else "]\n")


# How many runs are printed at a time: the output streams, each batch as one piece of text.
BATCH = 500
HEADER = ("Started (UTC)", "Environment", "Flow", "Outcome", "Who", "Review", "Run folder")
CHANGE = "Change"  # a column after Who, when a run listed was made under a change ticket
Cells = list[tuple[str, str]]  # each column's text, as it is shown, and its style
# What a fleet that had no environment to run (an empty shard) ended as, and how a fleet's
# environment is set under it.
NOTHING_TO_DO = "nothing to do"
MEMBER = "  "


def print_rows(
    out: Path, runs: list[tuple[Path, ListedRun]], latest: dict[str, Review], cut: dict[str, str]
) -> None:
    """The runs as `audit list` shows them on a terminal: a line each, in columns as wide as
    their widest value, if they fit the terminal, else a key: value list per run (no value
    cut across lines); printed a batch at a time rather than laid out as one table."""
    fleets = {folder.name for folder, record in runs if record.fleet is not None}
    changes = any(record.change for _, record in runs)
    header = (*HEADER[:5], CHANGE, *HEADER[5:]) if changes else HEADER
    rows = []
    for folder, record in runs:
        cells = _cells(out, folder, record, latest, cut, under_fleet=record.fleet_run in fleets)
        if changes:
            cells.insert(5, (plain(record.change or "-"), "" if record.change else "dim"))
        rows.append(cells)
    console.print(shown(f"Runs in {out}", "italic"), soft_wrap=True)
    for lines in streamed(header, rows, console.width, BATCH):
        if console.color_system is None:  # no colours to show: the text as it is, at once
            console.file.write(lines.plain + "\n")
        else:
            console.print(lines, soft_wrap=True)


def _cells(
    out: Path,
    folder: Path,
    record: ListedRun,
    latest: dict[str, Review],
    cut: dict[str, str],
    *,
    under_fleet: bool = False,
) -> Cells:
    colour = colour_of(record.outcome, record.exit_code)
    review = latest.get(os.path.relpath(folder, out))
    if folder.name in cut:
        outcome = ("cut off", "red")
    elif record.nothing_to_do:
        outcome = (NOTHING_TO_DO, "dim")
    elif (said := record.headline) is not None:  # a fleet: as its report and terminal say
        outcome = (plain(str(said)), SEVERITY_COLOURS[said.severity])
    else:
        outcome = (plain(record.outcome), colour)
    member = MEMBER if under_fleet else ""  # set under its fleet, listed just before it
    return [
        (f"{record.started_at:%Y-%m-%d %H:%M:%S}", ""),
        (member + plain(record.environment), ""),
        (plain(record.flow), ""),
        outcome,
        (plain(str(record.actor) if record.actor else record.operator), ""),
        (
            plain(f"{review.verdict} ({review.reviewer})") if review else "not reviewed",
            ("green" if review.verdict == "accepted" else "red") if review else "dim",
        ),
        (plain(folder.name), ""),
    ]


@audit_app.command()
def report(
    run: Annotated[str, typer.Argument(help="Run folder.")],
    out: Out = OUT,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help="Also print it to report.pdf (A4) beside it, with Chromium. The PDF is "
            "derived: not sealed, and `audit verify` leaves it out.",
        ),
    ] = False,
    browser: Browser = None,
    browser_channel: BrowserChannel = None,
) -> None:
    """(Re)build a run's report.html, and the recordings index; only for a run that verifies.
    With --pdf, print it to report.pdf too."""
    folder = run_folder(run, out)
    with expected_errors():
        try:
            with unreadable(out):
                path = rebuild_report(folder.parent, folder, state_folder())
        except EvidenceDoesNotVerify as error:
            errors.print(f"[bold red]{escape(error.message)}[/]")
            for problem in error.problems:
                errors.print(f"[red]FAILED[/] {escape(problem)}")
            errors.print(f"[yellow]What to do:[/] {escape(error.hint)}")
            raise typer.Exit(error.exit_code) from None
    console.print(markup("Report: {} (rebuilt; the audit log records it)", path))
    if pdf:
        with expected_errors():
            printed = print_pdf(
                path, folder / PDF, LaunchOptions(executable=browser, channel=browser_channel)
            )
        console.print(markup("PDF: {} (derived from the report; not sealed)", printed))


@audit_app.command("verify")
def verify_(
    runs: Annotated[list[str] | None, typer.Argument(help="Run folders (default: all).")] = None,
    out: Out = OUT,
    head: Annotated[
        str | None,
        typer.Option(
            help="An audit head noted elsewhere (SHA256, or LINES:SHA256, as printed after a "
            "run): the log must still hold that line, and every line before it, unchanged."
        ),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(
            help="The public key (PEM) the head was signed with (`audit sign`): every "
            "signature by it must be genuine and name a line the log still holds; the runs "
            "logged after its newest signature are named as not signed."
        ),
    ] = None,
    json_: Json = False,
) -> None:
    """Check every file against run.json, run.json against its line in the audit log and its
    report, the log, the index and the signatures against the head kept outside the
    recordings, and unsealed runs against their process; with --head or --key, the log
    against a head noted or signed elsewhere."""
    state = state_folder()
    with expected_errors():
        named = parse_head(head) if head else None
    with evidence_errors(out):
        verdicts = _verdicts(runs, out, state)
        problems = [problem for verdict in verdicts for problem in verdict.problems]
        notes = [note for verdict in verdicts for note in verdict.notes]
        if named is not None:
            found = head_problem(read_chain(out), *named, "the head given with --head")
            problems += [found] if found else []
        by_key = KeyCheck()
        if key is not None:
            with expected_errors():
                by_key = signature_problems(out, key)
            problems += by_key.problems
        problems = list(dict.fromkeys(problems))  # verify and the key may find the same
    checked = sum(verdict.runs for verdict in verdicts)
    under_way = sum(verdict.under_way for verdict in verdicts)
    if json_:
        result = {
            "verified": not problems,
            "runs": checked,
            "under_way": under_way,
            "head_checked": named is not None,
            "signatures_checked": by_key.checked,
            "unsigned": list(by_key.unsigned) if key is not None else None,
            "problems": problems,
            "notes": notes,
        }
        print(json.dumps(result, indent=2))
    for problem in problems if not json_ else []:
        errors.print(markup("[red]FAILED[/] {}", problem))
    if problems:
        if not json_:
            errors.print(
                f"[bold red]{len(problems)} problem(s): this evidence cannot be trusted as is.[/]"
            )
        raise typer.Exit(ExitCode.EVIDENCE_DOES_NOT_VERIFY)
    if json_:
        return
    _show_verified(out, checked, under_way, named is not None, by_key, notes)


def _verdicts(runs: list[str] | None, out: Path, state: Path) -> list[Verdict]:
    """The verdicts on the runs named, each root of them apart, or on every run under --out."""
    if runs:
        folders = [run_folder(run, out) for run in runs]
        roots = {folder.parent.resolve() for folder in folders}
        return [
            verify(root, state, [f for f in folders if f.parent.resolve() == root])
            for root in sorted(roots)
        ]
    # A folder that is gone, though a head says runs were sealed there, is evidence
    # deleted (verify says so, exit 7); one that never held runs is a mistyped --out.
    if not out.is_dir() and not _has_head(state, out):
        errors.print(markup("[bold red]{} is not a folder of run evidence.[/]", out))
        errors.print("[yellow]What to do:[/] Give --out the folder the runs were recorded in.")
        raise typer.Exit(ExitCode.BAD_INPUT)
    return [verify(out, state)]


def _show_verified(
    out: Path, checked: int, under_way: int, head_given: bool, by_key: KeyCheck, notes: list[str]
) -> None:
    """What `audit verify` says when no problem was found."""
    if not checked and not under_way:
        errors.print(
            markup("No runs in {} — run `sc-license demo`, or give --out.", f"{out}{os.sep}")
        )
    still = f"; {under_way} still under way, not sealed yet" if under_way else ""
    anchors = " and the head given" if head_given else ""
    if by_key.newest:
        number, line = by_key.newest
        anchors += f" and {by_key.checked} signed head(s) (the newest, #{number}, at line {line})"
    console.print(
        f"[green]OK[/] {checked} run(s) verified: files, run.json, the audit log and its head"
        f"{anchors} agree{still}."
    )
    for note in notes:
        console.print(markup("[yellow]Note:[/] {}", note))
    for run, line in by_key.unsigned.items():
        console.print(
            markup(
                "[yellow]Not signed:[/] {} (its last line, {}, comes after the newest head signed "
                "with this key): no signature vouches for it yet",
                run,
                line,
            )
        )


@audit_app.command("scan")
def scan_(
    run: Annotated[str, typer.Argument(help="Run folder.")],
    secret_env: Annotated[
        str, typer.Option(help="The environment variable holding the secret to look for.")
    ],
    out: Out = OUT,
) -> None:
    """Look for a secret in every file of a run (traces unzipped): plain, URL-encoded, base64."""
    secret = os.environ.get(secret_env)
    if not secret:
        errors.print(markup("[bold red]{} is not set[/]: nothing to look for.", secret_env))
        raise typer.Exit(ExitCode.BAD_INPUT)
    if len(secret) < MIN_SECRET_LENGTH:
        errors.print(
            f"[bold red]The secret is shorter than {MIN_SECRET_LENGTH} characters[/]: it would "
            "match by chance in images and archives, so the scan would prove nothing."
        )
        raise typer.Exit(ExitCode.BAD_INPUT)
    folder = run_folder(run, out)
    with evidence_errors(out):
        hits = scan(folder, secret)
    places: dict[str, list[str]] = {}
    for hit in hits:
        places.setdefault(hit.place, []).append(hit.form)
    for place, forms in places.items():
        errors.print(markup("[red]FOUND[/] the secret in {} ({})", place, ", ".join(forms)))
    if hits:
        raise typer.Exit(ExitCode.EVIDENCE_DOES_NOT_VERIFY)
    console.print(
        markup("[green]OK[/] the secret appears nowhere in {} (in any form looked for).", folder)
    )
