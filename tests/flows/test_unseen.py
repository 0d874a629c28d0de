"""Install, dry run and rollback on Service Centers that differ where the real one's markup and
license format are not published (sandbox variants, pairwise: every value of every dimension,
and most pairs, without the whole product)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pydantic import SecretStr

from automation.config import EvidenceOptions, Target
from automation.errors import RolledBack
from automation.evidence.run import Run
from automation.pages.find import ControlNotFound
from automation.profile import NO_PROFILE, load_profile
from automation.sandbox.licenses import issue_license, parse_license, render_license
from automation.sandbox.variants import (
    BackupDownload,
    Captions,
    FieldLayout,
    FilePicker,
    LicenseEncoding,
    SignInLabels,
    SubmitControl,
    UploadAnswer,
    UploadFormStyle,
    Words,
)
from flows.install_license import install_license
from tests.support.fixture_types import StartSandbox
from tests.support.images import pixels_of_colour
from tests.support.sandboxes import Sandbox

REHEARSAL = [
    "Rehearse: click Upload New License",
    "Rehearse: find the file input and the submit control",
    "Rehearse: close the form without uploading",
]
OUTLINED = (255, 0, 255)


@dataclass(frozen=True)
class Variant:
    sign_in_labels: SignInLabels
    submit_control: SubmitControl
    upload_form: UploadFormStyle
    upload_answer: UploadAnswer
    license_encoding: LicenseEncoding
    # The unknowns of issue 22: decorations, &nbsp; labels, a hidden file input behind
    # Browse..., a confirm, downloads without a length, a re-encoded backup, other words.
    captions: Captions = "plain"
    field_layout: FieldLayout = "divs"
    file_picker: FilePicker = "input"
    upload_confirm: bool = False
    backup_download: BackupDownload = "attachment"
    backup_reencodes: bool = False
    words: Words = "documented"

    def __str__(self) -> str:
        return "-".join(
            str(value) if not isinstance(value, bool) else ("yes" if value else "no")
            for value in vars(self).values()
        )


VARIANTS = [
    Variant("label", "input", "page", "navigate", "text"),
    # The look-alike that stopped the install: placeholders, a link for Upload, a late popup,
    # opaque license files.
    Variant(
        "placeholder", "link", "delayed-popup", "navigate", "opaque",
        "decorated", "nbsp-dl", "browse-button", True, "blob",
    ),
    Variant(
        "aria-label", "button", "window", "message-then-reload", "binary",
        "plain", "nbsp-dl", "input", True, "chunked", True,
    ),
    Variant(
        "placeholder", "button", "popup", "message-then-reload", "text",
        "decorated", "divs", "browse-button", False, "attachment", True, "other-release",
    ),
    Variant(
        "aria-label", "link", "page", "message-then-reload", "opaque",
        "plain", "divs", "browse-button", True, "attachment", False, "other-release",
    ),
    Variant(
        "label", "link", "window", "navigate", "binary",
        "decorated", "divs", "input", False, "blob",
    ),
    Variant(
        "label", "button", "delayed-popup", "message-then-reload", "opaque",
        backup_download="chunked",
    ),
    Variant(
        "placeholder", "input", "window", "navigate", "opaque",
        "decorated", upload_confirm=True, backup_reencodes=True,
    ),
    Variant(
        "aria-label", "input", "popup", "navigate", "binary",
        file_picker="browse-button", backup_download="chunked",
    ),
    # The form two frames deep, alerts for answers, an OSLIC2 header before base64 text.
    Variant(
        "label", "button", "nested-popup", "alert", "header-base64",
        "decorated", "nbsp-dl", "browse-button", True, "attachment", True,
    ),
    Variant(
        "placeholder", "link", "nested-popup", "alert", "text",
        "plain", "divs", "input", True, "blob", False, "other-release",
    ),
    Variant(
        "aria-label", "button", "page", "alert", "header-base64",
        "decorated", "divs", "input", False, "chunked", True, "other-release",
    ),
]  # fmt: skip
# The profile that teaches other-release's words, as an operator would write it.
OTHER_RELEASE = Path("automation/sandbox/profiles/other-release.toml")


def new_run(folder: Path, sandbox: Sandbox, page: Page) -> Run:
    run = Run.create(
        EvidenceOptions(out=folder), flow="install", environment="sb", url=sandbox.url, user="admin"
    )
    run.watch(page)
    return run


def license_file(folder: Path, sandbox: Sandbox, variant: Variant, year: int) -> Path:
    """A new license for the sandbox, in its encoding, named as the Licensing Portal names it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sandbox.serial}.lic"
    issued = issue_license(sandbox.serial, end_date=date(year, 12, 31))
    path.write_bytes(render_license(issued, variant.license_encoding))
    return path


