"""Watching what a click brings where one locator cannot look: a new window, or the next
whole-page loads of a page while a popup or window has the focus."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from types import TracebackType

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page, expect

from automation.pages import find
from automation.pages.arrival import instead, parsed

FORM_WAYS = (
    "a file input in the page or any of its frames, at any depth",
    "a file input in a page the click opened (popup, tab or window)",
)
FILE_INPUT = "input[type=file]"


def form_appearance(page: Page, link: Locator) -> Frame | None:
    """Click `link`; then the frame that holds the first file input to appear, in any frame
    of the page at any depth (a dialog's iframe, or one inside it) or in any page the click
    opened, whichever comes first; or the frame that shows the sign-in page or an error page
    instead (arrive() there says which). One wait, whatever the form's shape: only the file
    input is sure to be in it."""
    opened: list[Page] = []

    def on_page(window: Page) -> None:
        opened.append(window)

    page.context.on("page", on_page)
    start = page.url
    try:
        link.click()
        parsed(page)
        deadline = time.monotonic() + find.patience_ms.get() / 1000
        while True:
            frames = [frame for candidate in [page, *opened] for frame in _frames(candidate)]
            # A file input out of sight in a form that does not show counts only where the
            # click brought something new: not in the page the click was made on.
            new = [frame for frame in frames if frame != page.main_frame or moved(page, start)]
            for wanted, where in (
                (lambda frame: frame.locator(find.SHOWN_FILE_INPUT), frames),
                (instead, frames),
                (lambda frame: frame.locator(FILE_INPUT), new),
            ):
                holder = next((frame for frame in where if _holds(frame, wanted)), None)
                if holder is not None:
                    return holder
            left_ms = (deadline - time.monotonic()) * 1000
            if left_ms <= 0:
                raise find.ControlNotFound(
                    "Upload form", "form", FORM_WAYS, snapshot=find.snapshot(page.locator("body"))
                )
            # Web-first on the page itself; its frames and opened pages between the slices.
            with suppress(AssertionError):
                watched = page.locator(find.SHOWN_FILE_INPUT).or_(instead(page)).first
                expect(watched).to_be_attached(timeout=min(find.FRAME_CHECK_MS, left_ms))
    finally:
        page.context.remove_listener("page", on_page)


def moved(page: Page, start: str) -> bool:
    """Whether the page is at another address than when the click was made."""
    return page.url != start


def _frames(page: Page) -> list[Frame]:
    return [frame for frame in find.roots_below(page) if isinstance(frame, Frame)]


def _holds(frame: Frame, wanted: Callable[[Frame], Locator]) -> bool:
    with suppress(PlaywrightError):  # a frame or page that went meanwhile
        return wanted(frame).count() > 0
    return False


class PageLoads:
    """Counts a page's loads from now on: new documents only, not #anchor navigations."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def __enter__(self) -> PageLoads:
        self.page.on("load", self._loaded)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.page.remove_listener("load", self._loaded)

    def _loaded(self, page: Page) -> None:
        self.count += 1

    def wait_for(self, count: int) -> None:
        """Return once the page has loaded `count` times since the watch began."""
        while self.count < count:
            self.page.wait_for_event("load")
