"""One run's evidence folder: each documented step with its screenshot, the files kept, and
run.json, which says what was seen, checked and done."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from playwright.sync_api import Page

from automation.config import EvidenceOptions, slug
from automation.errors import ExitCode
from automation.evidence.annotations import add_strip
from automation.evidence.capture import stop_loading
from automation.evidence.commands import Recall
from automation.evidence.endings import describe, ending, recall_of
from automation.evidence.files import artifact_of, write_atomically
from automation.evidence.liveness import is_alive, this_process
from automation.evidence.recorders import Recorders
from automation.evidence.records import (
    Artifact,
    ProfileUsed,
    RunRecord,
    StepRecord,
    load_record,
)
from automation.evidence.screenshots import screenshot
from automation.evidence.snapshots import aria_text, html_text
from automation.evidence.timing import Part, StepClock, run_timing
from automation.evidence.tracing import Tracer
from automation.identity import Actor, Attribution, os_account
from automation.licenses import InstalledLicense
from automation.outcomes import Outcome

# Space set aside when a run starts, given back when it ends: a disk that fills during the
# change still leaves room for the final run.json, the report, the log line and the head.
RESERVE_BYTES = 2 * 1024 * 1024
RESERVES = ".reserve"  # under the recordings folder; audit verify passes over dot-folders


@dataclass(frozen=True)
class StepEvent:
    """A step starting or ending, for whoever shows progress live."""

    kind: Literal["start", "end"]
    number: int
    name: str
    record: StepRecord | None


Listener = Callable[[StepEvent], None]
# Shows the operator of a supervised run each step as it starts: called with the page, the
# step's number, the steps planned (if declared) and its name. The runner gives it
# (automation/browser/supervision.py), with the style that hides it from screenshots.
ShowStep = Callable[[Page, int, int | None, str], None]


class Run(Recorders):
    """One run's evidence folder; `step()` wraps each documented step of a flow."""

    def __init__(
        self,
        folder: Path,
        record: RunRecord,
        *,
        tracer: Tracer,
        listener: Listener | None = None,
        show_step: ShowStep | None = None,
        hidden_in_screenshots: str = "",
        stopping: threading.Event | None = None,
        navigation_timeout_ms: int = 30_000,
        changing: threading.Event | None = None,
    ) -> None:
        self.folder = folder
        self.record = record
        self.tracer = tracer
        self.page: Page | None = None
        self.current_step: str | None = None
        self.planned_steps: int | None = None  # shown to a supervising operator: "Step 3/8"
        self._annotation: str | None = None  # the current step's caption, for its strip
        self._listener = listener
        self._show_step = show_step
        self._hidden_in_screenshots = hidden_in_screenshots  # CSS applied to each screenshot
        self._navigation_timeout_ms = navigation_timeout_ms  # restored after a screenshot
        # Set when the fleet this run is part of is interrupted: no further step starts,
        # unless the flow has begun a change it must see through (verify, or roll back).
        self._stopping = stopping
        # Set once the upload has begun: an interrupt from then on lets the change finish.
        self.changing = changing or threading.Event()
        # Told the environment's serial as soon as it is read (the runner locks it).
        self.on_serial: Callable[[str], None] | None = None
        self.unwritten: list[str] = []  # evidence lost after the upload began (a full disk)
        self.failed_at: str | None = None  # the page's address when a step failed
        self._clock: StepClock | None = None  # the current step's, while one runs
        # How the environment is named again in the commands a failed run prints.
        self.recall: Recall = recall_of(record, folder)
        self.save()
        self._reserve = _set_aside(folder)

    @classmethod
    def create(
        cls,
        evidence: EvidenceOptions,
        *,
        flow: str,
        environment: str,
        url: str,
        user: str,
        profile: ProfileUsed | None = None,
        attribution: Attribution | None = None,
        listener: Listener | None = None,
        show_step: ShowStep | None = None,
        hidden_in_screenshots: str = "",
        stopping: threading.Event | None = None,
        navigation_timeout_ms: int = 30_000,
        changing: threading.Event | None = None,
        fleet_run: str | None = None,
    ) -> Run:
        """Make a new folder <out>/<UTC time>-<environment>-<flow>/, never reusing one."""
        started = datetime.now(UTC)
        attribution = attribution or Attribution()
        actor = attribution.actor or Actor(os_user=os_account())
        base = f"{started:%Y%m%dT%H%M%SZ}-{slug(environment)}-{flow}"
        evidence.out.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, 1000):
            folder = evidence.out / (base if attempt == 1 else f"{base}-{attempt}")
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            record = RunRecord(
                flow=flow,
                environment=environment,
                url=url,
                user=user,
                profile=profile,
                signed_in=False,
                operator=actor.os_user,
                actor=actor,
                reason=attribution.reason,
                change=attribution.change,
                process=this_process(),
                started_at=started,
                fleet_run=fleet_run,
            )
            tracer = Tracer(folder, evidence.tracing, f"{flow} on {environment}")
            try:
                return cls(
                    folder,
                    record,
                    tracer=tracer,
                    listener=listener,
                    show_step=show_step,
                    hidden_in_screenshots=hidden_in_screenshots,
                    stopping=stopping,
                    navigation_timeout_ms=navigation_timeout_ms,
                    changing=changing,
                )
            except OSError:
                shutil.rmtree(folder, ignore_errors=True)  # no run folder without its record
                raise
        raise RuntimeError(f"Could not make a new run folder under {evidence.out}")

    def watch(self, page: Page) -> None:
        """The page the steps act on: each step's screenshot is taken of it."""
        self.page = page

    def plan(self, steps: int) -> None:
        """How many steps the flow means to take, declared before the first."""
        self.planned_steps = steps

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Run one documented step; screenshot the page after it, passed or failed."""
        if self._stopping is not None and self._stopping.is_set() and not self.changing.is_set():
            raise KeyboardInterrupt  # recorded as interrupted after the last step
        number = len(self.record.steps) + 1
        started_at = datetime.now(UTC)
        clock = self._clock = StepClock()
        error: BaseException | None = None
        self.current_step = name
        self._annotation = None
        self._notify(StepEvent("start", number, name, None))
        with clock.part("page"):
            if self.page is not None and self._show_step is not None:  # before its action
                self._show_step(self.page, number, self.planned_steps, name)
            self.tracer.group(self.page, name)
        try:
            with clock.part("page"):
                yield
        except BaseException as exc:
            error = exc
            raise
        finally:
            if error is not None and self.page is not None and not self.page.is_closed():
                self.failed_at = self.page.url  # the browser may be gone when it is reported
                stop_loading(self.page)  # the step has ended: so has what it was waiting for
            with clock.part("page"):
                self.tracer.group(self.page, None)
            stem = f"{number:02d}-{slug(name)}"
            with clock.part("screenshot"):
                no_shot = screenshot(
                    self.page,
                    self.folder / f"{stem}.png",
                    self._navigation_timeout_ms,
                    self._hidden_in_screenshots,
                )
            with clock.part("caption"):
                annotation = self._strip(self.folder / f"{stem}.png") if not no_shot else None
            with clock.part("files"):
                shot = None if no_shot else artifact_of(self.folder / f"{stem}.png", "screenshot")
            if no_shot and "OSError" in no_shot:
                self.unwritten.append(f"{stem}.png: {no_shot}")
            with clock.part("page_text"):
                self._page_text(stem, failed=error is not None)
            duration_ms, timing = clock.stop()
            self._clock = None
            step = StepRecord(
                number=number,
                name=name,
                status="failed" if error else "passed",
                started_at=started_at,
                duration_ms=duration_ms,
                screenshot=shot.file if shot else None,
                screenshot_sha256=shot.sha256 if shot else None,
                screenshot_missing=no_shot,
                annotation=annotation,
                error=describe(error) if error else None,
                timing=dict(timing),
            )
            self.record.steps.append(step)
            if error is None:
                self.current_step = None  # between steps; a failure keeps the step it was on
            self.save()
            self._notify(StepEvent("end", number, name, step))

    @contextmanager
    def timed(self, part: Part) -> Iterator[None]:
        """Charge what is done inside to `part` of the current step's time, if a step runs."""
        if self._clock is None:
            yield
            return
        with self._clock.part(part):
            yield

    def annotate(self, text: str) -> None:
        """Caption the current step's screenshot, in a strip composed below the page."""
        self._annotation = text

    def _strip(self, path: Path) -> str | None:
        """The caption, once composed into the screenshot; None when there was none to add or
        it could not be added (the screenshot is then left as the page showed it)."""
        text, self._annotation = self._annotation, None
        if text is None or self.page is None or self.page.is_closed():
            return None
        # A headed browser's strip window is closed at once, not left over the run's own.
        keep_page = self.record.headless
        return text if add_strip(self.page, path, text, keep_page=keep_page) else None

    def _page_text(self, stem: str, *, failed: bool) -> None:
        """The page's ARIA snapshot beside its screenshot; its HTML too when the step failed,
        so a control that was not found can be looked for in what the page held."""
        if self.page is None or self.page.is_closed():
            return
        with self._writing():
            self.write_file(f"{stem}.aria.txt", aria_text(self.page).encode(), "aria snapshot")
            if failed:
                self.write_file(f"{stem}.html", html_text(self.page).encode(), "page html")

    @contextmanager
    def _writing(self, *, ending: bool = False) -> Iterator[None]:
        """Evidence that cannot be written (a full disk) stops a run before its change; once
        the upload has begun, or when the run is ending, the failure is noted and reported."""
        try:
            yield
        except OSError as error:
            if not (ending or self.changing.is_set()):
                raise
            if str(error) not in self.unwritten:
                self.unwritten.append(str(error))

    def change_in_progress(self) -> None:
        """The flow has begun changing the environment: a stopping fleet lets it see the
        change through (verify it, or roll it back) rather than stop between steps."""
        self.changing.set()

    def signed_in(self) -> None:
        """From here on a trace may record: the sign-in, and its password, stay out of it."""
        if not self.record.signed_in:
            self.record.signed_in = True
            self.save()
        if self.page is not None:
            self.tracer.signed_in(self.page)

    def signing_in_again(self) -> None:
        """A sign-in in the middle of the run: the trace stops before the password is typed."""
        self.tracer.suspend(self.page)

    def saw_before(self, shown: InstalledLicense) -> None:
        self.record.license_before = shown
        self.save()
        if self.on_serial is not None and shown.serial_number:
            self.on_serial(shown.serial_number)

    def add_file(self, path: Path, role: str) -> Artifact:
        """Record a file already written into the run folder."""
        with self.timed("files"):
            artifact = artifact_of(path, role)
            self.record.artifacts.append(artifact)
            self.save()
        return artifact

    def write_file(self, name: str, data: bytes, role: str) -> Artifact:
        path = self.folder / name
        with self.timed("files"):
            write_atomically(path, data, exclusive=True)
            return self.add_file(path, role)

    def stop_trace(self, keep: bool) -> None:
        with self._writing(ending=True):
            for path in self.tracer.stop(self.page, keep):
                self.add_file(path, "trace")

    # How the run ended.

    def finish(self, outcome: Outcome, exit_code: int, message: str) -> None:
        self._give_back_reserve()  # the final record, report and log line have room
        if self.unwritten and self.changing.is_set():
            # The change happened but its evidence is incomplete: not "done" (exit 0), and the
            # record says what was lost, beside the steps that ran and what is installed.
            lost = "; ".join(self.unwritten)
            self.record.warnings.append(f"Part of the evidence could not be written ({lost}).")
            if exit_code == ExitCode.OK:
                exit_code = ExitCode.EVIDENCE_DOES_NOT_VERIFY
                message += " Part of its evidence could not be written (see the warnings)."
        self.record.outcome = outcome
        self.record.exit_code = exit_code
        self.record.message = message
        self.record.finished_at = datetime.now(UTC)
        self.record.timing = run_timing(self.record)
        self.save(ending=True)

    def fail(self, error: BaseException) -> None:
        """End the run with an error: expected ones carry their own outcome and exit code."""
        record, outcome, exit_code = ending(
            error,
            self.record,
            self.current_step,
            changing=self.changing.is_set(),
            folder=self.folder,
            recall=self.recall,
        )
        self.record.error = record
        self.finish(outcome, exit_code, record.message)

    def save(self, *, ending: bool = False) -> None:
        with self.timed("files"):
            data = self.record.model_dump_json(indent=2).encode() + b"\n"
            with self._writing(ending=ending):
                write_atomically(self.folder / "run.json", data)

    def _notify(self, event: StepEvent) -> None:
        if self._listener is not None:
            self._listener(event)

    def _give_back_reserve(self) -> None:
        if self._reserve is not None:
            self._reserve.unlink(missing_ok=True)
            self._reserve = None


def _set_aside(folder: Path) -> Path | None:
    """Write the run's reserve; None when the disk has no room for it (the run's first writes
    then fail, before any change, and it stops there)."""
    path = folder.parent / RESERVES / folder.name
    try:
        path.parent.mkdir(exist_ok=True)
        with path.open("wb") as reserve:  # its blocks are the disk's to give once written
            reserve.write(bytes(RESERVE_BYTES))
    except OSError:
        path.unlink(missing_ok=True)
        return None
    _sweep(path)
    return path


def _sweep(own: Path) -> None:
    """Give back the reserves of runs whose process ended without doing so (kill -9, a
    crash): each is named after its run folder, whose run.json names its process."""
    for other in own.parent.iterdir():
        if other == own:
            continue
        try:
            process = load_record(own.parent.parent / other.name).process
        except (OSError, ValueError):
            continue  # a run just starting, or a folder gone: not ours to judge
        if process is not None and is_alive(process) is False:
            other.unlink(missing_ok=True)
