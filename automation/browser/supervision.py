"""Aids for an operator watching a headed run: the current step on the page, and a
highlight on each element just before it is clicked or filled. Screenshots hide both."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

OVERLAY_ID = "sc-license-supervision"
HIGHLIGHT = "data-sc-license-highlight"

# Kept out of the evidence: screenshots are taken with this style applied.
HIDDEN_IN_SCREENSHOTS = (
    f"#{OVERLAY_ID} {{ display: none !important; }} [{HIGHLIGHT}] {{ outline: none !important; }}"
)

# Runs in every page and frame before the page's own scripts. The overlay lives in a closed
# shadow root, so the page's text, roles and labels (what the page objects read) are unchanged.
SUPERVISION_SCRIPT = (Path(__file__).parent / "supervision.js").read_text()


def show_step(page: Page, name: str) -> None:
    """Put the step's name on the page for the operator watching."""
    # A page between two documents shows the name once the next one has loaded.
    with suppress(PlaywrightError):
        page.evaluate("(name) => window.__scLicenseShowStep?.(name)", name)
