"""What a supervising operator sees on a headed run, and what the evidence must not show."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from automation.browser.supervision import HIGHLIGHT, SUPERVISION_SCRIPT, show_step
from automation.config import EvidenceOptions
from automation.evidence.run import Run
from automation.pages.login import LoginPage
from tests.support.images import pixel
from tests.support.sandboxes import Sandbox

CORNER = (20, 880)  # inside the step overlay, bottom left of the 1280x900 viewport


def supervised_login(page: Page, sandbox: Sandbox) -> LoginPage:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.add_init_script(script=SUPERVISION_SCRIPT)
    return LoginPage.open(page, sandbox.url)


def test_the_step_is_shown_on_the_page_but_not_in_the_evidence(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    supervised_login(page, sandbox)
    show_step(page, "Sign in")
    seen_by_operator = pixel(page, page.screenshot(), *CORNER)
    assert sum(seen_by_operator) < 300, seen_by_operator  # the dark step label

    run = Run.create(
        EvidenceOptions(out=tmp_path),
        flow="status",
        environment="sandbox",
        url=sandbox.url,
        user="admin",
    )
    run.watch(page)
    with run.step("Sign in"):
        pass
    evidence = (run.folder / "01-sign-in.png").read_bytes()
    assert sum(pixel(page, evidence, *CORNER)) > 600  # the page itself, no label


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
