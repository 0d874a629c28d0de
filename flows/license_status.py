"""Read the installed license off the Licensing page, and judge it against --warn-days."""

from __future__ import annotations

from datetime import date
from functools import partial

from playwright.sync_api import Page

from automation.config import Target
from automation.errors import ExitCode
from automation.evidence.records import FlowResult
from automation.evidence.run import Run
from automation.licenses import InstalledLicense, end_date_of
from automation.procedure import Flow
from flows import common
from flows.common import open_licensing
from flows.visit import Visit


def license_status(
    page: Page, run: Run, target: Target, warn_days: int | None = None
) -> FlowResult:
    """Sign in, open Administration > Licensing and read what it shows; a license shown not
    valid, or (with `warn_days`) ending within them, ends the run as "attention" (exit 8)."""
    run.plan(common.STEPS)
    _, installed = open_licensing(Visit(page, run, target))
    end = end_date_of(installed)
    days_left = (end - date.today()).days if end else None
    run.judged_expiry(days_left, warn_days)
    concern = needs_attention(installed, days_left, warn_days)
    if concern is not None:
        return FlowResult(
            outcome="attention",
            message=f"{target.name}: {concern}",
            exit_code=ExitCode.LICENSE_NEEDS_ATTENTION,
        )
    return FlowResult(outcome="reported", message=f"{target.name}: {installed.banner}")


def watching(warn_days: int | None) -> Flow:
    """`status`, judging each license against --warn-days (when given)."""
    return partial(license_status, warn_days=warn_days)


def needs_attention(
    installed: InstalledLicense, days: int | None, warn_days: int | None
) -> str | None:
    """Why a license needs attention, or None: Service Center shows it not valid (whatever
    --warn-days says), or it ends within --warn-days."""
    if not installed.valid:
        return installed.banner
    if days is not None and warn_days is not None and days <= warn_days:
        return f"the license ends in {days} days ({installed.end_date})"
    return None
