"""Faults on demand: waits, errors and refusals a real Service Center can produce."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from automation.sandbox import messages
from automation.sandbox.faults import BackupBody, SandboxFaults
from automation.sandbox.holds import wait_until_held
from automation.sandbox.licenses import SandboxLicense, parse_license, render_license
from tests.support.fixture_types import SignIn, StartSandbox
from tests.support.http import LICENSING, PASSWORD_FIELD, UPLOAD, USER_FIELD, fields, upload
from tests.support.markup import alerts, parse
from tests.support.sandboxes import Sandbox

BACKUP = "/ServiceCenter/LicenseBackup.aspx"
LOGIN = "/ServiceCenter/Login.aspx"


def post_login(server: Sandbox, password: str) -> httpx.Response:
    return httpx.post(
        f"{server.origin}{LOGIN}", data={USER_FIELD: "admin", PASSWORD_FIELD: password}
    )


def timed_get(client: httpx.Client, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_a_new_sandbox_has_every_fault_off(sandbox: Sandbox) -> None:
    assert sandbox.state.faults == SandboxFaults()
    assert sandbox.state.faults.active() == []


def test_delay_ms_set_at_start_slows_every_page(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    server = start_sandbox(faults=SandboxFaults(delay_ms=300))
    client = signed_in(server)
    for path in (LOGIN, LICENSING, BACKUP):
        response, took = timed_get(client, path)
        assert response.status_code == 200
        assert took >= 0.3


def test_delay_routes_slows_the_named_page_from_the_next_request(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.state.faults.delay_routes["Licensing.aspx"] = 300
    response, took = timed_get(client, LICENSING)
    assert response.status_code == 200
    assert took >= 0.3


def test_a_held_page_answers_only_once_the_test_releases_it(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    hold = sandbox.state.faults.hold("Licensing.aspx")
    answers: list[httpx.Response] = []
    asking = threading.Thread(target=lambda: answers.append(client.get(LICENSING)))
    asking.start()
    wait_until_held([hold], 1)
    asking.join(timeout=0.5)
    assert answers == []  # still waiting
    hold.release()
    asking.join(timeout=10)
    assert [answer.status_code for answer in answers] == [200]
    assert timed_get(client, LICENSING)[0].status_code == 200  # released for good


def test_error_500_on_upload_shows_an_error_page_and_keeps_the_license(
    client: httpx.Client, sandbox: Sandbox, another_license: SandboxLicense
) -> None:
    before = fields(parse(client.get(LICENSING).text))["Activation Code"]
    sandbox.state.faults.error_500.add("upload")
    response = upload(client, render_license(another_license))
    assert response.status_code == 500
    page = parse(response.text)
    assert page.find("title").children == ["Internal Server Error"]
    assert "An unexpected error occurred. Please try again later." in page.lines()
    assert fields(parse(client.get(LICENSING).text))["Activation Code"] == before
    assert sandbox.state.uploads[-1].accepted is False


def test_error_500_on_licensing_answers_500_while_other_pages_work(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.state.faults.error_500.add("licensing")
    response = client.get(LICENSING)
    assert response.status_code == 500
    assert parse(response.text).lines() == [
        "Internal Server Error",
        "An unexpected error occurred. Please try again later.",
    ]
    assert client.get("/ServiceCenter/Applications.aspx").status_code == 200


def test_an_ignored_upload_says_success_but_the_old_license_stays(
    client: httpx.Client, sandbox: Sandbox, another_license: SandboxLicense
) -> None:
    before = sandbox.state.installed_bytes
    sandbox.state.faults.upload_ignored = True
    response = upload(client, render_license(another_license))
    assert response.url.path == LICENSING
    page = parse(response.text)
    assert page.find(role="status").lines() == ["The license was successfully uploaded."]
    assert fields(page)["Activation Code"] != another_license.activation_code
    assert fields(page)["Organization Name"] != "Renewed Org"
    assert sandbox.state.installed_bytes == before
    attempt = sandbox.state.uploads[-1]
    assert attempt.accepted is False
    assert "ignored" in attempt.message.lower()


def test_an_expired_session_sends_the_upload_to_login_once(
    client: httpx.Client,
    sandbox: Sandbox,
    signed_in: SignIn,
    another_license: SandboxLicense,
) -> None:
    before = sandbox.state.installed_bytes
    sandbox.state.faults.expire_session_on = "LicenseUpload.aspx"
    assert client.get(LICENSING).status_code == 200
    response = client.post(
        UPLOAD,
        files={
            "wt7$wtMainContent$wtLicenseFileUpload": ("new.lic", render_license(another_license))
        },
    )
    assert response.status_code == 302
    assert response.headers["location"] == (
        f"{LOGIN}?OriginalURL=%2FServiceCenter%2FLicenseUpload.aspx"
    )
    assert client.get(LICENSING).status_code == 302
    assert sandbox.state.installed_bytes == before
    assert sandbox.state.faults.expire_session_on is None
    again = signed_in(sandbox)
    assert again.get(UPLOAD).status_code == 200


def test_expire_session_on_licensing_signs_out_every_browser(
    sandbox: Sandbox, signed_in: SignIn
) -> None:
    first, second = signed_in(sandbox), signed_in(sandbox)
    sandbox.state.faults.expire_session_on = "Licensing.aspx"
    response = first.get(LICENSING, follow_redirects=True)
    assert response.url.path == LOGIN
    assert "Enter your OutSystems credentials" in parse(response.text).lines()
    assert second.get(BACKUP).status_code == 302


@pytest.mark.parametrize("body", ["empty", "html-error", "unstable"])
def test_a_broken_backup_still_arrives_as_an_attachment(
    client: httpx.Client, sandbox: Sandbox, body: BackupBody
) -> None:
    installed = sandbox.state.installed_bytes
    serial = sandbox.state.config.serial_number
    assert installed is not None
    sandbox.state.faults.backup_body = body
    response = client.get(BACKUP)
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="{serial}.lic"'
    if body == "empty":
        assert response.content == b""
    elif body == "unstable":  # the same license, other bytes at every download
        again = client.get(BACKUP).content
        assert response.content != installed and again != response.content
        assert parse_license(again) == parse_license(response.content)
    else:
        assert response.headers["content-type"].startswith("text/html")
        assert "An unexpected error occurred" in response.text
        assert serial not in response.text


def test_the_account_locks_after_failures_and_refuses_the_right_password(
    start_sandbox: StartSandbox,
) -> None:
    server = start_sandbox(faults=SandboxFaults(lock_after_failures=3))
    for _ in range(3):
        assert alerts(post_login(server, "wrong-password").text) == [messages.INVALID_LOGIN]
    refused = post_login(server, server.password)
    assert refused.status_code == 200
    assert alerts(refused.text) == [
        "Your account has been locked due to too many failed login attempts. "
        "Please contact your administrator."
    ]
    assert "set-cookie" not in refused.headers
    assert server.state.faults.locked is True


def test_a_locked_account_refuses_sign_in_until_unlocked(sandbox: Sandbox) -> None:
    sandbox.state.faults.locked = True
    assert alerts(post_login(sandbox, sandbox.password).text) == [messages.LOCKED_OUT]
    sandbox.state.faults.locked = False
    assert post_login(sandbox, sandbox.password).status_code == 303


def test_a_successful_sign_in_resets_the_failure_count(sandbox: Sandbox) -> None:
    sandbox.state.faults.lock_after_failures = 2
    for _ in range(3):
        assert alerts(post_login(sandbox, "wrong-password").text) == [messages.INVALID_LOGIN]
        assert post_login(sandbox, sandbox.password).status_code == 303
    assert sandbox.state.faults.locked is False


def test_not_authorized_answers_403_on_every_page_with_no_login_form(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    sandbox.state.faults.not_authorized = True
    for response in (
        httpx.get(f"{sandbox.origin}{LOGIN}"),
        post_login(sandbox, sandbox.password),
        client.get(LICENSING),
        client.get("/ServiceCenter"),
    ):
        assert response.status_code == 403
        page = parse(response.text)
        assert page.find("h1").lines() == ["You are not authorized to view this page"]
        assert page.find_all("input") == []
        assert page.find_all("form") == []
