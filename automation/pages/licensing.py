"""Administration > Licensing: the installed license, Backup License and Upload New License."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.licenses import FIELD_LABELS, InstalledLicense, parse_licensing_text
from automation.pages import find
from automation.pages.arrival import arrive, error_heading
from automation.pages.find import password_boxes
from automation.pages.network import unreachable
from automation.pages.upload import UploadForm

VALID_BANNER = "Your license is valid for this server and all features are within licensed limits."
# Still a valid license, with a warning to renew it.
EXPIRING_BANNER = "This server license will expire within"
# Every status text the documentation gives for the Licensing page.
BANNER = re.compile(
    "|".join(
        [
            re.escape(VALID_BANNER),
            r"Your license is invalid[^\n]*",
            r"No license was found for this server",
            r"This server license has expired[^\n]*",
            r"This server license will expire within[^\n]*",
            r"This server is consuming more resources than allowed[^\n]*",
        ]
    )
)
SCREEN = "Licensing page"
# Service Center renders the values with the page; a page that filled them in by script
# would do so within this after it loaded (the action timeout is for a page still to come).
SCRIPTED_VALUES_MS = 3_000
# How often a Backup License that brings no download checks for the sign-in or an error page.
INSTEAD_CHECK_MS = 200


class LicensingPage:
    """The Licensing page as the operator sees it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self._upload = find.link(page, SCREEN, "Upload New License link", "Upload New License")
        self._backup = find.link(page, SCREEN, "Backup License link", "Backup License")
        self._banner = find.text(
            page, SCREEN, "license status banner", BANNER, "the documented status texts"
        )
        # The six values are read from the page's text (parse_licensing_text); their labels
        # are what says the page shows them at all.
        self._fields = {
            field: find.text(
                page,
                SCREEN,
                f"{label} field",
                re.compile(rf"^\s*{re.escape(label)}\s*(:|$)"),
                f"the text '{label}'",
            )
            for field, label in FIELD_LABELS.items()
        }
        self.upload_new_license = self._upload.locator
        self.backup = self._backup.locator
        self.banner = self._banner.locator
        self.field_labels = {field: control.locator for field, control in self._fields.items()}
        self.url = page.url

    def wait_until_shown(self) -> LicensingPage:
        try:
            arrive(self.page, self.upload_new_license)
        except AssertionError:
            if self.banner.is_visible():  # the Licensing page, but without its link
                raise self._upload.not_found() from None
            raise
        self._banner.require()
        self.url = self.page.url
        return self

    def shows(self, value: str) -> bool:
        """Whether the page comes to show `value`, allowing for values a script fills in
        after the page loaded; a page that shows another value is not waited on longer."""
        try:
            shown = self.page.get_by_text(value, exact=True).first
            expect(shown).to_be_visible(timeout=SCRIPTED_VALUES_MS)
        except AssertionError:
            return False
        return True

    def reopen(self) -> LicensingPage:
        """Load the Licensing page again at the address the clicks led to (never a re-POST)."""
        try:
            self.page.goto(self.url)
        except PlaywrightError as exc:
            raise unreachable(self.url, exc) from None
        return self.wait_until_shown()

    def read_license(self) -> InstalledLicense:
        """The six fields and the status banner, as data."""
        banner = " ".join(self._banner.require().inner_text().split())
        fields = parse_licensing_text(self.page.locator("body").inner_text())
        if fields["serial_number"] is None:  # the one value every check depends on
            raise self._fields["serial_number"].not_found()
        # "in": the banner's element may hold more than the documented sentence.
        valid = VALID_BANNER in banner or banner.startswith(EXPIRING_BANNER)
        return InstalledLicense(banner=banner, valid=valid, **fields)

    def backup_license(self, folder: Path, prefix: str = "backup") -> Path:
        """Click Backup License and keep the file it downloads in `folder`, never over another."""
        backup = self._backup.require()
        try:
            with self.page.expect_download() as download_info:
                backup.click()
                self._until_downloading(download_info.is_done)
        except PlaywrightTimeoutError:
            arrive(self.page, self.backup)  # signed out or an error page, if that is why
            raise
        download = download_info.value
        suggested = re.sub(r"[^A-Za-z0-9._-]+", "_", download.suggested_filename) or "license.lic"
        target = folder / f"{prefix}-{suggested}"
        number = 1
        while target.exists():
            number += 1
            target = folder / f"{prefix}-{number}-{suggested}"
        # Saved aside, then renamed: a backup on disk is always a whole download.
        partial = folder / f".{target.name}.partial"
        download.save_as(partial)
        partial.rename(target)
        return target

    def _until_downloading(self, started: Callable[[], bool]) -> None:
        """Wait until the download starts, or the sign-in page or an error page comes
        instead: then no download will, and arrive() says which came. Any other new document
        (Service Center may post back before it sends the file) leaves the wait on."""
        instead = password_boxes(self.page).or_(error_heading(self.page)).first
        # started() after the check: a download that starts during it is seen at once.
        while not instead.is_visible() and not started():
            with suppress(PlaywrightTimeoutError):
                # Ends the moment the download starts; the slice only bounds how late the
                # sign-in page is noticed.
                self.page.wait_for_event("download", timeout=INSTEAD_CHECK_MS)
        if not started():
            arrive(self.page, self.backup)

    def open_upload(self) -> UploadForm:
        """Click Upload New License; the form may open as a page, in a popup (at once or a
        moment later) or in a window of its own."""
        return UploadForm.open(self.page, self._upload.require(), self)
