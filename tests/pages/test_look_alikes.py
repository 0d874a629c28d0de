"""Look-alikes no variant named, found by an adversarial pass: the sandbox's pages rewritten on
their way to the browser (real HTTP, the browser's own rendering), and what the page objects
make of each. The rewrites keep the documented words and change only the markup around them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from automation.errors import ServiceCenterError, SignInFailed, UploadFailed
from automation.pages import find, survey
from automation.pages.licensing import LicensingPage
from automation.pages.login import LoginPage
from tests.support.fixture_types import StartSandbox
from tests.support.sandboxes import Sandbox

LICENSING = "**/Licensing.aspx*"
FIELD = re.compile(
    r'<div class="LicenseInfo_Label" id="[^"]*">([^<]*)</div>\s*'
    r'<div class="LicenseInfo_Value" id="[^"]*">([^<]*)</div>'
)
INFO = re.compile(r'<table class="LicenseInfo" role="presentation">.*?</tr></table>', re.S)
NEW_CODE = "NEW.AAA.BBB.CCC.DDD.EEE.FFF.GGG"
Fields = list[tuple[str, str]]


@pytest.fixture(autouse=True)
def patience() -> Iterator[None]:
    """Waits that end in 8 s: what comes late here comes within 4."""
    token = find.patience_ms.set(8_000)
    yield
    find.patience_ms.reset(token)


def rewrite(page: Page, pages: str, change: Callable[[str], str]) -> None:
    """Every GET of `pages` answered with its HTML changed (posts pass untouched)."""

    def handle(route: Route) -> None:
        if route.request.method != "GET":
            route.fallback()
            return
        response = route.fetch()
        if "text/html" not in response.headers.get("content-type", ""):
            route.fulfill(response=response)
            return
        route.fulfill(response=response, body=change(response.text()))

    page.route(pages, handle)


def license_panel(build: Callable[[Fields], str]) -> Callable[[str], str]:
    """The six labels and values laid out by `build` instead of the sandbox's table."""
    return lambda html: INFO.sub(lambda _: build(FIELD.findall(html)), html, count=1)


def licensing_of(page: Page, sandbox: Sandbox) -> LicensingPage:
    service_center = LoginPage.open(page, sandbox.url).login(sandbox.user, sandbox.password)
    page.reload()  # the page after the sign-in came by a redirect, which routes do not see
    return service_center.open_administration().open_licensing()


