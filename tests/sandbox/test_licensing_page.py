"""Administration > Licensing: what the page shows, Backup License and Audit License."""

from __future__ import annotations

import datetime

import httpx

from automation.sandbox import messages
from automation.sandbox.licenses import issue_license, random_serial, render_license
from tests.support.fixture_types import SignIn, StartSandbox
from tests.support.http import LICENSING, banner, fields, licensing_page
from tests.support.markup import alerts, parse
from tests.support.sandboxes import Sandbox

LINKS = [
    "Upload New License",
    "Backup License",
    "Request a New License",
    "Audit License",
    "End-User Sessions",
    "Application Objects",
    "End-Users Configuration",
    "Modules Source Code",
    "Contact OutSystems",
]


def test_licensing_shows_the_nine_links_in_order(client: httpx.Client) -> None:
    page = licensing_page(client)
    assert page.find("h1").lines() == ["Licensing"]
    assert page.find(id="wt20_wtMainContent_wtActions").links() == LINKS


def test_licensing_shows_the_six_fields_and_the_valid_banner(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    lic = sandbox.state.installed_license
    assert lic is not None and lic.end_date is not None
    page = licensing_page(client)
    assert banner(page) == [messages.VALID]
    assert fields(page) == {
        "Organization Name": "Sandbox Organization",
        "Edition Name": "OutSystems Enterprise",
        "License Type": "Production",
        "Activation Code": lic.activation_code,
        "Serial Number": sandbox.state.config.serial_number,
        "End Date": lic.end_date.isoformat(),
    }


def test_blank_values_show_blank_and_a_license_without_end_says_never(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    serial = random_serial()
    server = start_sandbox(serial, license=issue_license(serial, edition_name="", end_date=None))
    page = licensing_page(signed_in(server))
    assert fields(page)["Edition Name"] == ""
    assert fields(page)["End Date"] == "Never"


def test_features_table_lists_limits_and_usage(client: httpx.Client) -> None:
    table = licensing_page(client).find(id="wt20_wtMainContent_wtFeaturesTable")
    assert table.find("thead").lines() == ["Feature", "Limit", "Usage"]
    rows = [row.lines() for row in table.find("tbody").find_all("tr")]
    assert len(rows) == 9
    assert rows[2][0] == "Active Internal Users" and rows[2][2:] == ["Unlimited", "102"]


def test_feature_filter_keeps_matching_names_and_reset_clears_it(client: httpx.Client) -> None:
    def names(**query: str) -> list[str]:
        table = licensing_page(client, **query).find(id="wt20_wtMainContent_wtFeaturesTable")
        return [row.lines()[0] for row in table.find("tbody").find_all("tr")]

    assert names(Name="users") == [
        "Active External Users",
        "Active Internal Users",
        "Anonymous End-Users Sessions",
        "Service Center Users",
    ]
    assert len(names(Name="users", Reset="Reset")) == 9


def test_backup_returns_the_exact_installed_bytes_as_an_attachment(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    response = client.get("/ServiceCenter/LicenseBackup.aspx")
    serial = sandbox.state.config.serial_number
    assert response.content == sandbox.state.installed_bytes
    assert response.headers["content-disposition"] == f'attachment; filename="{serial}.lic"'
    assert response.headers["content-type"] == "application/octet-stream"


def test_backup_without_a_license_shows_an_error_on_licensing(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    client = signed_in(start_sandbox(license=None))
    response = client.get("/ServiceCenter/LicenseBackup.aspx", follow_redirects=True)
    assert response.url.path == LICENSING
    assert alerts(response.text) == [messages.NO_LICENSE]
    assert banner(parse(response.text)) == [messages.NO_LICENSE]


def test_audit_license_downloads_the_audit_file(client: httpx.Client) -> None:
    response = client.get("/ServiceCenter/LicenseAudit.aspx")
    assert response.headers["content-disposition"] == 'attachment; filename="OutSystems.Audit.txt"'
    assert "Serial Number:" in response.text


def test_a_license_near_its_end_date_warns(start_sandbox: StartSandbox, signed_in: SignIn) -> None:
    serial = random_serial()
    soon = datetime.date.today() + datetime.timedelta(days=12)
    server = start_sandbox(serial, license=issue_license(serial, end_date=soon))
    assert banner(licensing_page(signed_in(server))) == [messages.expires_within(12)]


def test_a_changed_server_serial_invalidates_the_installed_license(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    old_serial = sandbox.state.config.serial_number
    sandbox.state.config.serial_number = random_serial()
    page = licensing_page(client)
    assert banner(page) == [
        "Your license is invalid as it was issued for a different server with the following "
        f"serial number '{old_serial}'.",
        "Contact OutSystems Sales to keep using your applications and the OutSystems Platform.",
    ]
    assert fields(page)["Serial Number"] == sandbox.state.config.serial_number


def test_a_banner_override_shows_the_clock_lag_text(client: httpx.Client, sandbox: Sandbox) -> None:
    sandbox.state.banner_override = messages.CLOCK_LAG
    assert banner(licensing_page(client)) == [messages.CLOCK_LAG]


def test_no_license_installed_says_so(start_sandbox: StartSandbox, signed_in: SignIn) -> None:
    page = licensing_page(signed_in(start_sandbox(license=None)))
    assert banner(page) == ["No license was found for this server"]
    assert fields(page)["Activation Code"] == ""


def test_sample_file_is_what_backup_serves(start_sandbox: StartSandbox, signed_in: SignIn) -> None:
    serial = random_serial()
    lic = issue_license(serial)
    client = signed_in(start_sandbox(serial, license=lic))
    assert client.get("/ServiceCenter/LicenseBackup.aspx").content == render_license(lic)
