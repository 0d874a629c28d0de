"""Upload New License: the right file is installed, anything else is refused and changes nothing."""

from __future__ import annotations

import datetime

import httpx

from automation.sandbox import messages
from automation.sandbox.licenses import SandboxLicense, issue_license, render_license
from tests.support.http import LICENSING, UPLOAD, banner, fields, upload
from tests.support.markup import alerts, parse
from tests.support.sandboxes import Sandbox


def test_upload_page_has_a_labelled_file_input_upload_button_and_cancel(
    client: httpx.Client,
) -> None:
    html = client.get(UPLOAD).text
    page = parse(html)
    assert page.find("h1").lines() == ["Upload New License"]
    assert '<label for="wt7_wtMainContent_wtLicenseFileUpload">License File</label>' in html
    assert page.find("input", type="submit").attrs["value"] == "Upload"
    assert "Cancel" in page.find(id="wt3_wtMainContent").links()


def test_upload_with_the_right_serial_installs_it_and_licensing_shows_it(
    client: httpx.Client, sandbox: Sandbox, another_license: SandboxLicense
) -> None:
    data = render_license(another_license)
    response = upload(client, data)
    assert response.url.path == LICENSING
    page = parse(response.text)
    assert page.find(role="status").lines() == ["The license was successfully uploaded."]
    assert fields(page)["Activation Code"] == another_license.activation_code
    assert fields(page)["Organization Name"] == "Renewed Org"
    assert banner(page) == [messages.VALID]
    assert sandbox.state.installed_bytes == data
    assert client.get("/ServiceCenter/LicenseBackup.aspx").content == data


def test_upload_for_another_serial_is_refused_with_the_documented_text(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    before = sandbox.state.installed_bytes
    other = issue_license("XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT")
    response = upload(client, render_license(other))
    assert response.url.path == UPLOAD
    assert alerts(response.text) == [
        "The license found is not valid for this server because it was issued to a server "
        "with serial number 'XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT'"
    ]
    assert sandbox.state.installed_bytes == before
    assert sandbox.state.uploads[-1].accepted is False


def test_a_tampered_file_is_refused(
    client: httpx.Client, sandbox: Sandbox, another_license: SandboxLicense
) -> None:
    before = sandbox.state.installed_bytes
    data = render_license(another_license).replace(b"Unlimited", b"Unlimitee", 1)
    response = upload(client, data)
    assert alerts(response.text) == [f"{messages.NO_LICENSE}\n{messages.NOT_A_LICENSE_FILE}"]
    assert sandbox.state.installed_bytes == before


def test_garbage_empty_missing_and_huge_files_are_refused(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    before = sandbox.state.installed_bytes
    for data in (b"garbage", b"", b"x" * (1024 * 1024 + 1)):
        assert alerts(upload(client, data).text)[0].startswith(messages.NO_LICENSE)
    no_file = client.post(UPLOAD, data={"__OSVSTATE": "x"})
    assert alerts(no_file.text)[0].startswith(messages.NO_LICENSE)
    assert sandbox.state.installed_bytes == before
    assert [u.accepted for u in sandbox.state.uploads] == [False] * 4


def test_an_expired_license_is_accepted_and_shows_the_expired_banner(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    serial = sandbox.state.config.serial_number
    expired = issue_license(serial, end_date=datetime.date.today() - datetime.timedelta(days=1))
    page = parse(upload(client, render_license(expired)).text)
    assert banner(page) == [
        "This server license has expired. Your Service Center administrator must request a new "
        "license"
    ]
    assert sandbox.state.installed_license == expired


def test_every_upload_attempt_is_recorded(
    client: httpx.Client, sandbox: Sandbox, another_license: SandboxLicense
) -> None:
    upload(client, b"garbage", "bad.lic")
    upload(client, render_license(another_license), "good.lic")
    assert [(u.filename, u.accepted) for u in sandbox.state.uploads] == [
        ("bad.lic", False),
        ("good.lic", True),
    ]
    assert sandbox.state.uploads[1].message == messages.UPLOADED
