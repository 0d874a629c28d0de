"""Where a run's time went, in run.json: each step split into the page's own work, the
screenshot, its caption, the page's text and the files, and the run's whole split."""

from __future__ import annotations

from automation.evidence.records import load_record
from automation.evidence.timing import PARTS
from tests.support.recordings import FinishedRuns


def test_each_step_says_where_its_time_went_in_parts_that_fit_in_its_duration(
    runs: FinishedRuns,
) -> None:
    record = load_record(runs.installed)

    for step in record.steps:
        assert step.timing, f"step {step.number} has no timing"
        assert set(step.timing) <= set(PARTS)
        assert step.timing["page"] > 0
        assert step.timing["screenshot"] > 0
        assert sum(step.timing.values()) * 1000 <= step.duration_ms, step
    captioned = [step for step in record.steps if step.annotation]
    assert captioned and all(step.timing and step.timing["caption"] > 0 for step in captioned)


def test_the_run_adds_up_its_steps_parts_and_the_time_around_them(runs: FinishedRuns) -> None:
    record = load_record(runs.installed)
    timing = record.timing

    assert timing is not None and record.finished_at is not None
    for part in ("page", "screenshot", "caption", "files"):
        spent = sum((step.timing or {}).get(part, 0.0) for step in record.steps)
        assert abs(timing.steps[part] - spent) < 0.002
    whole = (record.finished_at - record.started_at).total_seconds()
    steps = sum(step.duration_ms for step in record.steps) / 1000
    around = timing.before_steps + timing.between_steps + timing.after_steps
    assert abs(steps + around - whole) < 0.05
    assert timing.start_up is not None and timing.start_up >= 0
