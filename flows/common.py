"""The steps every licensing flow starts with: sign in and reach Administration > Licensing."""

from __future__ import annotations

from pydantic import BaseModel

from automation.pages.licensing import LicensingPage
from automation.pages.login import LoginPage
from automation.records import Outcome
from flows.visit import Visit


class FlowResult(BaseModel):
    """What a flow hands back: its outcome in one word and in one sentence."""

    outcome: Outcome
    message: str


def open_licensing(visit: Visit) -> LicensingPage:
    """Steps 1 and 2 of the documented procedure, signing in on the way."""
    run, target = visit.run, visit.target
    with run.step("Open Service Center"):
        login = visit.retrying(lambda: LoginPage.open(visit.page, target.url))
        run.record.environment_shown = login.environment_name()
    with run.step("Sign in"):
        service_center = login.login(target.user, target.password.get_secret_value())
    run.signed_in()
    with run.step("Click the Administration tab"):
        visit.resuming(service_center.open_administration)
    with run.step("Open the Licensing submenu"):
        licensing = visit.resuming(
            service_center.open_licensing, back_to=service_center.open_administration
        )
        run.record.license_before = licensing.read_license()
    return licensing
