"""Administration > Licensing: the installed license, Backup License and Upload New License."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.errors import ServiceCenterError
from automation.licenses import FIELD_LABELS, InstalledLicense, parse_licensing_text
from automation.pages import find
from automation.pages.arrival import arrive, error_heading
from automation.pages.download import Downloaded, download_whole
from automation.pages.find import password_boxes
from automation.pages.network import unreachable
from automation.pages.unrecognised import status_lines
from automation.pages.upload import UploadForm
from automation.profile import NO_PROFILE, SiteProfile
from automation.text import caption, normalise, starting

# The Licensing page's other documented links: not a status, whatever they say of licenses.
OTHER_LINKS = ("Request a New License", "Audit License", "Licensing", "Licensing Portal")

VALID_BANNER = "Your license is valid for this server and all features are within licensed limits."
# Still a valid license, with a warning to renew it.
EXPIRING_BANNER = "This server license will expire within"
# Every status text the documentation gives for the Licensing page, by how it begins.
VALID_STATUS = (VALID_BANNER, EXPIRING_BANNER)
INVALID_STATUS = (
    "Your license is invalid",
    "No license was found for this server",
    "This server license has expired",
    "This server is consuming more resources than allowed",
)
UPLOAD = find.meaning("Upload New License")
BACKUP = find.meaning("Backup License")
SCREEN = "Licensing page"
# Service Center renders the values with the page; a page that filled them in by script
# would do so within this after it loaded (the action timeout is for a page still to come).
SCRIPTED_VALUES_MS = 3_000
# How often a Backup License that brings no download checks for the sign-in or an error page.
INSTEAD_CHECK_MS = 200


class StatusNotRecognised(ServiceCenterError):
    """The Licensing page shows a status text that is neither a documented nor a taught one:
    the license is neither valid nor invalid to the tool, so nothing is changed."""

    kind = "status-not-recognised"

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen
        quoted = "; ".join(f"“{line}”" for line in seen) or "no text about the license"
        super().__init__(
            f"The Licensing page shows a license status the tool does not know: {quoted}. "
            "It is neither valid nor invalid to the tool; nothing was changed.",
            hint="If this Service Center words its status differently, teach it in a site "
            "profile ([licensing] valid_status = [...] or invalid_status = [...]) and run "
            "with --profile; `sc-license probe` proposes one.",
        )


class LicensingPage:
    """The Licensing page as the operator sees it, in the page or any frame of it."""

    def __init__(self, page: Page, profile: SiteProfile = NO_PROFILE) -> None:
        self.page = page
        self.profile = profile
        words, licensing = profile.words, profile.licensing
        self._upload = find.link(
            page, SCREEN, "Upload New License link", UPLOAD.plus(words.upload_new_license)
        )
        self._backup = find.link(
            page, SCREEN, "Backup License link", BACKUP.plus(words.backup_license)
        )
        self.valid_status = VALID_STATUS + licensing.valid_status
        self.invalid_status = INVALID_STATUS + licensing.invalid_status
        statuses = self.valid_status + self.invalid_status
        self._banner = find.text(
            page,
            SCREEN,
            "license status",
            starting(statuses),
            "the documented status texts" + (" and the profile's" if profile.given else ""),
        )
        # The six values are read from the page's text (parse_licensing_text); their labels
        # are what says the page shows them at all.
        self.labels = {
            field: (label, *getattr(licensing.labels, field))
            for field, label in FIELD_LABELS.items()
        }
        self._fields = {
            field: find.text(
                page,
                SCREEN,
                f"{FIELD_LABELS[field]} field",
                caption(said),
                f"a text saying {'|'.join(said)}",
            )
            for field, said in self.labels.items()
        }
        self.upload_new_license = self._upload.locator
        self.backup = self._backup.locator
        self.banner = self._banner.locator
        self.field_labels = {field: control.locator for field, control in self._fields.items()}
        self.url = page.url

    def wait_until_shown(self) -> LicensingPage:
        arrive(self.page, self._upload)
        self.url = self.page.url
        return self

    def shows(self, value: str) -> bool:
        """Whether the page comes to show `value`, allowing for values a script fills in
        after the page loaded; a page that shows another value is not waited on longer."""
        exact = re.compile(rf"^\s*{re.escape(value)}\s*$")
        shown = find.text(self.page, SCREEN, value, exact, f"the text {value}")
        try:
            shown.wait(timeout=SCRIPTED_VALUES_MS)
        except find.ControlNotFound:
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
        """The six fields and the status, as data, from the text of the page and its frames,
        normalised; a status neither documented nor taught is refused, quoted."""
        try:
            status = self._banner.wait(timeout=SCRIPTED_VALUES_MS)
        except find.ControlNotFound:
            raise StatusNotRecognised(self.status_candidates()) from None
        assert status is not None
        banner = normalise(status.inner_text())
        fields = parse_licensing_text(self.text(), self.labels, self.profile.licensing.date_format)
        if fields["serial_number"] is None:  # the one value every check depends on
            raise self._fields["serial_number"].not_found()
        return InstalledLicense(banner=banner, valid=self.says_valid(banner), **fields)

    def says_valid(self, banner: str) -> bool:
        """Valid when the status begins with a valid text, unless a longer invalid one
        matches too ("This license is valid." against "This license is not valid")."""
        valid = [len(text) for text in self.valid_status if starting((text,)).match(banner)]
        invalid = [len(text) for text in self.invalid_status if starting((text,)).match(banner)]
        return max(valid, default=-1) > max(invalid, default=-1)

    def text(self) -> str:
        """What the page and each of its frames show, as text."""
        parts = []
        for root in find.roots_below(self.page):
            with suppress(PlaywrightError):  # a frame that went meanwhile
                parts.append(find.area_of(root).inner_text(timeout=SCRIPTED_VALUES_MS))
        return "\n".join(parts)

    def status_candidates(self) -> list[str]:
        """The lines that speak of the license and are no label, value, link or row of links:
        what a status the tool does not know may be, in the page's order."""
        known = [word for said in self.labels.values() for word in said]
        known += [*UPLOAD.words, *BACKUP.words, *OTHER_LINKS]
        captions: list[str] = []
        for root in find.roots_below(self.page):
            with suppress(PlaywrightError):  # a frame that went meanwhile
                for role in ("link", "button", "tab", "menuitem"):
                    captions += root.get_by_role(role).all_inner_texts()
        return status_lines(self.text(), [normalise(said) for said in captions], known)[:3]

    def backup_license(self, folder: Path, prefix: str = "backup") -> Downloaded:
        """Click Backup License and keep the file it downloads in `folder`, never over another,
        with what its transfer said of it; when the server announced no length, click it again
        and compare the two files."""

        def click(started: Callable[[], bool]) -> None:
            if self._backup.present() is None:  # a post-back before the file left another page
                self.reopen()
            self._backup.require().click()
            self._until_downloading(started)

        try:
            return download_whole(self.page, click, folder, prefix, "Backup License")
        except PlaywrightTimeoutError:
            arrive(self.page, self._backup)  # signed out or an error page, if that is why
            raise

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
            arrive(self.page, self._backup)

    def open_upload(self) -> UploadForm:
        """Click Upload New License; the form may open as a page, in a popup (at once or a
        moment later) or in a window of its own."""
        return UploadForm.open(self.page, self._upload.require(), self)
