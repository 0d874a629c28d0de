"""The Upload New License form, wherever Service Center shows it and however it answers.

The form is wherever the first file input appears after the click (watch.form_appearance):
the page, a frame of it at any depth (a popup's iframe, or one inside it), or a page the
click opened. An accepted file may take the top page to Licensing at once, or show a message
(or an alert) first and reload Licensing a moment later; a refused one is answered in the
form or in an alert. A confirm raised by the Upload click is accepted (pages/dialogs.py).
"""

from __future__ import annotations

import re
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.errors import LicenseRejected, SignedOut, UploadFailed
from automation.pages import find
from automation.pages.arrival import arrive, error_heading
from automation.pages.dialogs import Dialogs, DialogSeen
from automation.pages.find import Control, Root
from automation.pages.watch import PageLoads, form_appearance
from automation.profile import SiteProfile
from automation.text import normalise

# The texts the documentation gives for a license Service Center will not take.
REJECTION = re.compile(
    r"The license found is not valid for this server[^\n]*"
    r"|No license was found for this server[^\n]*",
)
SUBMIT = find.meaning(
    "upload", "upload license", "upload licence", "upload file", "submit", "install", "ok",
    "save", "apply", "send",
)  # fmt: skip
# A dialog's close button is often just a multiplication sign.
CLOSE = find.meaning("cancel", "close", "back", "\N{MULTIPLICATION SIGN}", "x")
SCREEN = "Upload form"

Shown = Literal["page", "popup", "window"]


class Beneath(Protocol):
    """The page the form opens over (Licensing), as the form needs it once it is done: the
    site profile's words, the text that says it shows, a wait until it does (which names
    the sign-in or an error page if one comes instead) and the address it is loaded at.
    Whoever opens the form passes it; this module knows no page object of that page."""

    profile: SiteProfile
    banner: Locator
    url: str

    def wait_until_shown(self) -> object: ...


