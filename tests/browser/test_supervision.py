"""What a supervising operator sees on a headed run, and what the evidence must not show."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from automation.browser.supervision import (
    HIDDEN_IN_SCREENSHOTS,
    HIGHLIGHT,
    SUPERVISION_SCRIPT,
    show_step,
    step_display,
)
from automation.config import EvidenceOptions
from automation.evidence.run import Run
from automation.pages.licensing import LicensingPage
from automation.pages.login import LoginPage
from flows.install_license import install_license
from flows.license_status import license_status
from tests.flows.test_flows import target_for
from tests.support.images import pixel, pixels_of_colour
from tests.support.overlay import step_label
from tests.support.sandboxes import Sandbox

LABEL_COLOUR = [38, 50, 56]  # the label's background, #263238
IN_THE_LABEL = (1280 - 12, 900 - 12)  # bottom right of the 1280x900 viewport, in its padding
OUTLINE_COLOUR = (255, 152, 0)  # #ff9800, around the element about to be used


def supervised(page: Page) -> Page:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.add_init_script(script=SUPERVISION_SCRIPT)
    return page


def supervised_login(page: Page, sandbox: Sandbox) -> LoginPage:
    return LoginPage.open(supervised(page), sandbox.url)


def supervised_run(page: Page, tmp_path: Path, sandbox: Sandbox, flow: str = "status") -> Run:
    run = Run.create(
        EvidenceOptions(out=tmp_path),
        flow=flow,
        environment="sandbox",
        url=sandbox.url,
        user="admin",
        show_step=step_display("sandbox"),
        hidden_in_screenshots=HIDDEN_IN_SCREENSHOTS,
    )
    run.watch(page)
    return run


def test_the_step_is_shown_in_a_bottom_corner_but_not_in_the_evidence(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    supervised_login(page, sandbox)
    show_step(page, "Step 2/4 · sandbox · Sign in", "sandbox")
    assert pixel(page, page.screenshot(), *IN_THE_LABEL) == LABEL_COLOUR

    label = step_label(page)
    assert label is not None
    assert label.text == "Step 2/4 · sandbox · Sign in"
    # At the bottom right, clear of the header (tests/browser/test_step_label.py) and of the
    # bottom left (Chromium's link preview), and inside the viewport.
    assert label.y + label.height > 900 - 30 and label.x + label.width > 1280 - 30
    assert label.x > 1280 / 2 and label.y + label.height <= 900

    run = supervised_run(page, tmp_path, sandbox)
    with run.step("Sign in"):
        pass
    evidence = (run.folder / "01-sign-in.png").read_bytes()
    assert pixel(page, evidence, *IN_THE_LABEL) != LABEL_COLOUR  # the page itself, no label
    assert pixels_of_colour(page, evidence, tuple(LABEL_COLOUR)) == 0  # type: ignore[arg-type]


def test_the_label_shows_a_step_on_the_page_its_action_opens(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    run = supervised_run(supervised(page), tmp_path, sandbox)
    run.plan(2)
    with run.step("Open Service Center"):  # from a blank page, before anything has loaded
        login = LoginPage.open(page, sandbox.url)
        label = step_label(page)
        assert label is not None and label.text == "Step 1/2 · sandbox · Open Service Center"
    with run.step("Sign in"):
        login.login(sandbox.user, sandbox.password)
        label = step_label(page)  # the page the sign-in led to, not the sign-in page's step
        assert label is not None and label.text == "Step 2/2 · sandbox · Sign in"
    expect(page).to_have_title(re.compile(r"^\[sandbox\] "))  # the window says whose it is


def test_a_flow_counts_its_planned_steps_to_the_last(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    run = supervised_run(supervised(page), tmp_path, sandbox, "status")
    license_status(page, run, target_for(sandbox))
    label = step_label(page)
    assert label is not None and label.text == "Step 4/4 · sandbox · Open the Licensing submenu"

    run = supervised_run(page, tmp_path, sandbox, "install")
    install_license(page, run, target_for(sandbox), new_license)
    assert len(run.record.steps) == run.planned_steps == 9
    label = step_label(page)
    assert label is not None
    assert label.text == "Step 9/9 · sandbox · Verify the new license is installed"


def test_the_file_input_is_outlined_before_the_file_is_set_but_not_in_the_evidence(
    page: Page, sandbox: Sandbox, new_license: Path, tmp_path: Path
) -> None:
    login = supervised_login(page, sandbox)
    licensing: LicensingPage = (
        login.login(sandbox.user, sandbox.password).open_administration().open_licensing()
    )
    form = licensing.open_upload()
    form.choose(new_license)
    expect(form.file_input).to_have_attribute(HIGHLIGHT, "")
    assert pixels_of_colour(page, page.screenshot(), OUTLINE_COLOUR) > 100

    run = supervised_run(page, tmp_path, sandbox)
    with run.step("Choose the new license file"):
        pass
    evidence = (run.folder / "01-choose-the-new-license-file.png").read_bytes()
    assert pixels_of_colour(page, evidence, OUTLINE_COLOUR) == 0


def test_each_field_is_highlighted_as_it_is_filled_and_reading_still_works(
    page: Page, sandbox: Sandbox
) -> None:
    login = supervised_login(page, sandbox)
    login.username.fill(sandbox.user)
    expect(login.username).to_have_attribute(HIGHLIGHT, "")
    login.password.fill(sandbox.password)
    expect(login.password).to_have_attribute(HIGHLIGHT, "")
    expect(login.username).not_to_have_attribute(HIGHLIGHT, "")
    licensing = login.login(sandbox.user, sandbox.password).open_administration().open_licensing()
    assert licensing.read_license().serial_number == sandbox.serial


def test_a_filled_password_box_is_a_solid_block_in_the_evidence(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    login = supervised_login(page, sandbox)
    login.password.fill(sandbox.password)
    box = login.password.bounding_box()
    assert box is not None
    # Along the middle of the box, where the bullets are drawn, and near its edges.
    y = round(box["y"] + box["height"] / 2)
    points = [(round(box["x"] + dx), y) for dx in range(3, int(box["width"]) - 2, 5)]
    points += [(round(box["x"] + 2), round(box["y"] + 2))]
    bullets = [pixel(page, page.screenshot(), x, y) for x, y in points]
    assert any(sum(colour) < 400 for colour in bullets), "the box shows its bullets on the page"

    run = Run.create(
        EvidenceOptions(out=tmp_path),
        flow="status",
        environment="sandbox",
        url=sandbox.url,
        user="admin",
    )
    run.watch(page)
    with run.step("Open Service Center"):
        pass
    evidence = (run.folder / "01-open-service-center.png").read_bytes()
    assert {tuple(pixel(page, evidence, x, y)) for x, y in points} == {(255, 0, 255)}
