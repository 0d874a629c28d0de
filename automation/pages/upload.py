"""The Upload New License form, whether Service Center shows it as a page or a popup."""

from __future__ import annotations

import re
from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, Response, expect

from automation.errors import LicenseRejected, SignedOut, UploadFailed
from automation.pages.arrival import arrive
from automation.pages.find import password_boxes

# The texts the documentation gives for a license Service Center will not take.
REJECTION = re.compile(
    r"The license found is not valid for this server[^\n]*"
    r"|No license was found for this server[^\n]*",
)
SUBMIT = re.compile(r"\b(upload|submit|install|save|apply|ok)\b", re.IGNORECASE)
# The form's caption and its popup's markup are not published, so find it by what it
# must hold: a file input, on the page or in a popup's iframe.
FILE_INPUT = "input[type=file]"


class UploadForm:
    """A file input and a submit button, on the page itself or inside a popup iframe."""

    def __init__(self, page: Page, frame: Frame | None) -> None:
        self.page = page
        self.frame = frame
        root = frame or page
        self.file_input = root.locator(FILE_INPUT)
        self.submit = root.get_by_role("button", name=SUBMIT).first
        self.rejection = root.get_by_text(REJECTION).first

    @classmethod
    def find(cls, page: Page) -> UploadForm:
        arrive(page, page.locator(FILE_INPUT).or_(page.locator("iframe:visible")))
        if page.locator(FILE_INPUT).count():
            return cls(page, None)
        handle = page.locator("iframe:visible").last.element_handle()
        frame = handle.content_frame()
        if frame is None:
            raise RuntimeError("Upload New License opened a popup without a page in it")
        expect(frame.locator(FILE_INPUT)).to_be_attached()
        return cls(page, frame)

    def upload(self, license_file: Path) -> None:
        """Choose the file and submit; raise if Service Center refuses it or fails."""
        self.file_input.set_input_files(license_file)
        if self.frame is None:
            with self.page.expect_navigation() as answer:
                self.submit.click()
            self._check(answer.value)
            return
        popup = self.frame.frame_element()
        try:
            with self.frame.expect_navigation() as answer:
                self.submit.click()
        except PlaywrightError:
            # The popup's answer may move the top window on at once, detaching it.
            if not self.frame.is_detached():
                raise
            return
        self._check(answer.value)
        # Accepted: the popup closes (detached with the page it was on counts as closed).
        with suppress(PlaywrightError):
            popup.wait_for_element_state("hidden")

    def _check(self, response: Response | None) -> None:
        """What the answer to the upload says: refused, an error, or signed out."""
        root = self.frame or self.page
        if response is not None and response.status >= 500:
            raise UploadFailed(
                f"Service Center answered the upload with HTTP {response.status}.",
                hint="Check Service Center's health (Monitoring > Errors) before trying again.",
            )
        if self._rejected():
            message = " ".join(self.rejection.inner_text().split())
            raise LicenseRejected(
                f"Service Center rejected the license file: {message}",
                hint="The previous license is still installed. Compare the Serial Number "
                "shown in Service Center with the one the file was issued for in the "
                "Licensing Portal, and request a license for this environment's serial.",
            )
        if password_boxes(root).count():
            raise SignedOut(
                "Service Center showed its sign-in page in answer to the upload: the session "
                "expired.",
                hint="Run again.",
            )

    def _rejected(self) -> bool:
        try:
            return self.rejection.is_visible()
        except PlaywrightError:
            return False