@dataclass(frozen=True, eq=False)
class UploadForm:
    """A file input and a submit control, in the frame that holds the file input: the page's
    own, a frame of it (shown "popup") or a page of its own (shown "window").

    `file_input` and `submit` are the controls `upload()` uses, found once (open() finds
    them); `shown_on` is the page that shows the form (the window, when it opened in one),
    for outlines and screenshots; `dialogs` lists the dialogs Service Center raised in
    answer to the upload.
    """

    page: Page  # the main page: Licensing, under the popup or behind the window
    root: Frame  # the frame the form is in
    beneath: Beneath
    dialogs: list[DialogSeen] = field(default_factory=list)
    _found: dict[str, Locator] = field(default_factory=dict, repr=False)

    @classmethod
    def open(cls, page: Page, link: Locator, beneath: Beneath) -> UploadForm:
        """Click `link` and wait for the form, wherever it shows, and for its controls."""
        holder = form_appearance(page, link)
        form = cls(page, holder or page.main_frame, beneath)
        try:
            # A file input styled out of sight is no sign of arrival: a visible control is.
            arrive(form.root, find.either(form._submit, form._file, "upload form"))
        except SignedOut:
            form.abandon()
            raise
        form.file_input, form.submit  # noqa: B018 - looked up now, in the click's step
        return form

    @property
    def shown(self) -> Shown:
        if self.root == self.page.main_frame:
            return "page"
        return "popup" if self.root.page == self.page else "window"

    @property
    def shown_on(self) -> Page:
        return self.root.page

    @property
    def _file(self) -> Control:
        """Every way of finding the file input."""
        return find.file_input(self.root, SCREEN)

    @property
    def _submit(self) -> Control:
        """Every way of finding the submit control."""

        def form_of(root: Root) -> Locator:
            return root.locator("form").filter(has=root.locator("input[type=file]"))

        return find.action(
            self.root,
            SCREEN,
            "submit control",
            SUBMIT.plus(self.beneath.profile.words.submit),
            find.submit_of(form_of, "the form's submit control"),
        )

    # The match each control's ways found, in the frame they found it in, looked up once:
    # the form's actions and checks keep to it, even after the answer took the form away.
    # Kept per form, not by functools.cached_property: on Python 3.11 that holds one lock for
    # every form while it looks, and a fleet's other threads would wait on it.
    @property
    def file_input(self) -> Locator:
        return self._found_once("file input", self._file)

    @property
    def submit(self) -> Locator:
        return self._found_once("submit", self._submit)

    def _found_once(self, name: str, control: Control) -> Locator:
        if name not in self._found:
            self._found[name] = control.require()
        return self._found[name]

    @property
    def rejection(self) -> Locator:
        return self.root.get_by_text(REJECTION).first

    @property
    def alert(self) -> Locator:
        return self.root.get_by_role("alert").first

    def upload(self, license_file: Path) -> None:
        """Choose the file and submit it; see submit_file()."""
        self.choose(license_file)
        self.submit_file()

    def choose(self, license_file: Path) -> None:
        """Choose the file in the form's file input; nothing is sent yet."""
        # Focused first, as a person tabbing to it would: a headed run outlines what has
        # focus, and setting files neither moves the mouse nor focuses the input.
        self.file_input.focus()
        self.file_input.set_input_files(license_file)

    def submit_file(self) -> None:
        """Submit the chosen file; return once Licensing shows again on the main page.

        Raises LicenseRejected with Service Center's words when it refuses the file (in the
        form, on the page or in an alert), UploadFailed when it answers with an error,
        SignedOut when the session expired. Dialogs raised meanwhile are Service Center's
        answer to the click: accepted, and kept in `dialogs`."""
        with Dialogs.of(self.page.context).awaited(self.dialogs), PageLoads(self.page) as loads:
            self._check(self._send())
            if self.shown == "page":
                self._follow_the_page(loads)
            else:
                self._wait_for_the_parent(loads)
            self.beneath.wait_until_shown()
            self._check_alerts()
        rejected = self.page.get_by_role("alert").filter(has_text=REJECTION)
        if rejected.first.is_visible():  # said on the page, once the popup went
            raise _rejected(rejected.first)
        if self.shown == "window" and not self._gone():
            self.shown_on.close()  # a window that did not close itself

    def close(self) -> None:
        """Close the form without submitting anything; Licensing shows again."""
        if self.shown == "window":
            if not self._gone():
                self.shown_on.close()
        else:
            closer = self._closer()
            if closer is not None:
                closer.click()
            elif self.shown == "page":
                self.page.go_back()
            else:
                self.page.reload()
            self._until_closed()
        self.beneath.wait_until_shown()

    def _closer(self) -> Locator | None:
        """What closes the form: the close control of a dialog around its frame, from the
        nearest outwards, else the form's own cancel or close control."""
        frame = self.root.parent_frame
        while frame is not None:
            dialog = frame.get_by_role("dialog").filter(has=frame.locator("iframe"))
            closer = find.action(dialog, "Upload popup", "close control", CLOSE).present()
            if closer is not None:
                return closer
            frame = frame.parent_frame
        return find.action(self.root, SCREEN, "cancel control", CLOSE).present()

    def _until_closed(self) -> None:
        """Wait until the form's frame went, or shows no form with a file input any more (a
        dialog may hide its form rather than remove it)."""
        deadline = time.monotonic() + find.patience_ms.get() / 1000
        while not self.root.is_detached():
            with suppress(PlaywrightError):  # the frame went during the wait
                remaining = self.root.locator(find.SHOWN_FILE_INPUT)
                if not remaining.count():
                    return
                left_ms = (deadline - time.monotonic()) * 1000
                if left_ms <= 0:
                    raise find.ControlNotFound(
                        SCREEN,
                        "way to close the form",
                        (
                            *find.action(self.root, SCREEN, "cancel control", CLOSE).tried,
                            "a dialog's close control",
                        ),
                    )
                with suppress(AssertionError):
                    expect(remaining).to_have_count(0, timeout=min(find.FRAME_CHECK_MS, left_ms))

    def abandon(self) -> None:
        """After the session expired in a popup or window: close it, and reload the main page
        so that it shows the sign-in page too, where signing in again starts."""
        if self.shown == "page":
            return
        if self.shown == "window":
            self.shown_on.close()
        self.page.reload()

    def _send(self) -> Response | None:
        """Click submit and return the answer; None when the answer took the form away."""
        try:
            with self.root.expect_navigation() as answer:
                self.submit.click()
        except PlaywrightTimeoutError:
            # Sent by script, answered in place: what is installed now is read next.
            raise UploadFailed(
                "Service Center loaded no page in answer to the upload (a form sent by script?).",
                hint="What the Licensing page shows now decides whether the license was installed.",
            ) from None
        except PlaywrightError:
            if self._gone():  # the top page moved on, or the window closed itself
                return None
            raise
        return answer.value

    def _gone(self) -> bool:
        return self.shown_on.is_closed() or self.root.is_detached()

    def _check_alerts(self) -> None:
        """An alert that says the file was refused is Service Center's answer."""
        for seen in self.dialogs:
            if seen.kind == "alert" and REJECTION.search(seen.message):
                raise _rejection(seen.message)

    def _check(self, response: Response | None) -> None:
        """What the form says to the upload: refused, an error, or signed out."""
        if response is not None and response.status >= 500:
            raise UploadFailed(
                f"Service Center answered the upload with HTTP {response.status}.",
                hint="Check Service Center's health (Monitoring > Errors) before trying again.",
            )
        try:
            # The form again means it was refused: by a documented text, or in its own
            # words. (On a page, Licensing's own banner may show a documented text.)
            self._check_alerts()
            in_form = self.shown != "page" or self.file_input.count() > 0
            if in_form and self.rejection.is_visible():
                raise _rejected(self.rejection)
            if in_form and self.file_input.count() and self.alert.is_visible():
                raise _rejected(self.alert)
            signed_out = find.password_boxes(self.root).count() > 0
        except PlaywrightError:
            if self._gone():
                return
            raise
        if signed_out:
            self.abandon()
            raise SignedOut(
                "Service Center showed its sign-in page in answer to the upload: the session "
                "expired.",
                hint="Run again.",
            )

    def _follow_the_page(self, loads: PageLoads) -> None:
        """The answer on the page is Licensing, or a page that says so and loads Licensing
        next; each load is checked for a refusal or the sign-in page on the way."""
        seen = 0
        while not self.beneath.banner.is_visible():
            seen += 1
            try:
                loads.wait_for(seen)
            except PlaywrightTimeoutError:
                raise UploadFailed(
                    "Service Center answered the upload with neither the Licensing page nor "
                    f"a refusal: it shows “{_said(self.page)}”.",
                    hint="Check the Licensing page in Service Center.",
                ) from None
            self._check(None)

    def _wait_for_the_parent(self, loads: PageLoads) -> None:
        """A popup's parent or a window's opener loads Licensing: at once, or a moment after
        the form said the license was uploaded."""
        try:
            loads.wait_for(1)
        except PlaywrightTimeoutError:
            # The popup or window said its piece and left the rest to us.
            self.page.goto(self.beneath.url)


def _rejected(message: Locator) -> LicenseRejected:
    return _rejection(normalise(message.inner_text()))


def _rejection(said: str) -> LicenseRejected:
    if "issued to a server with serial number" in said:
        hint = (
            "Compare the Serial Number shown in Service Center with the one the file was "
            "issued for in the Licensing Portal, and request a license for this environment's "
            "serial."
        )
    else:  # Service Center could not read it as a license at all
        hint = "The file may be damaged or not a license: download it again from the Portal."
    return LicenseRejected(f"Service Center rejected the license file: {said}", hint=hint)


def _said(page: Page) -> str:
    heading = error_heading(page).or_(page.get_by_role("status")).or_(page.locator("h1"))
    text = heading.first.inner_text() if heading.count() else page.title()
    return normalise(text)
