"""The run folder: numbered step screenshots, saved files, and run.json with their hashes."""

from __future__ import annotations

import getpass
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automation.config import Keep, slug
from automation.errors import ScLicenseError
from automation.licenses import sha256_of
from automation.records import (
    Artifact,
    ErrorRecord,
    Outcome,
    RunRecord,
    StepRecord,
)
from automation.supervision import HIDDEN_IN_SCREENSHOTS, show_step

SCREENSHOT_TIMEOUT_MS = 10_000

# Every password box, filled or not, is a solid block in the evidence: no secret, not even its
# length, reaches an image. A stylesheet applied for the capture only (Playwright applies it in
# every frame and through shadow roots) does what Playwright's `mask` does without the extra
# frame `mask` waits for, about a third of each screenshot's time here.
# The :not(#_) raise the rule above a page's own !important rules for the box.
MASK_COLOUR = "#FF00FF"
PASSWORD = "input[type=password]:not(#_):not(#_):not(#_)"
PASSWORDS_MASKED = (
    f"{PASSWORD}, {PASSWORD}::placeholder {{ "
    f"background: {MASK_COLOUR} !important; color: transparent !important; "
    "-webkit-text-fill-color: transparent !important; text-shadow: none !important; "
    "border-color: transparent !important; caret-color: transparent !important; } "
    f"{PASSWORD}::selection {{ background: transparent !important; }}"
)
SCREENSHOT_STYLE = f"{HIDDEN_IN_SCREENSHOTS} {PASSWORDS_MASKED}"


@dataclass(frozen=True)
class StepEvent:
    """A step starting or ending, for whoever shows progress live."""

    kind: Literal["start", "end"]
    number: int
    name: str
    record: StepRecord | None


