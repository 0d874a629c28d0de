"""The expiry timeline of a fleet's status report: each environment's end date on one date
axis, with today and the --warn-days threshold marked; drawn as inline SVG by _expiry.html."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from automation.evidence.records import FleetEntry
from automation.outcomes import Severity, expiry_severity

WIDTH = 720
LEFT = 140  # room for the environment's name
RIGHT = 20
ROW = 26
TOP = 34  # room for the labels of today and the threshold


@dataclass(frozen=True)
class Mark:
    environment: str
    y: int
    x: float
    end: date
    days_left: int
    severity: Severity


@dataclass(frozen=True)
class Timeline:
    height: int
    left: int
    right: int
    today_x: float
    today: date
    warn_x: float | None
    warn_date: date | None
    first: date  # the axis's ends
    last: date
    marks: list[Mark]
    unknown: list[str]  # environments with no end date (never ends, or not read)


def timeline(entries: list[FleetEntry], warn_days: int | None, today: date) -> Timeline:
    """Where each environment's end date falls between the earliest and the latest of them,
    today and the threshold included."""
    dated = [e for e in entries if e.days_left is not None]
    days = [e.days_left for e in dated if e.days_left is not None]
    low = min([0, *days])
    high = max([1, *days, warn_days or 0])
    span = high - low
    plot = WIDTH - LEFT - RIGHT

    def x(day: int) -> float:
        return round(LEFT + plot * (day - low) / span, 1)

    marks = [
        Mark(
            environment=entry.environment,
            y=TOP + ROW * n + ROW // 2,
            x=x(entry.days_left),
            end=today + timedelta(days=entry.days_left),
            days_left=entry.days_left,
            severity=expiry_severity(
                entry.days_left, warn_days, entry.shown.valid if entry.shown else True
            ),
        )
        for n, entry in enumerate(dated)
        if entry.days_left is not None
    ]
    return Timeline(
        height=TOP + ROW * max(1, len(marks)) + 24,
        left=LEFT,
        right=WIDTH - RIGHT,
        today_x=x(0),
        today=today,
        warn_x=x(warn_days) if warn_days is not None else None,
        warn_date=today + timedelta(days=warn_days) if warn_days is not None else None,
        first=today + timedelta(days=low),
        last=today + timedelta(days=high),
        marks=marks,
        unknown=[e.environment for e in entries if e.days_left is None],
    )
