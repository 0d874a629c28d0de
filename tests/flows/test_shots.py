"""Screenshots that prove each claim: the file chosen before Upload is clicked, a fresh look
at the Licensing page to verify, the backup's file, and the invalid state seen after an
upload that was rolled back; each caption in a strip added below Service Center's page."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from pydantic import SecretStr

from automation.config import EvidenceOptions, Target
from automation.errors import RolledBack
from automation.evidence.annotations import STRIP_RGB
from automation.evidence.files import sha256_of
from automation.evidence.records import StepRecord
from automation.evidence.report import build_report
from automation.evidence.run import Run
from flows.install_license import install_license
from tests.support.fixture_types import StartSandbox
from tests.support.images import pixel, pixels_differing
from tests.support.markup import parse
from tests.support.sandboxes import Sandbox


def target_for(sandbox: Sandbox) -> Target:
    return Target(
        name="sandbox", url=sandbox.url, user=sandbox.user, password=SecretStr(sandbox.password)
    )


def new_run(tmp_path: Path, sandbox: Sandbox, page: Page) -> Run:
    run = Run.create(
        EvidenceOptions(out=tmp_path / "recordings"),
        flow="install",
        environment="sandbox",
        url=sandbox.url,
        user=sandbox.user,
    )
    run.watch(page)
    return run


def step(run: Run, name: str) -> StepRecord:
    return next(s for s in run.record.steps if s.name == name)


def png(run: Run, name: str) -> bytes:
    return (run.folder / str(step(run, name).screenshot)).read_bytes()


def height(data: bytes) -> int:
    return int(struct.unpack(">II", data[16:24])[1])


def has_strip(page: Page, data: bytes) -> bool:
    """A band of the strip's colour below the viewport-sized capture of the page."""
    viewport = page.viewport_size
    assert viewport is not None
    tall = height(data) > viewport["height"]
    return tall and tuple(pixel(page, data, 1, height(data) - 2)) == STRIP_RGB


@pytest.fixture
def installed(page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path) -> Run:
    run = new_run(tmp_path, sandbox, page)
    result = install_license(page, run, target_for(sandbox), new_license)
    run.finish(result.outcome, 0, result.message)
    return run


def test_the_chosen_file_is_shown_before_upload_is_clicked_with_its_name_and_hash(
    page: Page, installed: Run, new_license: Path
) -> None:
    names = [s.name for s in installed.record.steps]
    assert names.index("Choose the new license file") == names.index("Click Upload New License") + 1
    assert (
        names.index("Upload the new license file") == names.index("Choose the new license file") + 1
    )
    form, chosen = (
        png(installed, "Click Upload New License"),
        png(installed, "Choose the new license file"),
    )
    assert pixels_differing(page, form, chosen) > 50  # the file's name, where "No file chosen" was
    assert has_strip(page, chosen) and not has_strip(page, form)
    annotation = step(installed, "Choose the new license file").annotation or ""
    assert new_license.name in annotation
    assert sha256_of(new_license.read_bytes()) in annotation


def test_verification_takes_a_fresh_look_at_the_licensing_page(
    page: Page, sandbox: Sandbox, installed: Run
) -> None:
    uploaded = png(installed, "Upload the new license file")
    verified = png(installed, "Verify the new license is installed")
    assert sha256_of(uploaded) != sha256_of(verified)
    assert has_strip(page, verified)
    verify = step(installed, "Verify the new license is installed")
    assert [t for t in sandbox.state.licensing_views if t >= verify.started_at]  # a fresh GET
    after = installed.record.license_after
    assert after is not None and after.serial_number and after.end_date
    annotation = verify.annotation or ""
    assert after.serial_number in annotation and after.end_date in annotation
    assert after.banner in annotation
    assert f"{verify.started_at:%Y-%m-%d}" in annotation and "UTC" in annotation


def test_the_backup_step_shows_the_downloaded_file_name_size_and_hash(
    page: Page, installed: Run
) -> None:
    backup = installed.record.backup
    assert backup is not None
    annotation = step(installed, "Back up the installed license").annotation or ""
    assert backup.file in annotation and str(backup.size) in annotation
    assert backup.sha256 in annotation
    assert has_strip(page, png(installed, "Back up the installed license"))
    assert not has_strip(page, png(installed, "Open the Licensing submenu"))


def test_the_report_says_the_strips_are_added_by_sc_license(installed: Run) -> None:
    html = build_report(installed.folder).read_text()
    assert "added by sc-license, not part of Service Center" in html
    chosen = step(installed, "Choose the new license file").annotation or ""
    shown = " ".join(parse(html).text().split())  # as a reader sees it
    assert chosen.splitlines()[0] in shown  # the file's name, as in the strip


def test_a_rolled_back_report_shows_the_invalid_state_seen_after_the_upload(
    page: Page,
    start_sandbox: StartSandbox,
    write_license: Callable[..., Path],
    tmp_path: Path,
) -> None:
    sandbox = start_sandbox(invalid_after_uploads=1)
    run = new_run(tmp_path, sandbox, page)
    with pytest.raises(RolledBack):
        install_license(page, run, target_for(sandbox), write_license(sandbox.serial))
    run.finish("rolled-back", 4, "rolled back")

    seen = run.record.license_uploaded
    assert seen is not None and not seen.valid
    assert run.record.license_after is not None and run.record.license_after.valid
    rollback = step(run, "Roll back: Verify the previous license is back")
    assert sha256_of(png(run, "Roll back: Upload the backup file")) != rollback.screenshot_sha256
    assert has_strip(page, png(run, "Roll back: Choose the backup file"))
    assert [t for t in sandbox.state.licensing_views if t >= rollback.started_at]
    html = build_report(run.folder).read_text()
    table = parse(html).find("table", id="licenses")
    assert "Seen after upload" in [" ".join(th.text().split()) for th in table.find_all("th")]
    assert seen.banner in [" ".join(td.text().split()) for td in table.find_all("td")]


def test_an_install_that_shows_what_was_expected_records_no_separate_upload_state(
    installed: Run,
) -> None:
    assert installed.record.license_uploaded is None
    assert "Seen after upload" not in build_report(installed.folder).read_text()


def test_an_install_composes_its_captions_on_one_page_not_a_new_page_each(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    browser = page.context.browser
    assert browser is not None
    devtools = browser.new_browser_cdp_session()
    existing = {target["targetId"] for target in devtools.send("Target.getTargets")["targetInfos"]}
    opened: list[str] = []

    def on_target(event: dict[str, Any]) -> None:
        info = event["targetInfo"]
        if info["type"] == "page" and info["targetId"] not in existing:
            opened.append(info["targetId"])

    devtools.on("Target.targetCreated", on_target)
    devtools.send("Target.setDiscoverTargets", {"discover": True})
    run = new_run(tmp_path, sandbox, page)

    install_license(page, run, target_for(sandbox), new_license)

    captioned = [s for s in run.record.steps if s.annotation]
    assert len(captioned) >= 3
    assert all(has_strip(page, png(run, s.name)) for s in captioned)
    assert len(opened) <= 1, f"{len(opened)} pages opened for {len(captioned)} captions"
