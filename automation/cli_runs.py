"""What the commands share: settings from their options, one run or a fleet, exit codes."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import typer

from automation.config import BrowserOptions, Target, environment_label, service_center_url
from automation.errors import BadInput
from automation.fleet_cli import (
    DEFAULT_PARALLEL,
    LICENSE_NEEDS_ATTENTION,
    Selection,
    needing_attention,
    options_for,
    run_many,
    status_table,
    target_of,
)
from automation.inventory import PASSWORD_VARIABLE, Environment, password_variable
from automation.output import ask_approval, console, errors, live_steps, show_run
from automation.passwords import password
from automation.records import FleetEntry
from automation.runner import Flow, execute
from flows.install_license import Approve


@dataclass(frozen=True)
class Settings:
    """How every run is carried out and reported, from the options all commands share."""

    browser: BrowserOptions
    out: Path
    as_json: bool
    debug: bool
    parallel: int = DEFAULT_PARALLEL
    max_fail: int | None = None


def settings_from(options: dict[str, Any]) -> Settings:
    """The settings from the options every command shares (given as the command's locals())."""
    if options["pause_on_failure"] and not options["headed"]:
        raise BadInput(
            "--pause-on-failure needs --headed: there is no window to pause in.",
            hint="Add --headed, or leave out --pause-on-failure.",
        )
    if min(options["navigation_timeout"], options["action_timeout"]) <= 0:
        raise BadInput("Timeouts must be more than 0 seconds.", hint="E.g. --action-timeout 30.")
    browser = BrowserOptions(
        headed=options["headed"],
        slow_mo_ms=options["slow_mo"],
        executable=options["browser"],
        tracing=options["trace"],
        video=options["video"],
        pause_on_failure=options["pause_on_failure"],
        navigation_timeout_ms=round(options["navigation_timeout"] * 1000),
        action_timeout_ms=round(options["action_timeout"] * 1000),
        ignore_https_errors=options["ignore_https_errors"],
        endpoint=options.get("browser_endpoint"),
    )
    return Settings(
        browser,
        options["out"],
        options["json"],
        options["debug"],
        options.get("parallel", DEFAULT_PARALLEL),
        options.get("max_fail"),
    )


def selection_from(options: dict[str, Any]) -> Selection:
    selection = Selection(
        inventory=options["inventory"],
        names=options["env"] or [],
        groups=options["group"] or [],
        everything=options["all_"],
        shard=options["shard"],
    )
    if selection.given and options.get("url"):
        raise BadInput(
            "Give either --url (one environment) or --env/--group/--all (the inventory).",
            hint="Not both.",
        )
    if options["shard"] and not selection.given:
        raise BadInput("--shard needs --env, --group or --all.", hint="Add --all.")
    return selection


def approval(confirm: bool, yes: bool, headed: bool) -> Approve | None:
    """Ask before uploading: on --confirm, or by default when headed on a terminal."""
    on_terminal = sys.stdin.isatty()
    if yes:
        return None
    if confirm and not on_terminal:
        raise BadInput(
            "--confirm needs a terminal to ask on, and there is none.",
            hint="Run on a terminal, or leave out --confirm (use --yes in unattended jobs).",
        )
    return ask_approval if confirm or (headed and on_terminal) else None


def target_from(url: str, user: str, password_env: str | None, env_name: str | None) -> Target:
    address = service_center_url(url)
    if password_env:
        variables = [password_env]
    elif env_name:
        variables = [password_variable(env_name), PASSWORD_VARIABLE]
    else:
        variables = [PASSWORD_VARIABLE]
    return Target(
        name=env_name or environment_label(address),
        url=address,
        user=user,
        password=password(variables, address),
    )


def run_selected(
    flow_name: str,
    selection: Selection,
    url: str | None,
    user: str | None,
    password_env: str | None,
    env_name: str | None,
    flow_for: Callable[[Target], Flow],
    settings: Settings,
    *,
    changes: bool = False,
    interactive: bool = False,
    warn_days: int | None = None,
) -> None:
    """One environment (by --url, or a single --env) or many (the inventory, as a fleet)."""
    if not selection.given:
        if not url or not user:
            raise BadInput(
                "Which environment?",
                hint="Give --url and --user, or --env/--group/--all with an inventory.",
            )
        target = target_from(url, user, password_env, env_name)
        run_one(flow_name, flow_for(target), target, settings, changes=changes, warn_days=warn_days)
        return
    environments = selection.environments()
    if (len(environments) == 1 and not interactive) or (len(environments) == 1 and interactive):
        environment = environments[0]
        target = target_of(environment)
        single = replace(settings, browser=options_for(environment, settings.browser))
        run_one(flow_name, flow_for(target), target, single, changes=changes, warn_days=warn_days)
        return
    run_fleet_from_cli(
        flow_name,
        selection,
        flow_for,
        settings,
        changes,
        interactive=interactive,
        warn_days=warn_days,
        environments=environments,
    )


def run_fleet_from_cli(
    flow_name: str,
    selection: Selection,
    flow_for: Callable[[Target], Flow],
    settings: Settings,
    changes: bool,
    *,
    interactive: bool = False,
    after: Callable[[list[FleetEntry]], list[str]] | None = None,
    warn_days: int | None = None,
    environments: list[Environment] | None = None,
) -> None:
    end_runs_on_sigterm()
    code, entries = run_many(
        flow_name,
        environments or selection.environments(),
        flow_for,
        settings.browser,
        settings.out,
        parallel=settings.parallel,
        max_fail=settings.max_fail,
        changes=changes,
        as_json=settings.as_json,
        interactive=interactive,
        after=after,
    )
    if flow_name == "status" and not settings.as_json:
        console.print(status_table(entries, date.today()))
    if code == 130:
        leave_at_once(code)
    raise typer.Exit(attention(code, entries, warn_days))


def leave_at_once(code: int) -> NoReturn:
    """End an interrupted fleet without the interpreter's clean-up. Ctrl-C also kills
    Playwright's drivers under the worker threads, and freeing those threads' greenlets at the
    interpreter's exit then crashes it now and then (SIGSEGV instead of exit 130). Every run
    folder, the summary and the output are written by now."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def attention(code: int, entries: list[FleetEntry], warn_days: int | None) -> int:
    """With --warn-days, a license that ends soon or is invalid makes the exit code say so."""
    if warn_days is None or code != 0:
        return code
    found = needing_attention(entries, warn_days, date.today())
    for line in found:
        errors.print(f"[bold yellow]Attention:[/] {line}")
    return LICENSE_NEEDS_ATTENTION if found else 0


def end_runs_on_sigterm() -> None:
    """A service manager's stop (SIGTERM) ends a run like Ctrl-C: recorded, sealed, exit 130."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # After Ctrl-C Playwright's driver is gone too; its event loop's complaints about that
    # are noise next to the message that says what happened.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


def run_one(
    flow_name: str,
    flow: Flow,
    target: Target,
    settings: Settings,
    *,
    changes: bool = False,
    warn_days: int | None = None,
) -> None:
    listener = None if settings.as_json else live_steps()
    end_runs_on_sigterm()
    run = execute(
        flow_name, flow, target, settings.browser, settings.out, changes=changes, listener=listener
    )
    if run.unexpected is not None and settings.debug:
        raise run.unexpected
    show_run(run, as_json=settings.as_json)
    entry = FleetEntry.of(run.record)
    raise typer.Exit(attention(entry.exit_code, [entry], warn_days))
