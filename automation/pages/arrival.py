"""Waiting for the next screen, and telling what Service Center showed instead."""

from __future__ import annotations

import re

from playwright.sync_api import Frame, Locator, Page

from automation.errors import ServiceCenterError, SignedOut
from automation.pages.find import Control, password_boxes
from automation.text import normalise

NOT_AUTHORIZED = "You are not authorized to view this page"
# Error pages are not documented; IIS, ASP.NET and OutSystems all title theirs like this.
ERROR_HEADING = re.compile(r"error|not authorized|forbidden|unavailable", re.IGNORECASE)


def arrive(page: Page | Frame, expected: Control) -> Locator:
    """Wait for `expected` in the page or any of its frames, and return it; if the sign-in
    page or an error page comes instead, say so; if nothing comes, ControlNotFound names
    what was awaited and how it was looked for.

    `page` may be a popup's frame or a window: the sign-in page can show in them too."""
    parsed(page)
    found = expected.wait(instead=instead(page))
    if found is not None:
        return found
    if error_heading(page).first.is_visible():
        raise error_page(page)
    raise SignedOut(
        f"Service Center showed its sign-in page at {page.url}: the session expired.",
        hint="Service Center's session timeout may be short; run again.",
    )


def instead(page: Page | Frame) -> Locator:
    """What comes instead of the screen awaited: the sign-in page (any password box: sign-in
    boxes may carry a label, a placeholder or neither) or an error page."""
    return password_boxes(page).or_(error_heading(page)).first


def parsed(page: Page | Frame) -> None:
    """Wait for the document a click just brought (the click waits until it has come) to be
    parsed, on its own event. A check of the page then finds what it shows at once: checks
    that wait poll, and after a few hundred milliseconds only every half second, which a busy
    machine's page loads reach."""
    page.wait_for_load_state("domcontentloaded")


def error_heading(page: Page | Frame) -> Locator:
    return page.get_by_role("heading", name=ERROR_HEADING)


def error_page(page: Page | Frame, status: int | None = None) -> ServiceCenterError:
    """Describe the error page Service Center is showing."""
    heading = normalise(error_heading(page).first.inner_text())
    code = f"HTTP {status}, " if status else ""
    if heading.startswith(NOT_AUTHORIZED):
        return ServiceCenterError(
            f"Service Center refused this machine: “{NOT_AUTHORIZED}” ({code}{page.url}).",
            hint="Service Center only answers its allowed networks (Administration > Security "
            "> Network Security): run from an allowed machine, or ask to allow this one.",
        )
    return ServiceCenterError(
        f"Service Center answered with an error page: “{heading}” ({code}{page.url}).",
        hint="Check Service Center's health (Monitoring > Errors, the server's event log) "
        "and run again.",
    )
