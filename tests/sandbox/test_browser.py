"""The documented click path in a real Chromium, in both upload styles."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from automation.sandbox.licenses import issue_license, render_license
from tests.support.fixture_types import StartSandbox
from tests.support.sandboxes import Sandbox


def open_licensing(page: Page, server: Sandbox) -> None:
    """Steps 1-2 of the documented procedure, by label and role only."""
    page.goto(server.url)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Login").click()
    page.get_by_role("link", name="Administration", exact=True).click()
    page.get_by_role("link", name="Licensing", exact=True).click()
    expect(page.get_by_role("heading", name="Licensing", exact=True)).to_be_visible()


def new_license_file(server: Sandbox, tmp_path: Path) -> tuple[Path, str]:
    lic = issue_license(server.serial)
    path = tmp_path / f"{lic.serial_number}.lic"
    path.write_bytes(render_license(lic))
    return path, lic.activation_code


def test_backup_then_upload_on_its_own_page(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox()
    open_licensing(page, server)
    expect(page.get_by_text("Your license is valid for this server")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Backup License").click()
    backup = tmp_path / download.value.suggested_filename
    download.value.save_as(backup)
    assert backup.read_bytes() == server.state.installed_bytes

    license_file, activation_code = new_license_file(server, tmp_path)
    page.get_by_role("link", name="Upload New License").click()
    expect(page.get_by_role("heading", name="Upload New License")).to_be_visible()
    page.get_by_label("License File").set_input_files(license_file)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text("The license was successfully uploaded.")
    expect(page.get_by_text(activation_code, exact=True)).to_be_visible()


def test_popup_upload_takes_the_page_back_to_licensing_with_the_new_values(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(upload_form="popup")
    open_licensing(page, server)
    page.get_by_role("link", name="Upload New License").click()
    dialog = page.get_by_role("dialog", name="Upload New License")
    expect(dialog).to_be_visible()
    form = dialog.frame_locator("iframe")

    wrong = tmp_path / "garbage.lic"
    wrong.write_bytes(b"not a license")
    form.get_by_label("License File").set_input_files(wrong)
    form.get_by_role("button", name="Upload").click()
    expect(form.get_by_role("alert")).to_contain_text("No license was found for this server")

    license_file, activation_code = new_license_file(server, tmp_path)
    form.get_by_label("License File").set_input_files(license_file)
    form.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text("The license was successfully uploaded.")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_text(activation_code, exact=True)).to_be_visible()
    assert page.url.endswith("/ServiceCenter/Licensing.aspx")
