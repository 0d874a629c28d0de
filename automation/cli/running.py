"""Carrying out a command: one environment or a fleet, the exit code, and interrupts."""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import signal
import sys
import threading
from datetime import date
from types import FrameType, ModuleType
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from automation.cli.consoles import console, errors
from automation.cli.display import MoreOfARun, live_steps, show_run
from automation.cli.hold import hold_for
from automation.cli.literal import markup
from automation.cli.settings import Settings
from automation.cli.stop_signals import on_stop
from automation.cli.targets import Where, site_profile, target_from, targets_of
from automation.config import Target
from automation.errors import BadInput, ExitCode
from automation.evidence.records import FleetEntry
from automation.procedure import Procedure
from automation.runner import execute

if TYPE_CHECKING:
    from automation.fleet import After


def run_selected(
    procedure: Procedure,
    where: Where,
    settings: Settings,
    *,
    interactive: bool = False,
    warn_days: int | None = None,
    after: After | None = None,
    more: MoreOfARun | None = None,
) -> NoReturn:
    """One environment (by --url, or a single --env) or many (the inventory, as a fleet);
    `more` adds to one environment's display what the command has to show."""
    where.check()
    profile = site_profile(where.profile)  # a bad one leaves nothing behind
    if not where.selection.given:
        if not where.url or not where.user:
            raise BadInput(
                "Which environment?",
                hint="Give --url and --user, or --env/--group/--all with an inventory.",
            )
        target = target_from(where.url, where.user, where.password_env, where.env_name, profile)
        run_one(procedure, target, settings, warn_days=warn_days, more=more)
    # Loaded here: an install on one environment needs neither the fleet nor its display.
    from automation.cli.fleet_display import run_many, status_table
    from automation.fleet import FleetJob

    environments, selected = where.selection.environments()
    note = None
    if not environments:
        note = (
            f"shard {where.selection.shard} holds no environment of the {selected} selected; "
            "nothing to do"
        )
        if not settings.as_json:
            errors.print(markup("[bold]Note:[/] {}.", note))
    ticketless = [e.name for e in environments if e.require_change]
    if procedure.changes and ticketless and settings.run.attribution.change is None:
        raise BadInput(
            f"A change to {', '.join(ticketless)} needs its change ticket (require_change in "
            "the inventory); nothing was done.",
            hint="Give --change TICKET (and --reason TEXT).",
        )
    if settings.run.hold and len(environments) > 1:
        raise BadInput(
            "--hold keeps one environment's browser open; a fleet runs many.",
            hint="Give one environment with --env, or leave out --hold.",
        )
    targets = targets_of(environments, where.selection.inventory, profile)
    jobs = [
        FleetJob(
            target,
            settings.run.model_copy(update={"page": environment.page_options(settings.run.page)}),
        )
        for environment, target in zip(environments, targets, strict=True)
    ]
    # An inventory run is a fleet however many environments it holds, even none: one shape.
    end_runs_on_stop_signals()
    code, entries = run_many(
        procedure,
        jobs,
        settings,
        interactive=interactive,
        after=after,
        warn_days=warn_days,
        note=note and f"The {note}.",
    )
    if procedure.name == "status" and not settings.as_json:
        console.print(status_table(entries, date.today()))
    junit(procedure, entries, settings, warn_days)
    if code == ExitCode.INTERRUPTED:
        leave_at_once(code)
    # On the terminal the fleet's display has named each environment to attend to already.
    raise typer.Exit(attention(code, entries) if settings.as_json else code)


def run_one(
    procedure: Procedure,
    target: Target,
    settings: Settings,
    *,
    warn_days: int | None = None,
    more: MoreOfARun | None = None,
) -> NoReturn:
    listener = None if settings.as_json else live_steps()
    interrupts = Interrupts().install()
    run = execute(
        procedure,
        target,
        settings.run,
        listener=listener,
        stopping=interrupts.stopping,
        changing=interrupts.changing,
        hold=hold_for(settings.run),
    )
    if run.unexpected is not None and settings.debug:
        raise run.unexpected
    show_run(run, as_json=settings.as_json, more=more)
    # The run is recorded and sealed: an interrupt now would only cut the exit code short.
    on_stop(signal.SIG_IGN)
    entry = FleetEntry.of(run.record, run.folder.name)
    junit(procedure, [entry], settings, warn_days)
    raise typer.Exit(attention(entry.exit_code, [entry]))


