"""Administration > Licensing: the installed license, Backup License and Upload New License."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.errors import ScLicenseError, ServiceCenterError
from automation.licenses import FIELD_LABELS, InstalledLicense, parse_licensing_text
from automation.pages import find
from automation.pages.arrival import arrive, instead
from automation.pages.download import Downloaded, download_whole
from automation.pages.network import unreachable
from automation.pages.unrecognised import status_lines
from automation.pages.upload import UploadForm
from automation.profile import NO_PROFILE, SiteProfile
from automation.text import caption, normalise, starting

# The text of every open shadow root in a document, at any depth, as the page shows it.
SHADOW_TEXT = """() => {
  const texts = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (!element.shadowRoot) continue;
      for (const child of element.shadowRoot.children) {
        if (child.innerText) texts.push(child.innerText);
      }
      visit(element.shadowRoot);
    }
  };
  visit(document);
  return texts.join('\\n');
}"""
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
# While values are awaited, the page is read again when it changes, or this often.
FIELDS_CHECK_MS = 500
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
        self.frame: Frame = page.main_frame  # the frame the Licensing page was found in

    def wait_until_shown(self) -> LicensingPage:
        found = arrive(self.page, self._upload)
        handle = found.element_handle()
        self.frame = (handle.owner_frame() if handle else None) or self.page.main_frame
        self.url = self.frame.url
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
        """Load the Licensing page again at the address the clicks led to (never a re-POST),
        in the frame it was found in: a portal or frameset around Service Center stays, and
        its own address would bring back the start page instead."""
        frame = self.frame if not self.frame.is_detached() else self.page.main_frame
        try:
            frame.goto(self.url)
        except PlaywrightError as exc:
            raise unreachable(self.url, exc) from None
        return self.wait_until_shown()

    def read_license(self) -> InstalledLicense:
        """The six fields and the status, as data, from the text of the page and its frames
        (and form controls labelled as a field), normalised. Values a script fills in after
        the page loaded are awaited; a status neither documented nor taught is refused,
        quoted, once the values show (or the wait ran out)."""
        status, fields = self._read_until_settled()
        if status is None:
            raise StatusNotRecognised(self.status_candidates())
        unread = fields.pop("unread", {})
        if not fields["serial_number"]:  # the one value every check depends on
            raise self._serial_not_read(fields["serial_number"], unread.get("serial_number"))
        banner = normalise(status.inner_text())
        return InstalledLicense(banner=banner, valid=self.says_valid(banner), **fields)

    def _read_until_settled(self) -> tuple[Locator | None, dict[str, Any]]:
        """Read until a known status and the serial number show: at once on a page rendered
        whole; a page that fills them in by script is read again as it changes. A status
        still unknown SCRIPTED_VALUES_MS after the values showed will not come."""
        deadline = time.monotonic() + find.patience_ms.get() / 1000
        values_since: float | None = None
        while True:
            main = self.page.locator("body")
            texts = self.texts()
            before = texts[0] if texts else ""  # the page's own: the first read
            fields = self.values_in("\n".join(texts))
            status = self._banner.present()
            now = time.monotonic()
            if fields["serial_number"] and values_since is None:
                values_since = now
            settled = values_since is not None and (
                status is not None or now - values_since >= SCRIPTED_VALUES_MS / 1000
            )
            if settled or now >= deadline:
                return status, fields
            with suppress(AssertionError, PlaywrightError):  # the page changed, or a slice went
                expect(main).not_to_have_text(before, timeout=FIELDS_CHECK_MS)

    def values_in(self, text: str) -> dict[str, Any]:
        """The six values as the page's text gives them, and its read-only boxes where the
        text holds none: one reading for a run and the probe alike."""
        fields = parse_licensing_text(text, self.labels, self.profile.licensing.date_format)
        self._fill_from_form_controls(fields)
        return fields

    def _fill_from_form_controls(self, fields: dict[str, Any]) -> None:
        """A value shown in a read-only box labelled as its field: no text of the page holds
        it."""
        for field, said in self.labels.items():
            if fields.get(field):
                continue
            for root in find.roots_below(self.page):
                box = root.get_by_label(caption(said)).and_(root.locator("input, textarea"))
                with suppress(PlaywrightError):
                    if box.count():
                        shown = parse_licensing_text(
                            f"{said[0]}\n{box.first.input_value()}",
                            self.labels,
                            self.profile.licensing.date_format,
                        )
                        fields.update({k: v for k, v in shown.items() if v})
                        break

    def _serial_not_read(self, shown: str | None, unread: str | None) -> ScLicenseError:
        """The Serial Number field missing, empty, or showing something else: quoted."""
        control = self._fields["serial_number"]
        if shown is None:
            return control.not_found()
        what = f"“{unread}”, not a serial number" if unread else "no value"
        return ServiceCenterError(
            f"{SCREEN}: the Serial Number field shows {what}; nothing was changed.",
            hint="Every check depends on the environment's serial. Look at the step's "
            "screenshot; if the page shows the serial elsewhere or in another form, report it "
            "with this message.",
        )

    def says_valid(self, banner: str) -> bool:
        """Valid when the status begins with a valid text, unless a longer invalid one
        matches too ("This license is valid." against "This license is not valid")."""
        valid = [len(text) for text in self.valid_status if starting((text,)).match(banner)]
        invalid = [len(text) for text in self.invalid_status if starting((text,)).match(banner)]
        return max(valid, default=-1) > max(invalid, default=-1)

    def text(self) -> str:
        """What the page and each of its frames show, as one text."""
        return "\n".join(part for part in self.texts() if part)

    def texts(self) -> list[str]:
        """What the page and each of its frames show, the page's own first; web components'
        open shadow roots are added after each (a page's own text leaves them out)."""
        parts = []
        for root in find.roots_below(self.page):
            with suppress(PlaywrightError):  # a frame that went meanwhile
                parts.append(find.area_of(root).inner_text(timeout=SCRIPTED_VALUES_MS))
                if isinstance(root, Frame):
                    parts.append(root.evaluate(SHADOW_TEXT))
        return parts

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
            # Signed out or an error page, if that is why; else it brought no file.
            if instead(self.page).is_visible():
                arrive(self.page, self._backup)
            shown = [page.url for page in self.page.context.pages]
            raise ServiceCenterError(
                f"{SCREEN}: Backup License brought no download in time; the browser shows "
                f"{', '.join(shown)}. Nothing was changed.",
                hint="Service Center (or a proxy before it) may show the license file in a page "
                "instead of sending it as a download. Look at the step's screenshot; take the "
                "backup by hand if it shows the file, and report it with this message.",
            ) from None

    def _until_downloading(self, started: Callable[[], bool]) -> None:
        """Wait until the download starts, or the sign-in page or an error page comes
        instead: then no download will, and arrive() says which came. Any other new document
        (Service Center may post back before it sends the file) leaves the wait on."""
        came = instead(self.page)
        # started() after the check: a download that starts during it is seen at once.
        while not came.is_visible() and not started():
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
