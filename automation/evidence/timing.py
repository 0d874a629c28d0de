"""Where a step's time went, measured from the inside: the page's own work, the screenshot,
its caption strip, the page's text, the evidence files, and pauses before a retry.

Always on: a clock read (time.perf_counter) costs well under a microsecond, against the
milliseconds each part takes, and run.json already records each step's duration."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Literal

from automation.evidence.records import RunRecord, RunTiming

# "page": the step's Playwright calls (navigation, clicks, waits for the page, reads of its
# values); "screenshot": the capture, encoded by the browser; "caption": the strip composed
# below it; "page_text": the ARIA snapshot (and a failed step's HTML); "files": run.json and
# the files kept, hashed and written; "waited": pauses before a retry; "other": the rest
# (Python between the parts, progress shown to the operator).
Part = Literal["page", "screenshot", "caption", "page_text", "files", "waited", "other"]
PARTS: tuple[Part, ...] = (
    "page",
    "screenshot",
    "caption",
    "page_text",
    "files",
    "waited",
    "other",
)


class StepClock:
    """Charges the time since it started to one part at a time: a part entered inside another
    (run.json saved during the page's work) is taken out of the outer one."""

    def __init__(self) -> None:
        self.seconds: dict[Part, float] = dict.fromkeys(PARTS, 0.0)
        self._current: list[Part] = ["other"]
        self._since = time.perf_counter()

    @contextmanager
    def part(self, name: Part) -> Iterator[None]:
        self._charge()
        self._current.append(name)
        try:
            yield
        finally:
            self._charge()
            self._current.pop()

    def stop(self) -> tuple[int, dict[Part, float]]:
        """The whole time in milliseconds, and the seconds of each part in whole milliseconds
        rounded down, so that the parts never add up to more than the whole; parts that took
        under a millisecond are left out."""
        self._charge()
        whole = round(sum(self.seconds.values()) * 1000)
        down = {part: math.floor(s * 1000) / 1000 for part, s in self.seconds.items()}
        return whole, {part: s for part, s in down.items() if s > 0}

    def _charge(self) -> None:
        now = time.perf_counter()
        self.seconds[self._current[-1]] += now - self._since
        self._since = now


def run_timing(record: RunRecord) -> RunTiming | None:
    """How a finished run's time split, from the times its record holds."""
    if record.finished_at is None:
        return None
    process = record.process
    # A fleet's process runs many environments: only a run of its own starts with it.
    start_up = (
        seconds(record.started_at - process.started_at)
        if process is not None and record.fleet_run is None
        else None
    )
    steps = record.steps
    if not steps:
        return RunTiming(
            start_up=start_up,
            before_steps=seconds(record.finished_at - record.started_at),
            steps={},
            between_steps=0.0,
            after_steps=0.0,
        )
    ends = [step.started_at + timedelta(milliseconds=step.duration_ms) for step in steps]
    gaps = [nxt.started_at - end for end, nxt in zip(ends, steps[1:], strict=False)]
    added: dict[str, float] = dict.fromkeys(PARTS, 0.0)
    for step in steps:
        for part, spent in (step.timing or {}).items():
            added[part] = added.get(part, 0.0) + spent
    return RunTiming(
        start_up=start_up,
        before_steps=seconds(steps[0].started_at - record.started_at),
        steps={part: round(spent, 3) for part, spent in added.items() if spent > 0},
        between_steps=round(sum(max(0.0, gap.total_seconds()) for gap in gaps), 3),
        after_steps=seconds(record.finished_at - ends[-1]),
    )


def seconds(span: timedelta) -> float:
    return round(max(0.0, span.total_seconds()), 3)