def junit(
    procedure: Procedure, entries: list[FleetEntry], settings: Settings, warn_days: int | None
) -> None:
    """Write --junit-xml, if given; the XML writer is loaded only then. A dry run of a change
    (install, restore) names its cases apart from the change's."""
    if settings.junit_xml is not None:
        from automation.cli.junit import report_junit

        rehearsal = procedure.name in ("install", "restore") and not procedure.changes
        report_junit(procedure.name, entries, settings, warn_days, dry_run=rehearsal)


def leave_at_once(code: int) -> NoReturn:
    """End an interrupted fleet without the interpreter's clean-up: after a second interrupt,
    worker threads may still be inside Playwright calls, and freeing their greenlets at the
    interpreter's exit crashes it now and then (SIGSEGV instead of exit 130). Every run
    folder, the summary and the output are written by now."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def attention(code: int, entries: list[FleetEntry]) -> int:
    """Each license shown not valid, or ending within --warn-days, is named on stderr; its
    run has recorded why (outcome "attention", exit 8)."""
    for entry in entries:
        if entry.outcome == "attention":
            errors.print(markup("[bold yellow]Attention:[/] {}", entry.message))
    return code


# Interrupts during the change that are deferred until it is seen through. An impatient
# operator's second Ctrl-C comes within a second: stopping then, in the middle of a rollback,
# is what leaves an invalid license behind. The next one stops at once.
DEFERRED = 2


class StopAsked(threading.Event):
    """`stopping`, as a signal handler may set it: `note()` is a plain store, which can neither
    fail nor wait for a lock, and `is_set()` sees it at once; the Event proper is set a moment
    later by a thread, for whoever waits on it."""

    def __init__(self) -> None:
        super().__init__()
        self.noted = False

    def note(self) -> None:
        self.noted = True

    def is_set(self) -> bool:
        return self.noted or super().is_set()


class Interrupts:
    """Ctrl-C, Ctrl-Break and SIGTERM during one run: stop at once, unless the upload has
    begun; then the change is seen through first (verified, or rolled back), a second
    interrupt too, and a third stops at once (recorded as "act now", exit 6). The browser
    outlives the terminal's Ctrl-C (automation/browser/session.py's launch); should it be gone
    under the change all the same, the flow ends saying how to check and restore.

    The handler runs in the main thread between any two of its bytecodes: in the middle of a
    lazy import, of a print, of an Event's lock, of the rollback's upload. It must not fail or
    wait there, so it only counts, notes the stop and writes a byte to a pipe; a thread of its
    own sets `stopping` for those who wait on it, and says what happens."""

    def __init__(self) -> None:
        self.changing = threading.Event()
        self.stopping = StopAsked()
        self._count = itertools.count(1)  # next() on it is one C call: safe to nest
        self._noted, self._note = os.pipe()
        self._listening = False

    def install(self, signals: ModuleType | Any = signal) -> Interrupts:
        """Handle every stop signal `signals` (this platform's signal module) has."""
        if not self._listening:
            self._listening = True
            threading.Thread(target=self._take_note, name="interrupts", daemon=True).start()
        on_stop(self._handle, signals)
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.changing.is_set() and next(self._count) <= DEFERRED:
            self.stopping.note()
            os.write(self._note, b".")
            return
        raise KeyboardInterrupt

    def _take_note(self) -> None:
        """Each deferred interrupt, as the handler noted it: the run is asked to stop once
        the change is seen through, and the operator is told."""
        for deferred in itertools.count(1):
            if not os.read(self._noted, 1):
                return
            self.stopping.set()
            with contextlib.suppress(Exception):  # a message lost, never the next note
                errors.print(
                    "[bold yellow]Interrupted during the change:[/] it is finished first "
                    "(verified, or rolled back)."
                    if deferred == 1
                    else "[bold yellow]Still finishing the change.[/] Interrupt once more to "
                    "stop at once, leaving the license unverified."
                )


def end_runs_on_stop_signals() -> None:
    """Ctrl-C, a service manager's stop (SIGTERM) or Ctrl-Break on Windows ends a fleet:
    recorded, sealed, exit 130. Ctrl-C too, explicitly: a process started with it ignored
    (a script's background job) keeps it ignored, yet Ctrl-C still reaches its browsers."""
    on_stop(signal.default_int_handler)
    # After Ctrl-C Playwright's driver is gone too; its event loop's complaints about that
    # are noise next to the message that says what happened.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
