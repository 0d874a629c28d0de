"""The page objects on Service Centers whose shapes no list named: one general mechanism per
concern (decorated names, one text normalisation, every frame, the form wherever it comes,
deliberate dialogs, an operator's words), each shown once where a person would see it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from automation.errors import LicenseRejected, SignInFailed
from automation.pages import find
from automation.pages.arrival import arrive
from automation.pages.dialogs import UnexpectedDialog
from automation.pages.licensing import LicensingPage, StatusNotRecognised
from automation.pages.login import LoginPage, origin_of
from automation.profile import NO_PROFILE, SiteProfile, load_profile
from automation.sandbox.licenses import random_serial
from tests.support.fixture_types import StartSandbox
from tests.support.sandboxes import Sandbox

OTHER_RELEASE = Path("automation/sandbox/profiles/other-release.toml")


@pytest.fixture
def patience() -> Iterator[None]:
    """Waits that end in 2 s: a test of what a timeout says need not wait 15."""
    token = find.patience_ms.set(2_000)
    yield
    find.patience_ms.reset(token)


def licensing_of(page: Page, sandbox: Sandbox, profile: SiteProfile | None = None) -> LicensingPage:
    login = LoginPage.open(page, sandbox.url, profile or NO_PROFILE)
    return login.login(sandbox.user, sandbox.password).open_administration().open_licensing()


def test_decorated_captions_and_non_breaking_labels_are_read_as_the_documented_words(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox(captions="decorated", field_layout="nbsp-dl")
    licensing = licensing_of(page, sandbox)
    expect(page.get_by_role("button", name="Administration ▾", exact=True)).to_be_visible()
    expect(page.get_by_text("Serial\xa0Number:", exact=True)).to_be_visible()
    shown = licensing.read_license()
    installed = sandbox.installed
    assert installed is not None
    assert shown.valid
    assert shown.serial_number == sandbox.serial
    assert shown.activation_code == installed.activation_code
    assert shown.end_date == (installed.end_date.isoformat() if installed.end_date else "Never")


def test_a_form_two_frames_deep_behind_browse_asking_to_confirm_installs_the_license(
    page: Page, start_sandbox: StartSandbox, write_license: Callable[..., Path]
) -> None:
    sandbox = start_sandbox(
        upload_form="nested-popup",
        file_picker="browse-button",
        upload_confirm=True,
        upload_answer="alert",
        captions="decorated",
    )
    new = write_license(sandbox.serial, activation_code="NEW.AAA.BBB.CCC.DDD.EEE.FFF.GGG")
    licensing = licensing_of(page, sandbox)
    form = licensing.open_upload()
    assert form.shown == "popup" and form.root.parent_frame != page.main_frame  # two deep
    form.upload(new)
    assert [(seen.kind, seen.answer) for seen in form.dialogs] == [
        ("confirm", "accepted"),
        ("alert", "accepted"),
    ]
    assert "Are you sure" in form.dialogs[0].message
    assert licensing.read_license().activation_code == "NEW.AAA.BBB.CCC.DDD.EEE.FFF.GGG"


def test_the_nested_form_opens_and_closes_without_asking_anything(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox(upload_form="nested-popup", upload_confirm=True)
    licensing = licensing_of(page, sandbox)
    form = licensing.open_upload()
    form.close()
    assert form.dialogs == [] and sandbox.state.uploads == []
    expect(page.locator("iframe:visible")).to_have_count(0)


def test_a_refusal_said_in_an_alert_is_service_centers_answer(
    page: Page, start_sandbox: StartSandbox, write_license: Callable[..., Path]
) -> None:
    sandbox = start_sandbox(upload_answer="alert", upload_form="popup")
    other = write_license(random_serial())
    form = licensing_of(page, sandbox).open_upload()
    with pytest.raises(LicenseRejected, match="not valid for this server"):
        form.upload(other)
    assert [seen.kind for seen in form.dialogs] == ["alert"]


def test_a_dialog_nobody_awaited_stops_the_next_step_quoting_it(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    service_center = LoginPage.open(page, sandbox.url).login(sandbox.user, sandbox.password)
    page.evaluate("() => alert('Maintenance starts in 5 minutes')")  # answered: dismissed
    with pytest.raises(UnexpectedDialog, match="alert “Maintenance starts in 5 minutes”"):
        service_center.open_administration()
    # Dismissed, so the page goes on; the next look for a control is not stopped again.
    service_center.open_administration()


def test_another_releases_words_are_refused_quoted_until_a_profile_teaches_them(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox(words="other-release")
    with pytest.raises(StatusNotRecognised) as refused:
        licensing_of(page, sandbox).read_license()
    assert refused.value.seen[0] == "This license is valid."  # quoted first, menus left out
    assert "“This license is valid.”" in refused.value.message
    assert "valid_status" in refused.value.hint
    profile = load_profile(OTHER_RELEASE)
    shown = LicensingPage(page, profile).wait_until_shown().read_license()
    installed = sandbox.installed
    assert installed is not None and installed.end_date is not None
    assert shown.valid and shown.serial_number == sandbox.serial
    assert shown.end_date == installed.end_date.isoformat()
    assert shown.end_date_shown == f"{installed.end_date:%d/%m/%Y}"


def framed_in_a_portal(page: Page, sandbox: Sandbox) -> str:
    """The address of a portal page on the sandbox's origin that frames Service Center."""
    console = f"{sandbox.origin}/Console"

    def frame_service_center(route: Route) -> None:
        body = f'<h1>Operations portal</h1><iframe src="{sandbox.url}" width=1200 height=900>'
        route.fulfill(content_type="text/html", body=f"<!DOCTYPE html>{body}</iframe>")

    page.route(console, frame_service_center)
    return console


