"""The steps every licensing flow starts with: sign in and reach Administration > Licensing."""

from __future__ import annotations

from playwright.sync_api import Page
from pydantic import BaseModel

from automation.config import Target
from automation.evidence import Outcome, Run
from automation.pages.licensing import LicensingPage
from automation.pages.login import LoginPage


class FlowResult(BaseModel):
    """What a flow hands back: its outcome in one word and in one sentence."""

    outcome: Outcome
    message: str


def open_licensing(page: Page, run: Run, target: Target) -> LicensingPage:
    """Steps 1 and 2 of the documented procedure, signing in on the way."""
    run.page = page
    with run.step("Open Service Center"):
        login = LoginPage.open(page, target.url)
        run.record.environment_shown = login.environment_name()
    with run.step("Sign in"):
        service_center = login.login(target.user, target.password.get_secret_value())
    run.signed_in()
    with run.step("Click the Administration tab"):
        service_center.open_administration()
    with run.step("Open the Licensing submenu"):
        licensing = service_center.open_licensing()
        run.record.license_before = licensing.read_license()
    return licensing
