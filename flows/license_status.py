"""Read the installed license off the Licensing page."""

from __future__ import annotations

from playwright.sync_api import Page

from automation.config import Target
from automation.evidence.records import FlowResult
from automation.evidence.run import Run
from flows import common
from flows.common import open_licensing
from flows.visit import Visit


def license_status(page: Page, run: Run, target: Target) -> FlowResult:
    """Sign in, open Administration > Licensing and read what it shows."""
    run.plan(common.STEPS)
    open_licensing(Visit(page, run, target))
    installed = run.record.license_before
    assert installed is not None
    return FlowResult(outcome="reported", message=f"{target.name}: {installed.banner}")
