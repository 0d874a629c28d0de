"""What independently written Service Center look-alikes did differently, each played on demand."""

from __future__ import annotations

import base64
import datetime
import re
from importlib.resources import files
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Dialog, Page, expect
from typer.testing import CliRunner

from automation.cli.demo import sandbox_with_new_license
from automation.profile import load_profile
from automation.sandbox import messages
from automation.sandbox.cli import sandbox_app
from automation.sandbox.faults import parse_faults
from automation.sandbox.licenses import (
    InvalidLicenseFile,
    issue_license,
    parse_license,
    random_serial,
    render_license,
)
from automation.sandbox.stage import Stage
from automation.sandbox.variants import LicenseEncoding
from tests.support.fixture_types import SignIn, StartSandbox
from tests.support.http import LICENSING, UPLOAD, banner, fields, licensing_page, upload
from tests.support.markup import Element, alerts, parse
from tests.support.sandboxes import Sandbox

BACKUP = "/ServiceCenter/LicenseBackup.aspx"
NEXT_YEAR_END = datetime.date(datetime.date.today().year + 1, 12, 31)


def shown(element: Element) -> str:
    """An element's text exactly as written: no-break and zero-width spaces kept."""
    return element.text().strip("\n")


def sign_in(page: Page, server: Sandbox) -> None:
    page.goto(f"{server.origin}{LICENSING}")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(server.password)
    login = re.compile(r"^Log ?in")
    page.get_by_role("button", name=login).or_(page.get_by_role("link", name=login)).click()
    expect(page.get_by_role("heading", name="Licensing", exact=True)).to_be_visible()


def answer_dialogs(page: Page, accept: bool = True, once: bool = False) -> list[str]:
    """What each alert or confirm of the page (any frame) says, then accepted or dismissed."""
    said: list[str] = []

    def answer(dialog: Dialog) -> None:
        said.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    (page.once if once else page.on)("dialog", answer)
    return said


def renewal(server: Sandbox, tmp_path: Path) -> Path:
    path = tmp_path / f"{server.serial}.lic"
    path.write_bytes(render_license(issue_license(server.serial, end_date=NEXT_YEAR_END)))
    return path


# captions=decorated


