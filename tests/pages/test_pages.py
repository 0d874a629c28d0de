"""Page objects against the sandbox, through pytest-playwright's page fixture. Uploads, and
Service Center's refusals of them, are tested on every kind of upload form in
test_variants.py; a refused sign-in through the CLI (tests/cli/test_faults.py)."""

from __future__ import annotations

from pathlib import Path
from time import monotonic

import pytest
from playwright.sync_api import Page, Route, expect

from automation.errors import CannotReach, SignedOut
from automation.pages.licensing import VALID_BANNER, LicensingPage
from automation.pages.login import LoginPage
from tests.support.fixture_types import StartSandbox
from tests.support.sandboxes import Sandbox


def open_licensing(page: Page, sandbox: Sandbox) -> LicensingPage:
    login = LoginPage.open(page, sandbox.url)
    return login.login(sandbox.user, sandbox.password).open_administration().open_licensing()


def test_sign_in_page_tells_the_environment_name(page: Page, start_sandbox: StartSandbox) -> None:
    sandbox = start_sandbox(environment_name="Production")
    login = LoginPage.open(page, sandbox.url)
    assert login.environment_name() == "Production"
    expect(page.get_by_text("Enter your OutSystems credentials")).to_be_visible()


def test_a_page_that_is_not_service_center_is_reported(page: Page, sandbox: Sandbox) -> None:
    with pytest.raises(CannotReach, match="shows no Service Center sign-in page"):
        LoginPage.open(page, f"{sandbox.server.url}/ServiceCenter/NoSuchPage-is-a-404")


def test_licensing_page_reads_the_installed_license(page: Page, sandbox: Sandbox) -> None:
    shown = open_licensing(page, sandbox).read_license()
    installed = sandbox.installed
    assert installed is not None
    assert shown.valid and shown.banner == VALID_BANNER
    assert shown.serial_number == sandbox.serial
    assert shown.activation_code == installed.activation_code
    assert shown.organization_name == installed.organization_name
    assert shown.edition_name == installed.edition_name
    assert shown.license_type == installed.license_type
    assert shown.end_date == (installed.end_date.isoformat() if installed.end_date else "Never")


def test_backup_license_saves_the_installed_file_whole_by_its_content_length(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    backup = open_licensing(page, sandbox).backup_license(tmp_path)
    assert backup.path is not None and backup.path.suffix == ".lic"
    assert backup.path.read_bytes() == sandbox.server.state.installed_bytes
    assert backup.confirmed_by == "content-length"
    assert backup.content_length == backup.size == backup.path.stat().st_size
    assert backup.second is None  # the length said it: no second download


def test_backup_license_in_an_expired_session_says_signed_out_at_once(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    licensing = open_licensing(page, sandbox)
    sandbox.server.state.faults.expire_session_on = "LicenseBackup.aspx"
    started = monotonic()
    with pytest.raises(SignedOut, match="sign-in page"):
        licensing.backup_license(tmp_path)
    # The sign-in page came instead of a download: no reason to wait for one (30 s here).
    assert monotonic() - started < 10
    assert list(tmp_path.iterdir()) == []


def test_backup_license_that_posts_back_before_its_download_still_saves_the_file(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    licensing = open_licensing(page, sandbox)
    # As ASP.NET does: the click brings a new document first, which then sends the file.
    posted_back: list[str] = []

    def post_back_first(route: Route) -> None:
        if posted_back:
            route.continue_()
            return
        posted_back.append(route.request.url)
        then = "setTimeout(() => { location.href = location.href + '?download'; }, 1000)"
        route.fulfill(content_type="text/html", body=f"<p>Preparing</p><script>{then}</script>")

    page.route("**/LicenseBackup.aspx*", post_back_first)
    backup = licensing.backup_license(tmp_path).path
    assert posted_back
    assert backup is not None and backup.read_bytes() == sandbox.server.state.installed_bytes
