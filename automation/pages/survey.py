"""What each screen shows, control by control, found or not: for `sc-license probe`.

The page objects stop at the first control they cannot find; a survey looks at every one,
says by which way each was found (or which ways were tried), what it says, and, for one not
found, the captions the screen shows instead: the words an operator would teach it.
Nothing here chooses a file, submits a form or downloads anything.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page
from pydantic import BaseModel

from automation.licenses import FIELD_LABELS, InstalledLicense, read_date
from automation.pages import find
from automation.pages.arrival import arrive
from automation.pages.find import Control, ControlNotFound
from automation.pages.licensing import (
    BACKUP,
    OTHER_LINKS,
    SCRIPTED_VALUES_MS,
    UPLOAD,
    LicensingPage,
)
from automation.pages.login import LoginPage
from automation.pages.service_center import ServiceCenter
from automation.pages.unrecognised import label_by_value, status_lines
from automation.pages.upload import SCREEN, UploadForm
from automation.pages.watch import FORM_WAYS, form_appearance
from automation.text import normalise

# What an operator picks a control's words from: whatever acts as a link, button, tab or item.
CAPTIONED = (
    "a, button, [role=button], [role=link], [role=tab], [role=menuitem], "
    "input[type=submit], input[type=button], input[type=image]"
)
# The text a control shows: its own, else its value (a submit input's, never a box's: a box
# holds what is typed), else how it is labelled or titled.
CAPTION_OF = """e => {
    const box = e instanceof HTMLInputElement && !['submit', 'button', 'image'].includes(e.type);
    return e.innerText || (box ? '' : e.value) || e.getAttribute('aria-label') || e.alt
        || e.title || e.placeholder || '';
}"""


class ControlSeen(BaseModel):
    """One control of a screen: found or not, by which way, and what it says; when not
    found, the ways tried and the captions the screen showed instead."""

    screen: str
    control: str
    found: bool
    reached: bool = True  # False: its screen was never reached, so it was not looked for
    way: str | None = None
    caption: str | None = None
    tried: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    # The site profile's [words] key that teaches its captions, if one does.
    words: str | None = None


class StatusSeen(BaseModel):
    """The license status: recognised (a documented or taught text) or not, and if not, the
    lines that speak of the license, the status most likely first."""

    recognised: bool
    text: str | None = None
    way: str | None = None
    valid: bool | None = None
    candidates: tuple[str, ...] = ()


class FieldSeen(BaseModel):
    """One of the six values: its label found or not, and the value read under it. A label
    not found may be proposed: the line next to a value of the field's shape."""

    field: str
    label: str  # the documented one
    labels_tried: tuple[str, ...]
    found: bool
    way: str | None = None
    value: str | None = None  # None: not read; "": shown blank
    shown: str | None = None  # as the page wrote it, where that is not the value read
    candidates: tuple[str, ...] = ()  # an ambiguous date: what it may be
    proposed_label: str | None = None


class LicensingSeen(BaseModel):
    """The Licensing page: its two links, the status, the six values, and the license they
    make when the status and the serial were recognised."""

    upload: ControlSeen
    backup: ControlSeen
    status: StatusSeen
    fields: list[FieldSeen]
    installed: InstalledLicense | None = None


class UploadSeen(BaseModel):
    """The upload form: where it showed (None: no file input came anywhere), its controls."""

    shown: Literal["page", "popup", "window"] | None
    file_input: ControlSeen
    submit: ControlSeen


def seen(control: Control, *, wait: bool = False, words: str | None = None) -> ControlSeen:
    """A control as the screen shows it now (after waiting for it as long as a step would,
    with `wait`): the way that finds it and its caption, or the ways tried and the captions
    shown instead."""
    if wait:
        with suppress(ControlNotFound):
            control.wait()
    found = control.found_by()
    if found is None:
        return ControlSeen(
            screen=control.screen,
            control=control.name,
            found=False,
            tried=control.tried,
            candidates=tuple(captions_shown(find.page_of(control.root))),
            words=words,
        )
    way, match = found
    return ControlSeen(
        screen=control.screen,
        control=control.name,
        found=True,
        way=way,
        caption=caption_of(match),
        words=words,
    )


def caption_of(match: Locator) -> str | None:
    with suppress(PlaywrightError):  # a frame that went meanwhile
        return normalise(match.evaluate(CAPTION_OF)) or None
    return None


def captions_shown(page: Page) -> list[str]:
    """The captions of the links, buttons, tabs and menu items the page and each of its
    frames show, once each, in the order shown."""
    captions: list[str] = []
    for root in find.roots_below(page):
        with suppress(PlaywrightError):  # a frame that went meanwhile
            captions += (
                root.locator(CAPTIONED)
                .filter(visible=True)
                .evaluate_all(f"elements => elements.map({CAPTION_OF})")
            )
    return [text for text in dict.fromkeys(map(normalise, captions)) if text]


# Each screen's controls, surveyed.


def sign_in_page(login: LoginPage) -> list[ControlSeen]:
    """The user name box, the password box and the sign-in button, as shown now; none when
    the browser is still signed in (a signed-in page shows instead)."""
    if login.service_center.shown():
        return []
    return [seen(control) for control in (login._username, login._password, login._login_button)]


def administration_tab(service_center: ServiceCenter) -> ControlSeen:
    """The Administration tab as shown now (signing in waited for it)."""
    return seen(service_center._administration, words="administration")


