"""Steps 1 and 2 of every licensing flow: sign in and reach Administration > Licensing."""

from __future__ import annotations

from automation.licenses import InstalledLicense
from automation.pages.licensing import LicensingPage
from automation.pages.login import LoginPage
from flows.visit import Visit

STEPS = 4  # open_licensing()'s; a headed run shows "Step 3/8", counted from these


def open_licensing(visit: Visit) -> tuple[LicensingPage, InstalledLicense]:
    """Open Service Center, sign in, click Administration, then its Licensing submenu;
    the page, and the license it shows."""
    run, target = visit.run, visit.target
    with run.step("Open Service Center"):
        login = visit.retrying(
            lambda: LoginPage.open(visit.page, target.url, target.profile, target.sign_in_origin)
        )
        run.saw_environment(login.environment_name())
    with run.step("Sign in"):
        service_center = login.login(target.user, target.password)
    run.signed_in()
    with run.step("Click the Administration tab"):
        visit.resuming(service_center.open_administration)
    with run.step("Open the Licensing submenu"):
        licensing = visit.resuming(
            service_center.open_licensing, back_to=service_center.open_administration
        )
        shown = licensing.read_license()
        visit.note_notices()
        run.saw_before(shown)
        if shown.end_date_candidates:  # reported, never guessed
            run.warn(ambiguous_end_date(shown))
    return licensing, shown


def ambiguous_end_date(shown: InstalledLicense) -> str:
    dates = " or ".join(shown.end_date_candidates)
    return (
        f"The Licensing page writes its End Date “{shown.end_date_shown}”, which may be "
        f"{dates}: it is not guessed, and is checked against the license file's own date "
        "where it has one. A site profile's [licensing] date_format says which."
    )
