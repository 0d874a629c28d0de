"""The CLI's side of many environments: selection, passwords, live progress, summaries."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.live import Live
from rich.table import Table

from automation.config import BrowserOptions, Target
from automation.errors import BadInput
from automation.fleet import FleetJob, FleetProgress, run_fleet
from automation.inventory import PASSWORD_VARIABLE, Environment, load_inventory, shard
from automation.output import console, errors
from automation.passwords import password
from automation.records import FleetEntry
from automation.runner import Flow

# Each environment waits on its server most of the time, so more than one per core pays.
DEFAULT_PARALLEL = max(2, min(8, 2 * (os.cpu_count() or 1)))
# `status --warn-days`: a license ends soon, or is not valid.
LICENSE_NEEDS_ATTENTION = 8


@dataclass(frozen=True)
class Selection:
    """Which environments of the inventory a command works on."""

    inventory: Path
    names: list[str]
    groups: list[str]
    everything: bool
    shard: str | None

    @property
    def given(self) -> bool:
        return bool(self.names or self.groups or self.everything)

    def environments(self) -> list[Environment]:
        chosen = load_inventory(self.inventory).select(self.names, self.groups, self.everything)
        chosen = shard(chosen, self.shard)
        if not chosen:
            raise BadInput(
                "No environment is selected.",
                hint="Check --env, --group or --shard against the inventory.",
            )
        return chosen


def target_of(environment: Environment) -> Target:
    """The environment with its password, read from its variable or asked for on a terminal."""
    variables = [environment.password_variable, PASSWORD_VARIABLE]
    return Target(
        name=environment.name,
        url=environment.url,
        user=environment.user,
        password=password(variables, f"{environment.name} ({environment.url})"),
    )


def options_for(environment: Environment, base: BrowserOptions) -> BrowserOptions:
    """The command's browser options with the environment's own settings on top."""
    update: dict[str, object] = {
        "ignore_https_errors": base.ignore_https_errors or environment.ignore_https_errors,
        "proxy": environment.proxy,
    }
    if environment.navigation_timeout:
        update["navigation_timeout_ms"] = round(environment.navigation_timeout * 1000)
    if environment.action_timeout:
        update["action_timeout_ms"] = round(environment.action_timeout * 1000)
    return base.model_copy(update=update)


def run_many(
    flow_name: str,
    environments: list[Environment],
    flow_for: Callable[[Target], Flow],
    base: BrowserOptions,
    out: Path,
    *,
    parallel: int,
    max_fail: int | None,
    changes: bool,
    as_json: bool,
    interactive: bool = False,
    after: Callable[[list[FleetEntry]], list[str]] | None = None,
) -> tuple[int, list[FleetEntry]]:
    """Run a flow on every environment and show the fleet's progress and summary."""
    targets = [target_of(environment) for environment in environments]  # all asked up front
    jobs = [
        FleetJob(target, flow_for(target), options_for(environment, base))
        for environment, target in zip(environments, targets, strict=True)
    ]
    progress = FleetProgress({environment.name: "waiting" for environment in environments})
    live = not as_json and not interactive
    with (
        Live(
            get_renderable=lambda: _progress_table(progress),
            console=errors,
            auto_refresh=live,
            transient=False,
        )
        if live
        else nullcontext()
    ):
        summary, entries = run_fleet(
            flow_name,
            jobs,
            out,
            parallel=1 if interactive else parallel,  # one question at a time
            max_fail=max_fail,
            endpoint=base.endpoint,
            changes=changes,
            progress=progress,
            after=after,
        )
    code = summary.record.exit_code or 0
    if as_json:
        print(summary.record.model_dump_json(indent=2))
    else:
        console.print(summary_table(entries, out))
        for warning in summary.record.warnings:
            errors.print(f"[yellow]Warning:[/] {warning}")
        console.print(f"[bold]{summary.record.outcome}:[/] {summary.record.message}")
        console.print(f"Fleet summary: {summary.folder / 'report.html'}")
    return code, entries


def summary_table(entries: list[FleetEntry], out: Path) -> Table:
    table = Table(title="Environments")
    for column in ("Environment", "Serial", "Activation code", "Outcome", "Run folder"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        before = entry.license_before.activation_code if entry.license_before else None
        after = entry.license_after.activation_code if entry.license_after else None
        codes = f"{before} -> {after}" if after and after != before else (before or "-")
        colour = "green" if entry.exit_code == 0 else "red"
        serial = entry.shown.serial_number if entry.shown else "-"
        table.add_row(
            entry.environment,
            serial or "-",
            codes,
            f"[{colour}]{entry.outcome}[/]",
            entry.run_folder or "-",
        )
    return table


def status_table(entries: list[FleetEntry], today: date) -> Table:
    table = Table(title="Licenses")
    columns = (
        "Environment",
        "Serial",
        "Activation code",
        "Edition",
        "Type",
        "End date",
        "Days left",
        "Banner",
    )
    for column in columns:
        table.add_column(column, overflow="fold")
    for entry in entries:
        shown = entry.shown
        if shown is None:
            table.add_row(entry.environment, *["-"] * 6, f"[red]{entry.message}[/]")
            continue
        days = entry.days_left(today)
        table.add_row(
            entry.environment,
            shown.serial_number or "",
            shown.activation_code or "",
            shown.edition_name or "",
            shown.license_type or "",
            shown.end_date or "",
            "-" if days is None else str(days),
            shown.banner if shown.valid else f"[red]{shown.banner}[/]",
        )
    return table


def needing_attention(entries: list[FleetEntry], warn_days: int, today: date) -> list[str]:
    """Environments whose license is not valid or ends within `warn_days`."""
    found = []
    for entry in entries:
        shown = entry.shown
        if shown is None:
            continue
        days = entry.days_left(today)
        if not shown.valid:
            found.append(f"{entry.environment}: {shown.banner}")
        elif days is not None and days <= warn_days:
            found.append(f"{entry.environment}: the license ends in {days} days ({shown.end_date})")
    return found


def _progress_table(progress: FleetProgress) -> Table:
    table = Table(title="Fleet")
    table.add_column("Environment")
    table.add_column("Now")
    with progress.lock:
        for environment, state in progress.states.items():
            table.add_row(environment, state)
    return table