def test_decorated_captions_keep_the_documented_words_inside(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    server = start_sandbox(captions="decorated")
    page = parse(signed_in(server).get(LICENSING).text)
    tab = page.find(id="wt3_wtHeader_wtMenu_wt3")
    assert (tab.tag, tab.attrs["type"], shown(tab)) == ("button", "button", "Administration ▾")
    assert "Licensing (1)" in page.find(id="wt3_wtHeader_wtSubMenu").links()
    actions = [shown(a) for a in page.find(id="wt20_wtMainContent_wtActions").find_all("a")]
    assert actions[:2] == ["Upload\u200b New License »", "⤓ Backup\xa0License"]
    login = parse(httpx.get(f"{server.origin}/ServiceCenter/Login.aspx").text)
    assert login.find(id="wt12_wtMainContent_wtLoginButton").attrs["value"] == "Log in →"
    form = parse(signed_in(server).get(UPLOAD).text)
    assert form.find(id="wt7_wtMainContent_wtUploadButton").attrs["value"] == "Upload ✓"


def test_a_decorated_administration_tab_is_a_button_that_opens_administration(
    sandbox_page: Page, start_sandbox: StartSandbox
) -> None:
    page = sandbox_page
    server = start_sandbox(captions="decorated")
    sign_in(page, server)
    page.get_by_role("button", name="Administration ▾").click()
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    page.get_by_role("link", name="Licensing (1)").click()
    expect(page.get_by_role("heading", name="Licensing", exact=True)).to_be_visible()


# field_layout=nbsp-dl and words=other-release


def dl_pairs(page: Element) -> dict[str, str]:
    terms = page.find("dl").find_all("dt")
    values = page.find("dl").find_all("dd")
    return {shown(dt): shown(dd) for dt, dd in zip(terms, values, strict=True)}


def test_nbsp_dl_writes_each_label_with_no_break_spaces_and_a_colon(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    serial = random_serial()
    lic = issue_license(serial, end_date=NEXT_YEAR_END)
    page = licensing_page(signed_in(start_sandbox(serial, license=lic, field_layout="nbsp-dl")))
    assert dl_pairs(page) == {
        "Organization\xa0Name:": "Sandbox Organization",
        "Edition\xa0Name:": "OutSystems Enterprise",
        "License\xa0Type:": "Production",
        "Activation\xa0Code:": lic.activation_code,
        "Serial\xa0Number:": serial,
        "End\xa0Date:": NEXT_YEAR_END.isoformat(),
    }


def test_another_release_words_its_labels_dates_and_status_its_own_way(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    serial = random_serial()
    lic = issue_license(serial, end_date=datetime.date(2027, 12, 31))
    server = start_sandbox(serial, license=lic, words="other-release", field_layout="nbsp-dl")
    page = licensing_page(signed_in(server))
    assert banner(page) == ["This license is valid."]
    pairs = dl_pairs(page)
    assert (pairs["Serial:"], pairs["Expiration\xa0Date:"]) == (serial, "31/12/2027")
    assert "Organization\xa0Name:" in pairs  # the other labels keep their documented words


@pytest.mark.parametrize(
    ("end_days", "status"),
    [
        (None, "This license is valid."),
        (12, "This license is valid."),
        (-1, f"This license is not valid: {messages.EXPIRED}"),
    ],
)
def test_another_release_says_valid_or_not_valid_and_why(
    start_sandbox: StartSandbox, signed_in: SignIn, end_days: int | None, status: str
) -> None:
    serial = random_serial()
    end = None if end_days is None else datetime.date.today() + datetime.timedelta(end_days)
    server = start_sandbox(
        serial, license=issue_license(serial, end_date=end), words="other-release"
    )
    page = licensing_page(signed_in(server))
    assert banner(page) == [status]
    if end is None:
        assert fields(page)["Expiration Date"] == "Never"


def test_another_release_says_why_no_license_or_another_servers_is_not_valid(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    none = licensing_page(signed_in(start_sandbox(license=None, words="other-release")))
    assert banner(none) == [f"This license is not valid: {messages.NO_LICENSE}"]
    server = start_sandbox(words="other-release")
    old_serial, server.state.config.serial_number = server.serial, random_serial()
    first, *_ = banner(licensing_page(signed_in(server)))
    assert first.startswith("This license is not valid: Your license is invalid as it was")
    assert first.endswith(f"serial number '{old_serial}'.")


def test_the_shipped_profile_teaches_exactly_what_the_other_release_shows(
    start_sandbox: StartSandbox, signed_in: SignIn, tmp_path: Path
) -> None:
    shipped = files("automation.sandbox") / "profiles" / "other-release.toml"
    assert shipped.read_text().startswith("# What Service Center 'other-release'")
    path = tmp_path / "other-release.toml"
    path.write_bytes(shipped.read_bytes())
    words = load_profile(path).licensing
    server = start_sandbox(words="other-release")
    page = fields(licensing_page(signed_in(server)))
    assert set(words.labels.end_date) | set(words.labels.serial_number) <= set(page)
    lic = server.installed
    assert lic is not None and lic.end_date is not None
    assert page["Expiration Date"] == lic.end_date.strftime(words.date_format or "")
    assert banner(licensing_page(signed_in(server))) == list(words.valid_status)
    server.state.config.serial_number = random_serial()
    [refused, *_] = banner(licensing_page(signed_in(server)))
    assert refused.startswith(words.invalid_status)


# upload_form=nested-popup, file_picker=browse-button, upload_confirm, upload_answer=alert


def test_a_nested_popup_holds_the_form_two_frames_deep(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(upload_form="nested-popup")
    sign_in(page, server)
    page.get_by_role("link", name="Upload New License").click()
    dialog = page.get_by_role("dialog", name="Upload New License")
    assert dialog.frame_locator("iframe").get_by_label("License File").count() == 0
    form = dialog.frame_locator("iframe").frame_locator("iframe")
    form.get_by_label("License File").set_input_files(renewal(server, tmp_path))
    form.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text(messages.UPLOADED)
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert server.installed is not None and server.installed.end_date == NEXT_YEAR_END


def test_a_browse_button_picks_the_file_and_enables_upload(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(file_picker="browse-button")
    sign_in(page, server)
    page.get_by_role("link", name="Upload New License").click()
    expect(page.locator("input[type=file]")).to_be_hidden()
    expect(page.get_by_role("button", name="Upload")).to_be_disabled()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Browse...").click()
    chooser.value.set_files(renewal(server, tmp_path))
    expect(page.get_by_text(f"{server.serial}.lic")).to_be_visible()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text(messages.UPLOADED)


def test_a_dismissed_confirm_posts_nothing_and_an_accepted_one_uploads(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(upload_confirm=True)
    sign_in(page, server)
    page.get_by_role("link", name="Upload New License").click()
    page.get_by_label("License File").set_input_files(renewal(server, tmp_path))
    dismissed = answer_dialogs(page, accept=False, once=True)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("button", name="Upload")).to_be_visible()
    assert dismissed == ["Are you sure you want to upload this license file?"]
    assert server.state.uploads == []
    accepted = answer_dialogs(page, once=True)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_have_text(messages.UPLOADED)
    assert accepted == dismissed
    assert [attempt.accepted for attempt in server.state.uploads] == [True]


def test_an_alert_answers_the_upload_then_the_top_page_goes_to_licensing(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(upload_form="popup", upload_answer="alert")
    sign_in(page, server)
    said = answer_dialogs(page)
    page.get_by_role("link", name="Upload New License").click()
    form = page.get_by_role("dialog").frame_locator("iframe")
    other = tmp_path / "other.lic"
    other.write_bytes(render_license(issue_license("XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT")))
    form.get_by_label("License File").set_input_files(other)
    form.get_by_role("button", name="Upload").click()
    expect(form.get_by_role("alert")).to_contain_text("not valid for this server")
    assert said == [messages.wrong_serial("XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT")]
    form.get_by_label("License File").set_input_files(renewal(server, tmp_path))
    form.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert page.url.endswith(LICENSING)
    assert said[1:] == ["The license was uploaded successfully."]
    assert server.installed is not None and server.installed.end_date == NEXT_YEAR_END


# backup_download, backup_body=truncated, expire_session_after


def test_an_attachment_declares_its_length_and_chunked_does_not(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    attachment = start_sandbox()
    whole = signed_in(attachment).get(BACKUP)
    assert whole.headers["content-length"] == str(len(whole.content)) != "0"
    assert whole.content == attachment.state.installed_bytes
    chunked = start_sandbox(backup_download="chunked")
    streamed = signed_in(chunked).get(BACKUP)
    assert "content-length" not in streamed.headers
    assert streamed.headers["transfer-encoding"] == "chunked"
    assert streamed.headers["content-disposition"] == f'attachment; filename="{chunked.serial}.lic"'
    assert streamed.content == chunked.state.installed_bytes


@pytest.mark.parametrize("download", ["attachment", "chunked"])
def test_a_truncated_backup_breaks_off_before_its_end_so_the_transfer_fails(
    start_sandbox: StartSandbox, signed_in: SignIn, download: str
) -> None:
    server = start_sandbox(backup_download=download)
    server.state.faults.backup_body = "truncated"
    installed = server.state.installed_bytes
    assert installed is not None
    with signed_in(server).stream("GET", BACKUP) as response:
        declared = response.headers.get("content-length")
        assert declared == (str(len(installed)) if download == "attachment" else None)
        with pytest.raises(httpx.RemoteProtocolError):
            response.read()


def test_a_blob_backup_is_fetched_by_script_and_saved_as_a_download(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(backup_download="blob")
    sign_in(page, server)
    link = page.get_by_role("link", name="Backup License")
    expect(link).to_have_attribute("href", "#")
    with page.expect_download() as download:
        link.click()
    assert download.value.url.startswith("blob:")
    assert download.value.suggested_filename == f"{server.serial}.lic"
    saved = tmp_path / "backup.lic"
    download.value.save_as(saved)
    assert saved.read_bytes() == server.state.installed_bytes


def test_a_blob_backup_cut_short_downloads_nothing_and_says_so(
    sandbox_page: Page, start_sandbox: StartSandbox
) -> None:
    page = sandbox_page
    server = start_sandbox(backup_download="blob")
    server.state.faults.backup_body = "truncated"
    sign_in(page, server)
    downloads: list[object] = []
    page.on("download", lambda download: downloads.append(download))
    page.get_by_role("link", name="Backup License").click()
    expect(page.get_by_role("alert")).to_have_text(messages.BACKUP_FAILED)
    assert downloads == []


def test_expire_session_after_the_backup_signs_everyone_out_once_it_has_come(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    server = start_sandbox(faults=parse_faults(["expire_session_after=LicenseBackup.aspx"]))
    client = signed_in(server)
    assert client.get(LICENSING).status_code == 200  # other pages leave sessions alone
    backup = client.get(BACKUP)
    assert backup.status_code == 200 and backup.content == server.state.installed_bytes
    lost = client.get(UPLOAD)
    assert lost.status_code == 302 and lost.headers["location"].startswith("/ServiceCenter/Login")
    assert server.state.faults.expire_session_after is None
    assert signed_in(server).get(BACKUP).status_code == 200  # once only


# backup_reencodes and license_encoding=header-base64

ENCODINGS: tuple[LicenseEncoding, ...] = ("text", "opaque", "binary", "header-base64")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_reencoded_backup_is_other_bytes_of_the_same_license_and_uploads_back(
    start_sandbox: StartSandbox, signed_in: SignIn, encoding: LicenseEncoding
) -> None:
    server = start_sandbox(license_encoding=encoding, backup_reencodes=True)
    client = signed_in(server)
    installed, lic = server.state.installed_bytes, server.installed
    backup = client.get(BACKUP).content
    assert backup != installed
    assert parse_license(backup) == lic
    if encoding == "text":
        assert b"\r\n" in backup and backup.count(b"\r\n") == backup.count(b"\n")
    assert alerts(upload(client, backup).text) == []
    assert server.state.uploads[-1].accepted and server.installed == lic


def test_line_endings_changed_after_signing_are_still_refused() -> None:
    text = render_license(issue_license(random_serial()))
    with pytest.raises(InvalidLicenseFile, match="signature"):
        parse_license(text.replace(b"\n", b"\r\n"))


def test_a_header_base64_file_is_unreadable_and_its_length_is_no_multiple_of_four() -> None:
    lic = issue_license(random_serial())
    data = render_license(lic, "header-base64")
    header, _, body = data.partition(b"\n")
    assert header == b"OSLIC2"
    assert all(len(line) <= 76 for line in body.splitlines())
    assert base64.b64decode(b"".join(body.split()), validate=True)
    assert len(b"".join(data.split())) % 4 != 0
    for hidden in (lic.serial_number, lic.activation_code, lic.organization_name):
        assert hidden.encode() not in data
    assert parse_license(data) == lic


def test_sandbox_license_writes_a_header_base64_file_a_sandbox_accepts(
    sandbox: Sandbox, client: httpx.Client, tmp_path: Path
) -> None:
    out = tmp_path / "new.lic"
    args = ["license", "--out", str(out), "--serial", sandbox.serial]
    result = CliRunner().invoke(sandbox_app, [*args, "--encoding", "header-base64"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"OSLIC2\n")
    upload(client, out.read_bytes())
    assert sandbox.state.uploads[-1].accepted


# Options: sandbox serve, the demo, and every unknown at once


def test_serve_offers_every_unknown_as_an_option() -> None:
    result = CliRunner().invoke(sandbox_app, ["serve", "--help"], terminal_width=200)
    help_text = " ".join(result.output.replace("│", " ").split())
    for option in (
        "--captions",
        "--field-layout",
        "--file-picker",
        "--upload-confirm",
        "--backup-download",
        "--backup-reencodes",
        "--words",
        "nested-popup",
        "header-base64",
        "expire_session_after",
    ):
        assert option in help_text


def test_the_demo_stages_a_sandbox_with_the_unknowns_asked_for() -> None:
    stage = sandbox_with_new_license(
        Stage(
            captions="decorated",
            field_layout="nbsp-dl",
            file_picker="browse-button",
            upload_confirm=True,
            backup_download="blob",
            backup_reencodes=True,
            words="other-release",
            license_encoding="header-base64",
        )
    )
    with stage as (server, license_path, _):
        config = server.state.config
        assert (config.captions, config.field_layout, config.words) == (
            "decorated",
            "nbsp-dl",
            "other-release",
        )
        assert (config.file_picker, config.upload_confirm) == ("browse-button", True)
        assert (config.backup_download, config.backup_reencodes) == ("blob", True)
        assert license_path.read_bytes().startswith(b"OSLIC2\n")


def test_every_unknown_at_once_still_backs_up_and_installs(
    sandbox_page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    page = sandbox_page
    server = start_sandbox(
        captions="decorated",
        field_layout="nbsp-dl",
        words="other-release",
        upload_form="nested-popup",
        submit_control="link",
        file_picker="browse-button",
        upload_confirm=True,
        upload_answer="alert",
        backup_download="blob",
        backup_reencodes=True,
        license_encoding="header-base64",
    )
    sign_in(page, server)
    page.get_by_role("button", name="Administration ▾").click()
    page.get_by_role("link", name="Licensing (1)").click()
    expect(page.get_by_text("This license is valid.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="⤓ Backup\xa0License").click()
    backup = tmp_path / "backup.lic"
    download.value.save_as(backup)
    assert backup.read_bytes() != server.state.installed_bytes
    assert backup.read_bytes().startswith(b"OSLIC2\n")
    said = answer_dialogs(page)
    page.get_by_role("link", name="Upload\u200b New License »").click()
    form = page.get_by_role("dialog").frame_locator("iframe").frame_locator("iframe")
    with page.expect_file_chooser() as chooser:
        form.get_by_role("button", name="Browse...").click()
    chooser.value.set_files(backup)
    form.get_by_role("link", name="Upload ✓").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert said == [messages.CONFIRM_UPLOAD, "The license was uploaded successfully."]
    assert server.state.uploads[-1].accepted
    expect(page.get_by_text("Expiration\xa0Date:")).to_be_visible()
