"""What a flow is, to the runner that runs one and to the flows that are one: a business
procedure that drives the page for one environment, records into its run, and says how it
ended. Flows know nothing of the runner; the runner knows flows only as this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page

from automation.config import Target
from automation.evidence.records import FlowResult
from automation.evidence.run import Run

Flow = Callable[[Page, Run, Target], FlowResult]


@dataclass(frozen=True)
class Procedure:
    """What a command runs, said once where the command knows it: the flow, its name (the
    run folder's and the record's), and whether it may change the environment. A change
    takes the environment's lock, claims its serial, and needs a change ticket where the
    inventory requires one; a read or a dry run changes nothing, so it needs none of these."""

    name: str
    flow: Flow
    changes: bool


__all__ = ["Flow", "FlowResult", "Procedure"]
