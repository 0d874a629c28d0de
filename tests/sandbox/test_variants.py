"""Each way the sandbox can differ where the real markup is not published (variants.py)."""

from __future__ import annotations

import time
from contextlib import suppress
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from automation.sandbox import messages
from automation.sandbox.cli import sandbox_app
from automation.sandbox.licenses import issue_license, render_license
from automation.sandbox.variants import POPUP_DELAY_MS
from tests.support.fixture_types import SignIn, StartSandbox
from tests.support.http import LICENSING, UPLOAD, upload
from tests.support.markup import Element, parse
from tests.support.sandboxes import Sandbox

UPLOADED = "The license was successfully uploaded."


def boxes(server: Sandbox) -> tuple[Element, Element, str]:
    html = httpx.get(f"{server.origin}/ServiceCenter/Login.aspx").text
    page = parse(html)
    return page.find("input", type="text"), page.find("input", type="password"), html


def test_sign_in_boxes_by_default_have_labels_and_no_placeholder(sandbox: Sandbox) -> None:
    user, password, html = boxes(sandbox)
    assert html.count("<label") == 2
    assert "placeholder" not in user.attrs and "placeholder" not in password.attrs


def test_sign_in_boxes_may_have_only_placeholders(start_sandbox: StartSandbox) -> None:
    user, password, html = boxes(start_sandbox(sign_in_labels="placeholder"))
    assert "<label" not in html and "aria-label" not in html
    assert (user.attrs["placeholder"], password.attrs["placeholder"]) == ("Username", "Password")


def test_sign_in_boxes_may_have_only_aria_labels(start_sandbox: StartSandbox) -> None:
    user, password, html = boxes(start_sandbox(sign_in_labels="aria-label"))
    assert "<label" not in html and "placeholder" not in html
    assert (user.attrs["aria-label"], password.attrs["aria-label"]) == ("Username", "Password")


@pytest.mark.parametrize(
    ("control", "tag", "caption_in"),
    [("input", "input", "value"), ("button", "button", "text"), ("link", "a", "text")],
)
def test_the_login_and_upload_controls_are_made_as_configured(
    start_sandbox: StartSandbox, signed_in: SignIn, control: str, tag: str, caption_in: str
) -> None:
    server = start_sandbox(submit_control=control)
    login = parse(httpx.get(f"{server.origin}/ServiceCenter/Login.aspx").text)
    form = parse(signed_in(server).get(UPLOAD).text).find("form", id="WebForm1")
    for page, caption in ((login, "Login"), (form, "Upload")):
        (element,) = [e for e in page.find_all(tag) if "Is_Default" in e.attrs.get("class", "")]
        shown = element.attrs["value"] if caption_in == "value" else " ".join(element.lines())
        assert shown == caption
        if control == "link":
            assert element.attrs["href"] == "#"


