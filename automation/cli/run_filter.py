"""`audit list --env --flow --outcome --since --change`: which recorded runs to show."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import get_args

from pydantic import BaseModel, ConfigDict

from automation.errors import BadInput
from automation.evidence.records import RunRecord
from automation.evidence.runs import ListedRun
from automation.inventory import close_match
from automation.outcomes import Outcome

UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
OUTCOMES: tuple[str, ...] = get_args(Outcome)


def since(text: str, now: datetime) -> datetime:
    """--since as a moment: a date (2026-11-01, from its start, UTC), a date and time in ISO
    form (UTC unless it says otherwise), or a duration back from now (30m, 12h, 7d, 2w)."""
    duration = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text)
    if duration:
        return now - timedelta(**{UNITS[duration.group(2)]: int(duration.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"--since '{text}' is neither a date nor a duration.",
            hint="Give a date like 2026-11-01 (UTC), or a duration back from now like 7d, "
            "12h, 30m or 2w.",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class RunFilter(BaseModel):
    """The runs an operator asked to see; none given keeps every run."""

    model_config = ConfigDict(frozen=True)

    environment: str | None = None
    flow: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    change: str | None = None  # the change ticket, as given (matched without regard to case)

    @classmethod
    def of(
        cls,
        environment: str | None,
        flow: str | None,
        outcome: str | None,
        since_text: str | None,
        now: datetime,
        change: str | None = None,
    ) -> RunFilter:
        """From the options, or a clear refusal of an outcome or a --since that cannot be."""
        if outcome is not None and outcome not in OUTCOMES:
            raise BadInput(
                f"--outcome '{outcome}' is not an outcome a run can have"
                + close_match(outcome, OUTCOMES)
                + ".",
                hint=f"Give one of: {', '.join(OUTCOMES)}.",
            )
        return cls(
            environment=environment,
            flow=flow,
            outcome=outcome,
            since=since(since_text, now) if since_text is not None else None,
            change=change.strip() if change is not None else None,
        )

    def keeps(self, record: RunRecord | ListedRun) -> bool:
        started = record.started_at
        if started.tzinfo is None:
            started = started.replace(tzinfo=UTC)
        return (
            (self.environment is None or record.environment == self.environment)
            and (self.flow is None or record.flow == self.flow)
            and (self.outcome is None or record.outcome == self.outcome)
            and (self.since is None or started >= self.since)
            and (self.change is None or _same_ticket(record.change, self.change))
        )


def _same_ticket(recorded: str | None, given: str) -> bool:
    """Whether a run was made under the ticket given: CHG0012345 and chg0012345 are one."""
    return recorded is not None and recorded.strip().casefold() == given.casefold()
