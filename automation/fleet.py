"""Many environments in one go: N at a time, sharing at most one browser per core, each
environment in a fresh context of its own.

A browser takes several environments at once (automation/browser/lanes.py): a fleet mostly
waits on its servers, and while one environment waits, another's page is driven. A context
costs a renderer; a browser costs a browser, a GPU process and a Playwright driver besides. On
this 2-core machine (heavily loaded: figures from CPU-seconds, whole process tree, 6 CPU-bound
environments, --parallel 4): 5.76 CPU-s per environment with a browser per environment, 5.03
with two browsers taking two environments each. More at a time than cores then costs memory
(a renderer each, ~100 MB), not processes. `make bench` on the same machine, quiet, 20
environments (the default's choice, automation/cli/options.py): answering at once, 29.6 s at
--parallel 8, 27.2 s at 12 and at 16; answering in 300-500 ms, 40.5 s at 8, 35.1 s at 12,
36.0 s at 16. The default is 12 on 2 cores (benchmarks/RESULTS.md).

Not one browser shared by every worker thread over CDP: Playwright's sync API keeps to the
thread that started it, so workers sharing a browser reach it over CDP, and then every
worker's connection attaches to every page in that browser. Measured on a fleet of 10 (2
cores): 5.4 CPU-seconds per environment shared, 3.8 with a browser per worker, and a third
less wall time. Lanes share a browser over one connection instead.

An interrupt stops the fleet: no environment starts, and each under way ends after its current
step, recorded and sealed as interrupted; one whose upload has begun is seen through first
(verified, or rolled back), as a single run's is. The browsers outlive a terminal's Ctrl-C
(automation/browser/session.py's launch), so that they can: the workers' threads are never
interrupted in a Playwright call, the main thread alone gets the signal."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from automation.browser.lanes import interleave
from automation.browser.session import (
    SessionFactory,
    new_session,
    open_browser,
    start_playwright,
)
from automation.browser.windows import tiled
from automation.config import EvidenceOptions, RunOptions, Target
from automation.errors import ExitCode, ScLicenseError, most_severe
from automation.evidence.audit import seal
from automation.evidence.liveness import register
from automation.evidence.records import FleetEntry
from automation.evidence.run import Run, StepEvent
from automation.identity import ApprovalRecord, Attribution
from automation.outcomes import Outcome, severity
from automation.procedure import Procedure
from automation.runner import execute

# Browsers a fleet launches at most, headless: one per core; more environments at a time
# share them, each in a context of its own (see automation/browser/lanes.py).
BROWSERS = os.cpu_count() or 1

# After a fleet: warnings about it as a whole (e.g. license files that matched no environment).
After = Callable[[list[FleetEntry]], list[str]]


@dataclass(frozen=True)
class FleetJob:
    """One environment's run: who and where, with its own browser options."""

    target: Target
    options: RunOptions


@dataclass
class FleetProgress:
    """What the live table shows: each environment's current step, then its outcome."""

    states: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def listener(self, environment: str) -> Callable[[StepEvent], None]:
        def listen(event: StepEvent) -> None:
            with self.lock:
                self.states[environment] = f"{event.number}. {event.name}"

        return listen

    def set(self, environment: str, state: str) -> None:
        with self.lock:
            self.states[environment] = state


def run_fleet(
    procedure: Procedure,
    jobs: list[FleetJob],
    evidence: EvidenceOptions,
    *,
    parallel: int,
    max_fail: int | None,
    endpoint: str | None,
    progress: FleetProgress,
    after: After | None = None,
    attribution: Attribution | None = None,
    warn_days: int | None = None,
    note: str | None = None,
) -> tuple[Run, list[FleetEntry]]:
    """Run every job, `parallel` at a time, each worker in a browser of its own (or all in the
    one at `endpoint`); stop starting new ones after `max_fail` failures. Each environment
    gets its own run folder; the fleet gets a summary (`note`: its message when there is
    no job, e.g. an empty shard)."""
    summary = Run.create(
        evidence,
        flow=procedure.name,
        environment="fleet",
        url=endpoint or "local browser",
        user="-",
        attribution=attribution,
    )
    for warning in register(evidence.out, evidence.state, summary.folder, summary.record):
        summary.warn(warning)
    summary.record.workers = max(1, min(parallel, len(jobs)))
    summary.record.fleet = []  # a fleet's summary from the start, even if it is cut off
    summary.record.warn_days = warn_days
    summary.save()
    lanes = _lanes(min(parallel, len(jobs)), headed=bool(jobs) and jobs[0].options.launch.headed)
    scheduler = _Scheduler(
        procedure,
        jobs,
        lanes,
        fleet_run=summary.folder.name,
        max_fail=max_fail,
        endpoint=endpoint,
        progress=progress,
    )
    interrupted = scheduler.run()
    ordered = [
        scheduler.entries.get(job.target.name) or _not_started(job, interrupted) for job in jobs
    ]
    _end_summary(summary, ordered, interrupted, after=after, warn_days=warn_days, note=note)
    seal(evidence.out, summary.folder, evidence.state)
    return summary, ordered


