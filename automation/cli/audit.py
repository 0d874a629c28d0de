"""`sc-license audit ...`: list runs, rebuild reports, verify evidence, scan for a secret."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from automation.cli.display import console, errors
from automation.cli.literal import markup, shown
from automation.errors import ExitCode
from automation.evidence.audit import rebuild_report, verify
from automation.evidence.report import list_runs
from automation.evidence.secret_scan import scan

audit_app = typer.Typer(help="Review evidence: list runs, build reports, verify, scan.")

MIN_SECRET_LENGTH = 8

Out = Annotated[Path, typer.Option(help="Root folder of run evidence.")]
Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _folder(run: str, out: Path) -> Path:
    """A run given as a path, or as a folder name under the recordings root."""
    for candidate in (Path(run), out / run):
        if (candidate / "run.json").is_file():
            return candidate
    errors.print(
        markup("[bold red]{} is not a run folder[/] (no run.json there or under {}).", run, out)
    )
    raise typer.Exit(ExitCode.BAD_INPUT)


@audit_app.command("list")
def list_(out: Out = Path("recordings"), json_: Json = False) -> None:
    """Every run, newest first: time, environment, flow, outcome, report."""
    runs = list_runs(out)
    if json_:
        rows = [
            {
                "run_folder": str(folder),
                "started_at": record.started_at.isoformat(),
                "environment": record.environment,
                "flow": record.flow,
                "outcome": record.outcome,
                "exit_code": record.exit_code,
                "operator": record.operator,
                "report": str(folder / "report.html"),
            }
            for folder, record in runs
        ]
        print(json.dumps(rows, indent=2))
        return
    table = Table(title=shown(f"Runs in {out}"))
    for column in ("Started (UTC)", "Environment", "Flow", "Outcome", "Operator", "Run folder"):
        table.add_column(column, overflow="fold")
    for folder, record in runs:
        colour = "green" if record.exit_code == 0 else "red"
        table.add_row(
            f"{record.started_at:%Y-%m-%d %H:%M:%S}",
            shown(record.environment),
            shown(record.flow),
            shown(record.outcome, colour),
            shown(record.operator),
            shown(folder.name),
        )
    console.print(table)


@audit_app.command()
def report(
    run: Annotated[str, typer.Argument(help="Run folder.")], out: Out = Path("recordings")
) -> None:
    """(Re)build a run's report.html, and the recordings index."""
    folder = _folder(run, out)
    path = rebuild_report(folder.parent, folder)
    console.print(markup("Report: {} (rebuilt; the audit log records it)", path))


@audit_app.command("verify")
def verify_(
    runs: Annotated[list[str] | None, typer.Argument(help="Run folders (default: all).")] = None,
    out: Out = Path("recordings"),
) -> None:
    """Check every file against run.json, and run.json against the audit log's hash chain."""
    if runs:
        folders = [_folder(run, out) for run in runs]
        problems = []
        for root in {folder.parent.resolve() for folder in folders}:
            problems += verify(root, [f for f in folders if f.parent.resolve() == root])
    else:
        if not out.is_dir():
            errors.print(markup("[bold red]{} is not a folder of run evidence.[/]", out))
            errors.print("[yellow]What to do:[/] Give --out the folder the runs were recorded in.")
            raise typer.Exit(ExitCode.BAD_INPUT)
        folders = [f for f in out.iterdir() if f.is_dir() and not f.name.startswith(".")]
        problems = verify(out)
    for problem in problems:
        errors.print(markup("[red]FAILED[/] {}", problem))
    if problems:
        errors.print(
            f"[bold red]{len(problems)} problem(s): this evidence cannot be trusted as is.[/]"
        )
        raise typer.Exit(ExitCode.EVIDENCE_DOES_NOT_VERIFY)
    console.print(
        f"[green]OK[/] {len(folders)} run(s) verified: files, run.json and the audit log agree."
    )


@audit_app.command("scan")
def scan_(
    run: Annotated[str, typer.Argument(help="Run folder.")],
    secret_env: Annotated[
        str, typer.Option(help="The environment variable holding the secret to look for.")
    ],
    out: Out = Path("recordings"),
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
    folder = _folder(run, out)
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
