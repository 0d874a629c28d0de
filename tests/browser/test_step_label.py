"""The step label a supervising operator reads covers nothing of Service Center's header: its
logo and first tabs, where the operator looks to follow the run."""

from __future__ import annotations

from playwright.sync_api import Page

from automation.browser.supervision import SUPERVISION_SCRIPT, show_step
from automation.pages.login import LoginPage
from tests.support.overlay import step_label
from tests.support.sandboxes import Sandbox


def test_the_step_label_covers_nothing_of_the_header_down_to_the_administration_tab(
    page: Page, sandbox: Sandbox
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.add_init_script(script=SUPERVISION_SCRIPT)
    center = LoginPage.open(page, sandbox.url).login(sandbox.user, sandbox.password)
    show_step(page, "Step 3/9 · prod-eu-west · Click the Administration tab", "prod-eu-west")

    tab = center.administration_tab.bounding_box()
    label = step_label(page)

    assert tab is not None and label is not None
    assert label.text == "Step 3/9 · prod-eu-west · Click the Administration tab"
    # Below the header's lowest point, down to and including the Administration tab.
    assert label.y > tab["y"] + tab["height"]
    apart = (
        label.x >= tab["x"] + tab["width"]
        or label.x + label.width <= tab["x"]
        or label.y >= tab["y"] + tab["height"]
        or label.y + label.height <= tab["y"]
    )
    assert apart, (label, tab)
