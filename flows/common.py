"""Steps 1 and 2 of every licensing flow: sign in and reach Administration > Licensing."""

from __future__ import annotations

from automation.pages.licensing import LicensingPage
from automation.pages.login import LoginPage
from flows.visit import Visit

STEPS = 4  # open_licensing()'s; a headed run shows "Step 3/8", counted from these


def open_licensing(visit: Visit) -> LicensingPage:
    """Open Service Center, sign in, click Administration, then its Licensing submenu."""
    run, target = visit.run, visit.target
    with run.step("Open Service Center"):
        login = visit.retrying(lambda: LoginPage.open(visit.page, target.url, target.profile))
        run.saw_environment(login.environment_name())
    with run.step("Sign in"):
        service_center = login.login(target.user, target.password.get_secret_value())
    run.signed_in()
    with run.step("Click the Administration tab"):
        visit.resuming(service_center.open_administration)
    with run.step("Open the Licensing submenu"):
        licensing = visit.resuming(
            service_center.open_licensing, back_to=service_center.open_administration
        )
        run.saw_before(licensing.read_license())
    return licensing
