"""Aids for an operator watching a headed run: the current step on the page, and a
highlight on each element just before it is clicked or filled. Screenshots hide both."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

OVERLAY_ID = "sc-license-supervision"
HIGHLIGHT = "data-sc-license-highlight"

# Kept out of the evidence: the runner hands this style to the run, which applies it to every
# screenshot (automation/evidence/screenshots.py). It names the markup supervision.js makes.
HIDDEN_IN_SCREENSHOTS = (
    f"#{OVERLAY_ID} {{ display: none !important; }} [{HIGHLIGHT}] {{ outline: none !important; }}"
)

# Runs in every page and frame before the page's own scripts. The overlay lives in a closed
# shadow root, so the page's text, roles and labels (what the page objects read) are unchanged.
SUPERVISION_SCRIPT = (Path(__file__).parent / "supervision.js").read_text(encoding="utf-8")


def step_label(number: int, planned: int | None, environment: str, name: str) -> str:
    """What the operator reads: "Step 3/8 · prod-eu · Click the Administration tab"."""
    of = f"/{max(planned, number)}" if planned else ""
    return f"Step {number}{of} · {environment} · {name}"


def show_step(page: Page, label: str, environment: str) -> None:
    """Put the step's label on the page now, and on every page that loads after it."""
    step = {"text": label, "environment": environment}
    with suppress(PlaywrightError):
        # Each document the step's action loads shows it from its first paint, whatever its
        # origin: the last init script added runs last, so the latest step wins.
        page.context.add_init_script(script=f"window.__scLicenseStep = {json.dumps(step)};")
    # A page between two documents shows it once the next one has loaded (above).
    with suppress(PlaywrightError):
        page.evaluate("(step) => window.__scLicenseShowStep?.(step)", step)


def step_display(environment: str) -> Callable[[Page, int, int | None, str], None]:
    """What a supervised run of `environment` calls as each step starts, with the page, the
    step's number, the steps planned and its name (automation/evidence/run.py)."""

    def show(page: Page, number: int, planned: int | None, name: str) -> None:
        show_step(page, step_label(number, planned, environment, name), environment)

    return show