@pytest.mark.parametrize("variant", VARIANTS, ids=str)
def test_dry_run_install_and_rollback_work_on_every_variant(
    variant: Variant, page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox(**vars(variant))
    target = Target(
        name="sb",
        url=sandbox.url,
        user=sandbox.user,
        password=SecretStr(sandbox.password),
        profile=load_profile(OTHER_RELEASE) if variant.words == "other-release" else NO_PROFILE,
    )
    year = date.today().year
    original = sandbox.state.installed_bytes

    rehearsal = new_run(tmp_path / "dry", sandbox, page)
    first = license_file(tmp_path / "one", sandbox, variant, year + 2)
    result = install_license(page, rehearsal, target, first, dry_run=True)
    assert result.outcome == "dry-run"
    assert sandbox.state.installed_bytes == original
    assert sandbox.state.uploads == []
    assert [step.name for step in rehearsal.record.steps][-3:] == REHEARSAL
    found = rehearsal.folder / str(rehearsal.record.steps[-2].screenshot)
    assert pixels_of_colour(page, found.read_bytes(), OUTLINED) > 100  # both controls outlined

    installed = new_run(tmp_path / "install", sandbox, page)
    result = install_license(page, installed, target, first)
    assert result.outcome == "installed"
    assert sandbox.installed == parse_license(first.read_bytes())

    sandbox.state.invalid_after_uploads = 1  # the next upload shows as invalid
    second = license_file(tmp_path / "two", sandbox, variant, year + 3)
    rolled_back = new_run(tmp_path / "rollback", sandbox, page)
    with pytest.raises(RolledBack):
        install_license(page, rolled_back, target, second)
    assert sandbox.installed == parse_license(first.read_bytes())  # its backup, maybe re-encoded
    assert rolled_back.record.steps[-1].name == "Roll back: Verify the previous license is back"


UPLOAD_WITHOUT_SUBMIT = """<!DOCTYPE html><html><body><h1>Upload New License</h1>
<form method="post" enctype="multipart/form-data"><input type="file" name="f">
<a href="/ServiceCenter/Licensing.aspx">Cancel</a></form></body></html>"""


def test_a_dry_run_names_a_control_it_cannot_find_and_keeps_what_the_page_held(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    target = Target(
        name="sb", url=sandbox.url, user=sandbox.user, password=SecretStr(sandbox.password)
    )
    page.route(
        "**/LicenseUpload.aspx",
        lambda route: route.fulfill(body=UPLOAD_WITHOUT_SUBMIT, content_type="text/html"),
    )
    run = new_run(tmp_path, sandbox, page)
    with pytest.raises(ControlNotFound, match="Upload form: no submit control; tried"):
        install_license(page, run, target, new_license, dry_run=True)
    failed = run.record.steps[-1]
    assert failed.name == "Rehearse: click Upload New License" and failed.status == "failed"
    stem = Path(str(failed.screenshot)).stem
    aria = (run.folder / f"{stem}.aria.txt").read_text()
    html = (run.folder / f"{stem}.html").read_text()
    assert 'link "Cancel"' in aria
    assert 'type="file"' in html
    assert sandbox.password not in aria + html
    assert sandbox.state.uploads == []