def licensing_item(service_center: ServiceCenter, *, opened: bool) -> ControlSeen:
    """The Licensing item as shown now (clicking Administration waited for it); when the
    Administration tab could not be clicked, not reached unless it shows anyway."""
    item = seen(service_center._licensing, words="licensing")
    return item if item.found or opened else item.model_copy(update={"reached": False})


def upload_form(form: UploadForm | None, page: Page) -> UploadSeen:
    """Where the form showed, its file input and its submit control (awaited as a step
    would); without a form, the file input not found anywhere and the submit not reached."""
    if form is None:
        file_input = ControlSeen(
            screen=SCREEN,
            control="file input",
            found=False,
            tried=FORM_WAYS,
            candidates=tuple(captions_shown(page)),
        )
        submit = ControlSeen(
            screen=SCREEN, control="submit control", found=False, reached=False, words="submit"
        )
        return UploadSeen(shown=None, file_input=file_input, submit=submit)
    return UploadSeen(
        shown=form.shown,
        file_input=seen(form._file),
        submit=seen(form._submit, wait=True, words="submit"),
    )


def open_administration(service_center: ServiceCenter) -> None:
    """Click Administration; whether its Licensing item came is surveyed next."""
    with suppress(ControlNotFound):
        service_center.open_administration()


def signed_in(login: LoginPage, user: str, password: str) -> ServiceCenter:
    """Sign in as LoginPage.login() does; when the page that answers has no Administration
    tab the tool recognises, but the sign-in page has gone, the visit goes on (the survey
    reports the tab as not found). A sign-in page still shown is a sign-in that failed."""
    try:
        return login.login(user, password)
    except ControlNotFound as missing:
        tab = login.service_center._administration
        if missing.control != tab.name or login._password.present() is not None:
            raise
        return login.service_center


def open_licensing(service_center: ServiceCenter) -> LicensingPage:
    """Click Licensing; the page that comes is surveyed whether or not its Upload New
    License link (how the tool knows the page) is recognised."""
    licensing = LicensingPage(service_center.page, service_center.profile)
    try:
        return service_center.open_licensing()
    except ControlNotFound as missing:
        if missing.control != licensing._upload.name:
            raise
        return licensing


def open_upload(licensing: LicensingPage) -> UploadForm | None:
    """Click Upload New License and wait for the form wherever it shows, as
    LicensingPage.open_upload() does, without requiring its submit control: the survey says
    whether it is found. None when no file input came anywhere."""
    try:
        holder = form_appearance(licensing.page, licensing._upload.require())
    except ControlNotFound:
        return None
    form = UploadForm(licensing.page, holder or licensing.page.main_frame, licensing)
    if holder is None:  # the sign-in page or an error page came instead: arrive() says which
        arrive(form.root, form._file)
    return form


def licensing_page(licensing: LicensingPage) -> LicensingSeen:
    """The Licensing page's links, status and six values, each recognised or not."""
    upload = seen(licensing._upload, words="upload_new_license")
    backup = seen(licensing._backup, words="backup_license")
    text = licensing.text()
    status = status_of(licensing, text)
    values = licensing.values_in(text)
    fields = [field_of(licensing, field, values, text) for field in FIELD_LABELS]
    installed = None
    if status.recognised and values["serial_number"]:
        assert status.text is not None and status.valid is not None
        installed = InstalledLicense(banner=status.text, valid=status.valid, **values)
    return LicensingSeen(
        upload=upload, backup=backup, status=status, fields=fields, installed=installed
    )


def status_of(licensing: LicensingPage, text: str) -> StatusSeen:
    """The status, if a documented or taught text shows (allowing for one a script fills
    in); else the lines that may be it."""
    with suppress(ControlNotFound):
        licensing._banner.wait(timeout=SCRIPTED_VALUES_MS)
    found = licensing._banner.found_by()
    if found is None:
        known = [word for said in licensing.labels.values() for word in said]
        known += [*UPLOAD.words, *BACKUP.words, *OTHER_LINKS]
        shown = captions_shown(licensing.page)
        return StatusSeen(recognised=False, candidates=tuple(status_lines(text, shown, known)))
    way, match = found
    banner = normalise(match.inner_text())
    return StatusSeen(recognised=True, text=banner, way=way, valid=licensing.says_valid(banner))


def field_of(licensing: LicensingPage, field: str, values: dict[str, Any], text: str) -> FieldSeen:
    """One value: its label found (by which way) and the value read under it; a label not
    found, proposed from the page's text by the value's shape, with the value beside it."""
    labels = licensing.labels[field]
    found = licensing._fields[field].found_by()
    shown: str | None = values.get("end_date_shown") if field == "end_date" else None
    candidates: tuple[str, ...] = values.get("end_date_candidates", ()) if shown else ()
    proposed = None
    if found is None:
        known = [word for said in licensing.labels.values() for word in said]
        proposed = label_by_value(text, field, known)
    if proposed is not None and field == "end_date":
        shown = proposed[1]
        candidates = read_date(shown, licensing.profile.licensing.date_format)[1]
    return FieldSeen(
        field=field,
        label=FIELD_LABELS[field],
        labels_tried=labels,
        found=found is not None,
        way=found[0] if found else None,
        value=values.get(field),
        shown=shown or (proposed[1] if proposed else None),
        candidates=candidates,
        proposed_label=proposed[0] if proposed else None,
    )