class _Scheduler:
    """The jobs not yet started and how those taken ended, shared under one lock by the
    workers: a thread each, with a browser taking one or more environments at once."""

    def __init__(
        self,
        procedure: Procedure,
        jobs: list[FleetJob],
        lanes: list[int],
        *,
        fleet_run: str,
        max_fail: int | None,
        endpoint: str | None,
        progress: FleetProgress,
    ) -> None:
        self.procedure = procedure
        self.lanes = lanes  # per worker: how many environments its browser takes at once
        self.fleet_run = fleet_run  # the summary's folder, named in each run's record
        self.max_fail = max_fail
        self.endpoint = endpoint
        self.progress = progress
        self.pending = list(jobs)
        self.entries: dict[str, FleetEntry] = {}
        self.failures = 0
        self.running = len(lanes)  # workers not yet ended
        self.launch_error: ScLicenseError | None = None  # a worker's browser did not start
        self.lock = threading.Lock()
        self.stop = threading.Event()  # an interrupt: no new environment or step starts

    def run(self) -> bool:
        """Start the workers and wait until each has ended; whether it was interrupted."""
        # Each worker says when it is done: Thread.join() interrupted by Ctrl-C can take a
        # thread still running for one that ended (CPython, bpo-45274's fix), and its run
        # would be cut off.
        ended = [threading.Event() for _ in self.lanes]
        for index, (count, done) in enumerate(zip(self.lanes, ended, strict=True)):
            threading.Thread(target=self.work, args=(index, count, done), daemon=True).start()
        try:
            _wait_for(ended)
            return False
        except KeyboardInterrupt:
            self.stop.set()  # no new environment or step starts
        # Each run under way ends after its step; a second Ctrl-C ends the wait.
        with suppress(KeyboardInterrupt):
            _wait_for(ended)
        return True

    def next_job(self) -> FleetJob | None:
        with self.lock:
            if not self.pending or self.stop.is_set():
                return None
            if self.max_fail is not None and self.failures >= self.max_fail:
                return None
            return self.pending.pop(0)

    def finished(self, job: FleetJob, entry: FleetEntry) -> None:
        with self.lock:
            self.entries[job.target.name] = entry
            if entry.exit_code not in (ExitCode.OK, ExitCode.LICENSE_NEEDS_ATTENTION):
                self.failures += 1  # a license to renew is news, not a failure of the run
        self.progress.set(job.target.name, entry.outcome)

    def work(self, index: int, lanes: int, done: threading.Event) -> None:
        """One worker: its browser takes `lanes` environments at once until none is left."""
        first = self.next_job()
        if first is None:
            with self.lock:
                self.running -= 1
            done.set()
            return
        try:
            self._drive(first, index, lanes)
        except ScLicenseError as error:  # this worker's browser did not start, or answer
            if first.target.name not in self.entries:
                self.finished(first, _failed(first, error))
            self.launch_error = error
        finally:
            self._worker_ended()
            done.set()

    def _drive(self, first: FleetJob, index: int, lanes: int) -> None:
        """Start this worker's browser, then run its lanes in it, the first from `first`."""
        with ExitStack() as stack:
            playwright = stack.enter_context(start_playwright())
            launch = tiled(first.options.launch, index, len(self.lanes))
            launch = launch.model_copy(update={"endpoint": self.endpoint})
            browser, used = stack.enter_context(open_browser(playwright, launch))
            session = partial(new_session, browser, used)
            later = [partial(self._run_jobs, session) for _ in range(lanes - 1)]
            interleave(playwright, [partial(self._run_jobs, session, first), *later])

    def _run_jobs(self, session: SessionFactory, job: FleetJob | None = None) -> None:
        """One lane: environments one after another, from `job` (else the next one) on."""
        job = job or self.next_job()
        while job is not None:
            self.progress.set(job.target.name, "starting")
            try:
                run = execute(
                    self.procedure,
                    job.target,
                    job.options,
                    listener=self.progress.listener(job.target.name),
                    session=session,
                    stopping=self.stop,
                    index=False,  # once, with the summary
                    fleet_run=self.fleet_run,
                )
            except ScLicenseError as error:  # no run folder could be made for it (a full disk)
                self.finished(job, _failed(job, error))
            else:
                self.finished(job, FleetEntry.of(run.record, run.folder.name))
            job = self.next_job()

    def _worker_ended(self) -> None:
        """Other workers take what is left; when none is left and a browser did not start,
        what is left fails with its error."""
        orphans: list[tuple[FleetJob, FleetEntry]] = []
        with self.lock:
            self.running -= 1
            error = self.launch_error
            if self.running == 0 and error is not None:
                orphans = [(job, _failed(job, error)) for job in self.pending]
                self.pending = []
        for job, entry in orphans:
            self.finished(job, entry)