def test_a_window_form_opens_by_script_and_a_delayed_popup_is_only_a_template(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    window = parse(signed_in(start_sandbox(upload_form="window")).get(LICENSING).text)
    link = next(a for a in window.find_all("a") if a.text().strip() == "Upload New License")
    assert link.attrs["onclick"].startswith("window.open(this.href")
    html = signed_in(start_sandbox(upload_form="delayed-popup")).get(LICENSING).text
    (template,) = parse(html).find_all("template")
    assert template.find_all(role="dialog")
    assert len(parse(html).find_all(role="dialog")) == 1  # the template's, not in the page


def test_message_then_reload_on_a_page_answers_with_the_message_not_a_redirect(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    server = start_sandbox(upload_answer="message-then-reload")
    lic = issue_license(server.serial)
    response = upload(signed_in(server), render_license(lic))
    assert response.url.path == UPLOAD
    page = parse(response.text)
    assert page.find(role="status").lines() == [UPLOADED]
    assert not page.find_all("input", type="file")
    assert server.state.installed_license == lic


def sign_in(page: Page, server: Sandbox, by: str = "label") -> None:
    page.goto(f"{server.origin}/ServiceCenter/Licensing.aspx")
    find = page.get_by_placeholder if by == "placeholder" else page.get_by_label
    find("Username").fill("admin")
    find("Password").fill(server.password)


def new_license(server: Sandbox, tmp_path: Path) -> tuple[Path, str]:
    lic = issue_license(server.serial)
    path = tmp_path / "new.lic"
    path.write_bytes(render_license(lic))
    return path, lic.activation_code


def test_a_link_styled_login_signs_in_with_placeholder_boxes(
    sandbox_page: Page, start_sandbox: StartSandbox
) -> None:
    server = start_sandbox(sign_in_labels="placeholder", submit_control="link")
    sign_in(sandbox_page, server, by="placeholder")
    sandbox_page.get_by_role("link", name="Login").click()
    expect(sandbox_page.get_by_role("heading", name="Licensing")).to_be_visible()


def test_a_delayed_popup_appears_after_the_click_and_its_link_uploads(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(upload_form="delayed-popup", submit_control="link")
    sign_in(page, server)
    page.get_by_role("link", name="Login").click()
    assert page.get_by_role("dialog").count() == 0  # not in the page until it opens
    clicked = time.monotonic()
    page.get_by_role("link", name="Upload New License").click()
    dialog = page.get_by_role("dialog", name="Upload New License")
    expect(dialog).to_be_visible()
    assert time.monotonic() - clicked >= POPUP_DELAY_MS / 1000 - 0.05
    path, activation_code = new_license(server, tmp_path)
    form = dialog.frame_locator("iframe")
    form.get_by_label("License File").set_input_files(path)
    form.get_by_role("link", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text(UPLOADED)
    expect(page.get_by_text(activation_code, exact=True)).to_be_visible()


def test_a_popup_may_say_uploaded_then_reload_its_parent(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(upload_form="popup", upload_answer="message-then-reload")
    sign_in(page, server)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Upload New License").click()
    form = page.frame_locator("iframe")
    path, activation_code = new_license(server, tmp_path)
    form.get_by_label("License File").set_input_files(path)
    form.get_by_role("button", name="Upload").click()
    expect(form.get_by_role("status")).to_have_text(UPLOADED)
    expect(page.get_by_text(activation_code, exact=True)).to_be_visible()
    expect(page.get_by_role("dialog")).to_be_hidden()


@pytest.mark.parametrize("answer", ["navigate", "message-then-reload"])
def test_a_window_form_reloads_its_opener_and_closes(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path, answer: str
) -> None:
    page = sandbox_page
    server = start_sandbox(upload_form="window", upload_answer=answer)
    sign_in(page, server)
    page.get_by_role("button", name="Login").click()
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Upload New License").click()
    window = opened.value
    path, activation_code = new_license(server, tmp_path)
    window.get_by_label("License File").set_input_files(path)
    with window.expect_event("close"):
        window.get_by_role("button", name="Upload").click()
        if answer == "message-then-reload":
            expect(window.get_by_role("status")).to_have_text(UPLOADED)
    expect(page.get_by_text(activation_code, exact=True)).to_be_visible()


def test_a_window_form_shows_a_rejection_inside_itself(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(upload_form="window")
    sign_in(page, server)
    page.get_by_role("button", name="Login").click()
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Upload New License").click()
    window = opened.value
    garbage = tmp_path / "garbage.lic"
    garbage.write_bytes(b"not a license")
    window.get_by_label("License File").set_input_files(garbage)
    window.get_by_role("button", name="Upload").click()
    expect(window.get_by_role("alert")).to_contain_text(messages.NO_LICENSE)
    # The link closes its own window by script: Playwright may find the page gone before the
    # click is acknowledged, which is the very behaviour awaited here.
    with window.expect_event("close"), suppress(PlaywrightError):  # TargetClosedError
        window.get_by_role("link", name="Cancel").click()


def test_serve_documents_every_variant_in_its_help() -> None:
    result = CliRunner().invoke(sandbox_app, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    help_text = " ".join(result.output.replace("│", " ").split())
    for option in ("--sign-in-labels", "--submit-control", "--upload-form", "--upload-answer"):
        assert option in help_text
    for value in ("aria-label", "delayed-popup", "message-then-reload", "opaque", "binary"):
        assert value in help_text


def test_serve_refuses_a_variant_it_does_not_know() -> None:
    result = CliRunner().invoke(sandbox_app, ["serve", "--upload-form", "modal"])
    assert result.exit_code == 2
    assert "modal" in result.output