class Run:
    """One run's evidence folder; `step()` wraps each documented step of a flow."""

    def __init__(self, folder: Path, record: RunRecord) -> None:
        self.folder = folder
        self.record = record
        self.page: Page | None = None
        self.unexpected: Exception | None = None
        self.unsealed: str | None = None
        self.supervised = False
        self.tracing: Keep = "off"
        self._tracing_started = False
        self._trace_parts: list[Path] = []
        self.listeners: list[Callable[[StepEvent], None]] = []
        self.current_step: str | None = None
        self.navigation_timeout_ms: int | None = None  # the run's own, restored after a screenshot
        # Set when the fleet this run is part of is interrupted: no further step starts,
        # unless the flow has begun a change it must see through (verify, or roll back).
        self.stopping: threading.Event | None = None
        self.must_finish = False
        self.save()

    @classmethod
    def create(cls, root: Path, *, flow: str, environment: str, url: str, user: str) -> Run:
        """Make a new folder recordings/<UTC time>-<environment>-<flow>/, never reusing one."""
        started = datetime.now(UTC)
        base = f"{started:%Y%m%dT%H%M%SZ}-{slug(environment)}-{flow}"
        root.mkdir(parents=True, exist_ok=True)
        for attempt in range(1, 1000):
            folder = root / (base if attempt == 1 else f"{base}-{attempt}")
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            record = RunRecord(
                flow=flow,
                environment=environment,
                url=url,
                user=user,
                operator=_operator(),
                started_at=started,
            )
            return cls(folder, record)
        raise RuntimeError(f"Could not make a new run folder under {root}")

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Run one documented step; screenshot the page after it, passed or failed."""
        if self.stopping is not None and self.stopping.is_set() and not self.must_finish:
            raise KeyboardInterrupt  # recorded as interrupted after the last step
        number = len(self.record.steps) + 1
        started_at = datetime.now(UTC)
        clock = time.perf_counter()
        error: BaseException | None = None
        self.current_step = name
        self._notify(StepEvent("start", number, name, None))
        if self.page is not None and self.supervised:
            show_step(self.page, name)
        if self._tracing_started and self.page is not None:
            with suppress(PlaywrightError):
                self.page.context.tracing.group(name)
        try:
            yield
        except BaseException as exc:
            error = exc
            raise
        finally:
            if self._tracing_started and self.page is not None:
                # After Ctrl-C the driver is gone: the interrupt matters, not the group.
                with suppress(PlaywrightError):
                    self.page.context.tracing.group_end()
            shot, no_shot = self._screenshot(f"{number:02d}-{slug(name)}.png")
            step = StepRecord(
                number=number,
                name=name,
                status="failed" if error else "passed",
                started_at=started_at,
                duration_ms=round((time.perf_counter() - clock) * 1000),
                screenshot=shot.file if shot else None,
                screenshot_sha256=shot.sha256 if shot else None,
                screenshot_missing=no_shot,
                error=describe(error) if error else None,
            )
            self.record.steps.append(step)
            if error is None:
                self.current_step = None  # between steps; a failure keeps the step it was on
            self.save()
            self._notify(StepEvent("end", number, name, step))

    def signed_in(self) -> None:
        """From here on a trace may record: the sign-in, and its password, stay out of it."""
        if self.tracing != "off" and self.page is not None and not self._tracing_started:
            self.page.context.tracing.start(
                title=f"{self.record.flow} on {self.record.environment}",
                screenshots=True,
                snapshots=True,
            )
            self._tracing_started = True

    def suspend_trace(self) -> None:
        """Stop recording before a sign-in in the middle of a run; signed_in() resumes.
        Playwright records typed values, and chunks would still carry the sign-in."""
        if not self._tracing_started or self.page is None:
            return
        self._tracing_started = False
        part = self.folder / f".trace-{len(self._trace_parts) + 1}.zip.partial"
        with suppress(PlaywrightError):
            self.page.context.tracing.stop(path=part)
            self._trace_parts.append(part)

    def stop_trace(self, keep: bool) -> None:
        """Write trace.zip (trace-2.zip, ... after a sign-in mid-run), or drop the trace."""
        self.suspend_trace()
        parts, self._trace_parts = self._trace_parts, []
        for number, part in enumerate(parts, start=1):
            if keep and part.exists():
                path = self.folder / ("trace.zip" if number == 1 else f"trace-{number}.zip")
                part.rename(path)
                self.add_file(path, "trace")
            else:
                part.unlink(missing_ok=True)

    def _notify(self, event: StepEvent) -> None:
        for listener in self.listeners:
            listener(event)

    def add_file(self, path: Path, role: str) -> Artifact:
        """Record a file already written into the run folder."""
        artifact = _artifact(path, role)
        self.record.artifacts.append(artifact)
        self.save()
        return artifact

    def write_file(self, name: str, data: bytes, role: str) -> Artifact:
        path = self.folder / name
        write_atomically(path, data, exclusive=True)
        return self.add_file(path, role)

    def finish(self, outcome: Outcome, exit_code: int, message: str) -> None:
        self.record.outcome = outcome
        self.record.exit_code = exit_code
        self.record.message = message
        self.record.finished_at = datetime.now(UTC)
        self.save()

    def fail(self, error: BaseException) -> None:
        """End the run with an error: expected ones carry their own outcome and exit code."""
        failed = next((s.name for s in self.record.steps if s.status == "failed"), None)
        outcome: Outcome = "failed"
        if isinstance(error, ScLicenseError):
            record = ErrorRecord(
                kind=error.kind, message=error.message, hint=error.hint, step=failed
            )
            outcome, exit_code = error.outcome, error.exit_code  # type: ignore[assignment]
        elif isinstance(error, KeyboardInterrupt):
            last = self.record.steps[-1].name if self.record.steps else None
            if self.current_step:
                message = f"Interrupted during the step “{self.current_step}”."
            elif last:
                message = f"Interrupted after the step “{last}”."
            else:
                message = "Interrupted before the first step."
            if self.record.backup:
                message += f" The backup taken is kept: {self.record.backup.file}."
            record = ErrorRecord(
                kind="interrupted", message=message, step=self.current_step or last
            )
            outcome, exit_code = "interrupted", 130
        else:
            record = ErrorRecord(kind="unexpected", message=describe(error), step=failed)
            exit_code = 1
        self.record.error = record
        self.finish(outcome, exit_code, record.message)

    def save(self) -> None:
        data = self.record.model_dump_json(indent=2).encode() + b"\n"
        write_atomically(self.folder / "run.json", data)

    def _screenshot(self, name: str) -> tuple[Artifact | None, str | None]:
        """The step's picture, or why there is none."""
        if self.page is None or self.page.is_closed():
            return None, "no page was open"
        path = self.folder / name
        error: PlaywrightError | None = None
        # A screenshot waits for a page still loading; a failure's picture matters even when
        # the page is slower than the run's navigation timeout, so it gets time of its own.
        with suppress(PlaywrightError):
            self.page.set_default_navigation_timeout(SCREENSHOT_TIMEOUT_MS)
        for _attempt in (1, 2):
            try:
                self.page.screenshot(
                    path=path,
                    animations="disabled",
                    style=SCREENSHOT_STYLE,
                    timeout=SCREENSHOT_TIMEOUT_MS,
                )
                error = None
                break
            except PlaywrightError as failed:
                error = failed
                # A page that finished loading mid-screenshot is there now: once more.
                if "context was destroyed" not in str(failed):
                    break
        if self.navigation_timeout_ms is not None:
            with suppress(PlaywrightError):
                self.page.set_default_navigation_timeout(self.navigation_timeout_ms)
        if error is not None:
            return None, describe(error)
        return _artifact(path, "screenshot"), None


def _artifact(path: Path, role: str) -> Artifact:
    data = path.read_bytes()
    return Artifact(file=path.name, role=role, size=len(data), sha256=sha256_of(data))


def write_atomically(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write then rename, so a crash never leaves a half-written file that looks complete."""
    if exclusive and path.exists():
        raise FileExistsError(f"{path} exists; evidence is never overwritten")
    # Named for the writer: runs in parallel threads may write the same index at once.
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.partial")
    with temporary.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def describe(error: BaseException) -> str:
    if isinstance(error, ScLicenseError):
        return error.message
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