def _end_summary(
    summary: Run,
    ordered: list[FleetEntry],
    interrupted: bool,
    *,
    after: After | None,
    warn_days: int | None,
    note: str | None,
) -> None:
    """The summary's outcome and message: how many environments were done, how many need
    attention."""
    code = most_severe([entry.exit_code for entry in ordered])
    summary.ended_fleet(ordered)
    shared = shared_approval(ordered)
    if shared is not None:
        summary.approved(shared)
    for warning in after(ordered) if after is not None else []:
        summary.warn(warning)
    outcome: Outcome = "interrupted" if interrupted else _ending(code)
    succeeded = sum(_done(entry) for entry in ordered)
    watched = sum(entry.outcome == "attention" for entry in ordered)
    message = f"{succeeded} of {len(ordered)} environments done."
    if watched:
        within = f"ends within {warn_days} days or " if warn_days is not None else ""
        message += f" {watched} need attention: a license {within}is shown not valid."
    summary.finish(
        outcome,
        ExitCode.INTERRUPTED if interrupted else code,
        note if note and not ordered else message,
    )


def _lanes(in_flight: int, *, headed: bool) -> list[int]:
    """How many environments each browser takes at once: `in_flight` spread over at most
    BROWSERS browsers; headed, one each (a window per environment, tiled)."""
    in_flight = max(1, in_flight)
    browsers = in_flight if headed else min(in_flight, BROWSERS)
    return [in_flight // browsers + (i < in_flight % browsers) for i in range(browsers)]


def _ending(code: int) -> Outcome:
    if code == ExitCode.OK:
        return "done"
    return "attention" if code == ExitCode.LICENSE_NEEDS_ATTENTION else "failed"


def _done(entry: FleetEntry) -> bool:
    """Whether an environment ended as intended: a change seen through after an interrupt
    did, though its exit code says 130."""
    seen_through = entry.exit_code == ExitCode.INTERRUPTED and severity(entry.outcome) == "done"
    return entry.exit_code == ExitCode.OK or seen_through


def _wait_for(ended: list[threading.Event]) -> None:
    for done in ended:
        while not done.wait(0.2):  # short waits keep Ctrl-C responsive
            pass


def _failed(job: FleetJob, error: ScLicenseError) -> FleetEntry:
    return FleetEntry(
        environment=job.target.name,
        url=job.target.url,
        outcome="failed",
        exit_code=error.exit_code,
        message=str(error),
        hint=error.hint,
    )


def _not_started(job: FleetJob, interrupted: bool) -> FleetEntry:
    return FleetEntry(
        environment=job.target.name,
        url=job.target.url,
        outcome="not-started",
        exit_code=ExitCode.INTERRUPTED if interrupted else ExitCode.REFUSED,
        message="Not started: the fleet was interrupted first; left as it is."
        if interrupted
        else "Not started: --max-fail was reached; left as it is.",
    )


def shared_approval(entries: list[FleetEntry]) -> ApprovalRecord | None:
    """The approval a fleet's summary records: the one every environment about to change
    was approved by (how, whether, by whom), as first given; None when there was none, or
    when they differ (each environment's is then in its line of the summary)."""
    given = sorted((e.approval for e in entries if e.approval), key=lambda a: a.at)
    if not given or len({(a.how, a.approved, a.by) for a in given}) > 1:
        return None
    return given[0]


def needing_attention(entries: list[FleetEntry], warn_days: int | None, today: date) -> list[str]:
    """Environments whose license is shown not valid, or ends within `warn_days` (if given)."""
    found = []
    for entry in entries:
        shown = entry.shown
        if shown is None:
            continue
        days = entry.ends_in(today)
        if not shown.valid:
            found.append(f"{entry.environment}: {shown.banner}")
        elif days is not None and warn_days is not None and days <= warn_days:
            found.append(f"{entry.environment}: the license ends in {days} days ({shown.end_date})")
    return found


def shown_serials(entries: list[FleetEntry]) -> set[str]:
    """The serial numbers the environments of a fleet showed."""
    return {e.shown.serial_number for e in entries if e.shown and e.shown.serial_number}