LAYOUTS: dict[str, Callable[[Fields], str]] = {
    "a-grid-with-a-header-row": lambda fields: (
        "<table><thead><tr>"
        + "".join(f"<th>{label}</th>" for label, _ in fields)
        + "</tr></thead><tbody><tr>"
        + "".join(f"<td>{value}</td>" for _, value in fields)
        + "</tr></tbody></table>"
    ),
    "label-and-value-on-one-line-without-a-colon": lambda fields: "".join(
        f"<p><span>{label}</span> <span>{value}</span></p>" for label, value in fields
    ),
    "values-in-read-only-boxes": lambda fields: "".join(
        f'<div><label for="f{n}">{label}</label><input id="f{n}" readonly value="{value}"></div>'
        for n, (label, value) in enumerate(fields)
    ),
    "values-in-a-web-components-shadow-root": lambda fields: (
        "<license-info></license-info><script>customElements.define('license-info', "
        "class extends HTMLElement { connectedCallback() { "
        "this.attachShadow({mode: 'open'}).innerHTML = `"
        + "".join(f"<div>{label}</div><div>{value}</div>" for label, value in fields)
        + "`; } });</script>"
    ),
    "values-a-script-fills-in-late": lambda fields: (
        "".join(
            f'<div><div>{label}</div><div class="v" data-v="{value}">Loading...</div></div>'
            for label, value in fields
        )
        + "<script>setTimeout(() => document.querySelectorAll('.v')"
        ".forEach(v => v.textContent = v.dataset.v), 2500)</script>"
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS)
def test_the_license_is_read_whatever_the_layout_of_its_values(
    layout: Callable[[Fields], str], page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    rewrite(page, LICENSING, license_panel(layout))
    shown = licensing_of(page, sandbox).read_license()
    installed = sandbox.installed
    assert installed is not None
    assert (shown.serial_number, shown.activation_code, shown.organization_name) == (
        sandbox.serial,
        installed.activation_code,
        installed.organization_name,
    )
    assert shown.end_date == (installed.end_date.isoformat() if installed.end_date else "Never")


def test_the_probe_reads_values_in_read_only_boxes_as_a_run_does(
    page: Page, start_sandbox: StartSandbox
) -> None:
    # A probe that cannot read what the run reads sends the operator after a profile for
    # nothing (it said every value was blank, and ended not recognised).
    sandbox = start_sandbox()
    rewrite(page, LICENSING, license_panel(LAYOUTS["values-in-read-only-boxes"]))

    seen = survey.licensing_page(licensing_of(page, sandbox))

    assert {field.field: field.value for field in seen.fields}["serial_number"] == sandbox.serial
    assert seen.installed is not None and seen.installed.serial_number == sandbox.serial
    assert all(field.found and field.value for field in seen.fields)


def test_a_submenu_drawn_as_a_drop_down_list_is_followed_by_choosing_licensing(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()

    def drop_down(html: str) -> str:
        def as_select(nav: re.Match[str]) -> str:
            items = re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]*)</a>', nav.group(0))
            options = "".join(f'<option value="{href}">{label}</option>' for href, label in items)
            return (
                '<select onchange="window.location = this.value" aria-label="Go to">'
                f"<option>Choose...</option>{options}</select>"
            )

        return re.sub(r'<nav class="SubMenu".*?</nav>', as_select, html, flags=re.S)

    rewrite(page, "**/ServiceCenter/**", drop_down)

    assert licensing_of(page, sandbox).read_license().serial_number == sandbox.serial


def test_a_status_and_values_filled_in_late_are_awaited_not_taken_for_unknown_words(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()

    def late(html: str) -> str:
        status = re.search(r'<div class="LicenseStatus.*?</div>\s*</div>', html, re.S)
        info = INFO.search(html)
        assert status and info
        payload = (status.group(0) + info.group(0)).replace("`", "")
        html = html.replace(status.group(0), "").replace(info.group(0), '<div id="late"></div>')
        later = f"setTimeout(() => document.getElementById('late').innerHTML = `{payload}`, 4000)"
        return html.replace("</body>", f"<script>{later}</script></body>")

    rewrite(page, LICENSING, late)
    shown = licensing_of(page, sandbox).read_license()
    assert shown.valid and shown.serial_number == sandbox.serial


def test_a_recent_item_with_the_submenus_words_is_not_taken_for_the_submenu(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    aside = (
        "<aside><h2>Recent Items</h2><ul><li>"
        '<a href="/ServiceCenter/Applications.aspx?Module=Licensing">Licensing</a>'
        "</li></ul></aside>"
    )
    body = '<body class="ServiceCenter">'
    rewrite(page, "**/ServiceCenter/*.aspx*", lambda html: html.replace(body, body + aside, 1))
    licensing = licensing_of(page, sandbox)
    assert "Module=Licensing" not in page.url
    assert licensing.read_license().serial_number == sandbox.serial


def test_a_hidden_unrelated_file_input_is_not_the_forms(
    page: Page, start_sandbox: StartSandbox, write_license: Callable[..., Path]
) -> None:
    sandbox = start_sandbox()
    feedback = (
        '<form action="/ServiceCenter/Feedback.aspx" method="post" style="display:none">'
        '<input type="file" name="screenshot"><button type="submit">Send</button></form>'
    )
    body = '<body class="ServiceCenter">'
    rewrite(page, "**/LicenseUpload.aspx*", lambda html: html.replace(body, body + feedback, 1))
    licensing = licensing_of(page, sandbox)
    licensing.open_upload().upload(write_license(sandbox.serial, activation_code=NEW_CODE))
    assert licensing.read_license().activation_code == NEW_CODE


def test_a_form_in_a_native_dialog_closes_and_is_seen_closed(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    dialog = (
        '<dialog id="up"><h2>Upload New License</h2>'
        '<form method="post" action="/ServiceCenter/LicenseUpload.aspx" '
        'enctype="multipart/form-data"><input type="file" name="file">'
        '<button type="submit">Upload</button> <button type="button" '
        "onclick=\"this.closest('dialog').close()\">Cancel</button></form></dialog>"
    )

    def in_a_dialog(html: str) -> str:
        html = re.sub(
            r'(id="wt20_wtMainContent_wtUploadLicenseLink" href=")[^"]*"',
            lambda link: (
                link.group(1)
                + '#" onclick="document.getElementById(\'up\').showModal(); return false;"'
            ),
            html,
        )
        return html.replace("</body>", dialog + "</body>")

    rewrite(page, LICENSING, in_a_dialog)
    licensing = licensing_of(page, sandbox)
    form = licensing.open_upload()
    form.close()
    expect(page.locator("dialog#up")).not_to_be_visible()
    assert sandbox.state.uploads == []


def test_an_upload_sent_by_script_is_said_plainly_and_what_is_installed_read_next(
    page: Page, start_sandbox: StartSandbox, write_license: Callable[..., Path]
) -> None:
    sandbox = start_sandbox()
    script = (
        "<script>document.getElementById('WebForm1').addEventListener('submit', e => {"
        " e.preventDefault();"
        " fetch(e.target.action, {method: 'POST', body: new FormData(e.target)})"
        " .then(() => document.body.insertAdjacentText('beforeend', 'Sent.')); });</script>"
    )
    upload = "**/LicenseUpload.aspx*"
    rewrite(page, upload, lambda html: html.replace("</body>", script + "</body>"))
    page.set_default_navigation_timeout(3_000)
    licensing = licensing_of(page, sandbox)
    form = licensing.open_upload()
    with pytest.raises(UploadFailed, match="loaded no page in answer to the upload"):
        form.upload(write_license(sandbox.serial, activation_code=NEW_CODE))
    assert licensing.reopen().read_license().activation_code == NEW_CODE


def test_a_sign_in_form_the_browser_will_not_send_says_why(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    rewrite(
        page, "**/Login.aspx*", lambda html: html.replace('type="text" id=', 'type="email" id=', 1)
    )
    page.set_default_navigation_timeout(3_000)
    login = LoginPage.open(page, sandbox.url.replace("/ServiceCenter", "/ServiceCenter/Login.aspx"))
    with pytest.raises(SignInFailed, match="was not sent: the browser says"):
        login.login(sandbox.user, sandbox.password)  # "admin" is no e-mail address


def test_a_backup_shown_as_a_page_instead_of_downloaded_is_said_plainly(
    page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox()

    def shown_inline(route: Route) -> None:
        response = route.fetch()
        route.fulfill(status=200, body=response.body(), headers={"content-type": "text/plain"})

    page.context.route("**/LicenseBackup.aspx*", shown_inline)
    licensing = licensing_of(page, sandbox)
    page.set_default_timeout(3_000)
    with pytest.raises(ServiceCenterError, match="Backup License brought no download in time"):
        licensing.backup_license(tmp_path)


def test_a_sign_in_in_two_steps_asks_the_user_name_then_the_password(
    page: Page, start_sandbox: StartSandbox
) -> None:
    sandbox = start_sandbox()
    password_field = (
        '<div class="Login_Field">\n      <label for="wt12_wtMainContent_wtPasswordInput">'
    )
    next_button = (
        '<button type="button" onclick="document.getElementById(\'pw\').hidden = false;'
        ' this.hidden = true">Next</button>'
    )
    hidden_field = password_field.replace(
        'class="Login_Field"', 'class="Login_Field" id="pw" hidden'
    )
    rewrite(
        page,
        "**/Login.aspx*",
        lambda html: html.replace(password_field, next_button + hidden_field),
    )
    login = LoginPage.open(page, sandbox.url.replace("/ServiceCenter", "/ServiceCenter/Login.aspx"))
    expect(page.get_by_label("Password")).to_be_hidden()
    login.login(sandbox.user, sandbox.password).open_administration()
    assert len(sandbox.state.sessions) == 1
