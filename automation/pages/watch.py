"""Watching what a click brings where one locator cannot look: a new window, or the next
whole-page loads of a page while a popup or window has the focus."""

from __future__ import annotations

from types import TracebackType

from playwright.sync_api import Frame, Locator, Page, expect

from automation.pages import find
from automation.pages.arrival import error_heading, parsed

# A window opens at the click, before its page loads; so it is looked for between short
# waits on the page, for a few seconds, before the page alone is waited for.
POLL_MS = 100
WINDOW_POLLS = 50
FORM_WAYS = ("a file input on the page", "an iframe shown as a popup", "a new window or tab")


def form_appearance(page: Page, link: Locator) -> tuple[Page | None, Frame | None]:
    """Click `link`; then the window the form opened in, or the popup's frame, or neither
    (the form, the sign-in page or an error page came on the page itself)."""
    opened: list[Page] = []

    def on_page(window: Page) -> None:
        opened.append(window)

    page.context.on("page", on_page)
    try:
        link.click()
        parsed(page)
        in_page = (
            page.locator("input[type=file]")
            .or_(page.locator("iframe:visible"))
            .or_(find.password_boxes(page))
            .or_(error_heading(page))
            .first
        )
        window = _window_or_none(page, in_page, opened)
    finally:
        page.context.remove_listener("page", on_page)
    if window is not None:
        return window, None
    if not page.locator("iframe:visible").count() or page.locator("input[type=file]").count():
        return None, None
    handle = page.locator("iframe:visible").last.element_handle()
    return None, handle.content_frame()


def _window_or_none(page: Page, in_page: Locator, opened: list[Page]) -> Page | None:
    for _ in range(WINDOW_POLLS):
        if opened:
            return opened[-1]
        try:
            expect(in_page).to_be_attached(timeout=POLL_MS)
            return None
        except AssertionError:
            continue
    try:
        expect(in_page).to_be_attached()
    except AssertionError:
        if opened:
            return opened[-1]
        raise find.ControlNotFound(
            "Upload form", "form", FORM_WAYS, snapshot=find.snapshot(page.locator("body"))
        ) from None
    return opened[-1] if opened else None


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