def test_a_console_that_keeps_service_center_in_an_iframe_is_driven_inside_it(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    console = framed_in_a_portal(page, sandbox)
    login = LoginPage.open(page, console)
    shown = login.login(sandbox.user, sandbox.password).open_administration()
    licensing = shown.open_licensing()
    assert page.url == console  # the address never showed Service Center's own
    assert licensing.read_license().serial_number == sandbox.serial


@pytest.mark.usefixtures("patience")
def test_the_licensing_page_in_a_frame_is_loaded_again_in_its_frame(
    page: Page, start_sandbox: StartSandbox
) -> None:
    # As a rollback and every verification do: loading the portal's address again would put
    # Service Center's start page back in the frame, and Licensing would not be found.
    sandbox = start_sandbox()
    console = framed_in_a_portal(page, sandbox)
    login = LoginPage.open(page, console)
    licensing = login.login(sandbox.user, sandbox.password).open_administration().open_licensing()

    again = licensing.reopen()

    assert page.url == console
    assert again.read_license().serial_number == sandbox.serial


def test_a_wait_that_ends_names_what_it_awaited_and_how(
    page: Page, start_sandbox: StartSandbox, patience: None
) -> None:
    sandbox = start_sandbox()
    licensing_of(page, sandbox)
    renew = find.link(page, "Licensing page", "Renew link", find.meaning("Renew License"))
    with pytest.raises(find.ControlNotFound) as missing:
        arrive(page, renew)
    assert "Licensing page: no Renew link" in missing.value.message
    assert "a link named Renew License" in missing.value.message
    assert missing.value.snapshot and "Upload New License" in missing.value.snapshot


def test_a_tab_drawn_as_a_plain_element_with_a_click_handler_is_found_by_its_words(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()

    def spans_for_tabs(route: Route) -> None:
        """The header's links as <span onclick>: no role, no href, only the words."""
        response = route.fetch()
        body = re.sub(
            r'<a id="wt3_wtHeader_wtMenu_wt\d+" href="([^"]*)"[^>]*>([^<]*)</a>',
            r"""<span onclick="location.href='\1'">\2</span>""",
            response.text(),
        )
        route.fulfill(response=response, body=body)

    page.route("**/*.aspx", spans_for_tabs)
    service_center = LoginPage.open(page, sandbox.url).login(sandbox.user, sandbox.password)
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    licensing = service_center.open_administration().open_licensing()
    assert licensing.read_license().serial_number == sandbox.serial


def test_a_sign_in_page_on_another_origin_never_gets_the_password(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    elsewhere = sandbox.origin.replace("127.0.0.1", "localhost")  # another origin, same server
    page.route(  # the address answers its sign-in with a redirect to the other origin
        lambda url: url.startswith(sandbox.origin),
        lambda route: route.fulfill(
            status=302, headers={"Location": f"{elsewhere}/ServiceCenter/Login.aspx"}
        ),
    )
    login = LoginPage.open(page, sandbox.url)
    with pytest.raises(SignInFailed, match="the password was not typed"):
        login.login(sandbox.user, sandbox.password)
    expect(page.get_by_label("Password")).to_have_value("")
    assert sandbox.state.sessions == {} and sandbox.state.failed_sign_ins == 0


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://sc.example.com/ServiceCenter", "http://sc.example.com:80"),
        ("https://SC.example.com/ServiceCenter/Login.aspx", "https://sc.example.com:443"),
        ("https://sc.example.com:8443/x", "https://sc.example.com:8443"),
        ("http://127.0.0.1:5000/ServiceCenter", "http://127.0.0.1:5000"),
    ],
)
def test_origins_are_compared_with_their_ports_spelled_out(url: str, origin: str) -> None:
    assert origin_of(url) == origin


def test_a_sign_in_host_the_operator_allowed_gets_the_password(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    elsewhere = sandbox.origin.replace("127.0.0.1", "localhost")
    page.route(
        lambda url: url.startswith(sandbox.origin),
        lambda route: route.fulfill(
            status=302, headers={"Location": f"{elsewhere}/ServiceCenter/Login.aspx"}
        ),
    )
    login = LoginPage.open(page, sandbox.url, sign_in_origin=elsewhere)
    login.login(sandbox.user, sandbox.password).open_administration()
    assert len(sandbox.state.sessions) == 1


def test_an_https_address_never_signs_in_over_http(
    browser: Browser, start_sandbox: StartSandbox
) -> None:
    secure, plain = start_sandbox(tls=True), start_sandbox()
    page = browser.new_context(ignore_https_errors=True).new_page()
    page.route(
        lambda url: url.startswith(secure.origin),
        lambda route: route.fulfill(
            status=302, headers={"Location": f"{plain.origin}/ServiceCenter/Login.aspx"}
        ),
    )
    login = LoginPage.open(page, secure.url, sign_in_origin=plain.origin)  # even if allowed
    with pytest.raises(SignInFailed, match="plain http"):
        login.login(secure.user, secure.password)
    assert plain.state.sessions == {} and plain.state.failed_sign_ins == 0
    page.context.close()


def test_a_notice_the_site_profile_expects_is_dismissed_without_stopping(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    profile = SiteProfile.model_validate({"dialogs": {"expected": ["Your session will expire"]}})
    login = LoginPage.open(page, sandbox.url, profile)
    service_center = login.login(sandbox.user, sandbox.password)
    page.evaluate("() => alert('Your session will expire in 5 minutes')")
    service_center.open_administration()  # not stopped
    page.evaluate("() => alert('Maintenance starts now')")  # any other still stops
    with pytest.raises(UnexpectedDialog, match="Maintenance starts now"):
        service_center.open_licensing()


def test_a_server_with_no_license_is_read_at_once_with_its_own_serial(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox(license=None)
    shown = licensing_of(page, sandbox).read_license()
    assert not shown.valid and shown.banner.startswith("No license was found for this server")
    assert shown.serial_number == sandbox.serial
