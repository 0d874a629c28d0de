"""License data as pydantic models, read off the Licensing page or out of a license file
(see license_files.py for the files themselves)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from automation.identity import ApprovalRecord
from automation.text import caption, normalise, words_pattern

SERIAL_PATTERN = r"[A-Z0-9]{3}(?:-[A-Z0-9]{3}){7}"
ACTIVATION_CODE_PATTERN = r"[A-Z0-9]{3}(?:\.[A-Z0-9]{3}){7}"
END_DATE_PATTERN = r"\d{4}-\d{2}-\d{2}|Never"

# The labels Service Center shows on the Licensing page, in its order.
FIELD_LABELS = {
    "organization_name": "Organization Name",
    "edition_name": "Edition Name",
    "license_type": "License Type",
    "activation_code": "Activation Code",
    "serial_number": "Serial Number",
    "end_date": "End Date",
}
VALUE_PATTERNS = {
    "serial_number": SERIAL_PATTERN,
    "activation_code": ACTIVATION_CODE_PATTERN,
    "end_date": END_DATE_PATTERN,
}


class LicenseFields(BaseModel):
    """The six values Service Center shows for a license; None where unknown."""

    model_config = ConfigDict(frozen=True)

    organization_name: str | None = None
    edition_name: str | None = None
    license_type: str | None = None
    activation_code: str | None = None
    serial_number: str | None = None
    end_date: str | None = None


class InstalledLicense(LicenseFields):
    """What the Licensing page shows: the six fields and the status banner."""

    banner: str
    valid: bool
    # The end date as the page wrote it, when not in ISO form ("31/12/2027"), and the dates it
    # may be when it is ambiguous ("05/06/2027": 5 June or 6 May); `end_date` is then None.
    end_date_shown: str | None = None
    end_date_candidates: tuple[str, ...] = ()

    def may_end(self, iso: str) -> bool:
        """Whether the page's end date is `iso`, or an ambiguous date that may be it."""
        return self.end_date == iso or iso in self.end_date_candidates

    def days_left(self, today: date | None = None) -> int | None:
        """Days from `today` (the local date by default) to the end date: negative once it
        has ended; None for a license that never ends, or an end date not known for sure."""
        end = end_date_of(self)
        return None if end is None else (end - (today or date.today())).days


# Where a license file's serial number was found: license files are not all readable.
SerialSource = Literal["file content", "file name"]


class LicenseFile(LicenseFields):
    """A license file on disk and what could be recognised in it."""

    name: str
    size: int
    sha256: str
    serial_source: SerialSource | None = None  # None: no serial found; the operator must vouch
    # How its text was written, where an editor or a transfer in text mode may have changed
    # it: e.g. "Windows line endings (CRLF)". None for plain UTF-8 with LF, and binary files.
    text_form: str | None = None


# A check as the operator is shown it before approving: its name, whether it passed, and
# what it found.
Checked = tuple[str, bool, str]


class Proposal(BaseModel):
    """The change put to the operator before an upload: where, what the checks found (name,
    passed, detail), what is installed and the new file."""

    environment: str
    url: str
    installed: InstalledLicense
    new: LicenseFile
    checks: list[Checked] = []


# Asked before an upload with the proposed change; says whether, how, by whom and when the
# change was approved.
Approve = Callable[[Proposal], ApprovalRecord]


def parse_licensing_text(
    text: str,
    labels: Mapping[str, tuple[str, ...]] | None = None,
    date_format: str | None = None,
) -> dict[str, Any]:
    """Read the six label/value pairs from the Licensing page's visible text.

    Every text is normalised first (automation.text), and a label matches with any
    decoration around it; `labels` may add an operator's own per field (a site profile). A
    value may sit beside its label ("Serial Number: X", "Serial Number X"), on the next line
    (Service Center 11), or in the row under a row of labels (a grid). A label with no value
    reads as ""; the value seen where it is not of the field's form is kept under `unread`.
    The end date is read in its written forms (read_date): the dict holds `end_date_shown` and
    `end_date_candidates` too, as InstalledLicense takes them.
    """
    said = {key: (label, *(labels or {}).get(key, ())) for key, label in FIELD_LABELS.items()}
    found = labelled_values(cells_of(text), said)
    values: dict[str, Any] = {key: found.get(key) for key in FIELD_LABELS}
    unread = read_end_date(values, date_format)
    for key, pattern in VALUE_PATTERNS.items():
        value = values[key]
        if value and not re.fullmatch(pattern, value):
            unread[key] = value
            values[key] = ""
    if unread:
        values["unread"] = unread
    return values


def cells_of(text: str) -> list[tuple[int, str]]:
    """The text's non-empty cells (a line, or each tab-separated part of it), normalised,
    with the number of the line each is on."""
    cells = [
        (number, normalise(cell))
        for number, line in enumerate(text.splitlines())
        for cell in line.split("\t")
    ]
    return [(number, cell) for number, cell in cells if cell]


def labelled_values(
    cells: list[tuple[int, str]], said: Mapping[str, tuple[str, ...]]
) -> dict[str, str]:
    """Each field's value, as first found: beside its label, or in the cell after it (the
    next line, or a grid's row under a row of labels); "" for a label with no value."""
    alone = {key: caption(words) for key, words in said.items()}
    leading = {
        key: re.compile(
            rf"^[^A-Za-z0-9]*(?:{'|'.join(map(words_pattern, words))})(?:\s*:\s*|\s+)"
            r"([^A-Za-z0-9]*[A-Za-z0-9].*)$",
            re.IGNORECASE,
        )
        for key, words in said.items()
    }

    def beside(cell: str) -> tuple[str, str] | None:
        """A label and its value in one cell."""
        for key, pattern in leading.items():
            found = pattern.match(cell)
            if found:
                return key, found.group(1)
        return None

    def label_alone(cell: str) -> str | None:
        return next((key for key, pattern in alone.items() if pattern.match(cell)), None)

    found: dict[str, str] = {}
    i = 0
    while i < len(cells):
        line, cell = cells[i]
        pair = beside(cell)
        if pair is not None:
            found.setdefault(*pair)
            i += 1
            continue
        run: list[str] = []  # labels side by side on one line: a grid's header row
        while i < len(cells) and cells[i][0] == line and (key := label_alone(cells[i][1])):
            run.append(key)
            i += 1
        if not run:
            i += 1
            continue
        for key in run:
            value = ""
            if i < len(cells) and label_alone(cells[i][1]) is None and beside(cells[i][1]) is None:
                value = cells[i][1]
                i += 1
            found.setdefault(key, value)
    return found


def read_end_date(values: dict[str, Any], date_format: str | None) -> dict[str, str]:
    """Put the end date read into `values` as an ISO date, with how it was written and its
    possible readings when those differ; return it as `unread` when it is no date at all."""
    unread: dict[str, str] = {}
    end = values["end_date"]
    if end:
        iso, candidates = read_date(end, date_format)
        if iso != end:
            values["end_date_shown"] = end
        if candidates:
            values["end_date_candidates"] = candidates
        values["end_date"] = iso or ""
        if iso is None and not candidates:
            unread["end_date"] = end
            values.pop("end_date_shown", None)
    return unread


MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
DAY_MONTH = re.compile(r"(?:[a-z]+,? )?(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})")
MONTH_DAY = re.compile(r"(?:[a-z]+,? )?([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")


def read_date(text: str, date_format: str | None = None) -> tuple[str | None, tuple[str, ...]]:
    """An end date as Service Center may write it, as ISO (or "Never"), and no candidates;
    or None and the dates it may be, when it is ambiguous (05/06/2027), never a guess; or
    None and no candidates when it is no date the tool knows.

    Read: `date_format` first (a site profile's), then ISO, day/month/year or month/day/year
    where only one makes sense, "31 Dec 2027", "December 31, 2027", and Never."""
    shown = normalise(text).rstrip(".")
    if shown.lower() == "never":
        return "Never", ()
    if date_format:
        try:
            return datetime.strptime(shown, date_format).date().isoformat(), ()
        except ValueError:
            pass  # another form, read below
    try:
        return date.fromisoformat(shown).isoformat(), ()
    except ValueError:
        pass
    lower = shown.lower()
    numeric = NUMERIC.fullmatch(lower)
    if numeric:
        first, second, year = map(int, numeric.groups())
        readings = {_iso(year, second, first), _iso(year, first, second)} - {None}
        found = sorted(reading for reading in readings if reading)
        return (found[0], ()) if len(found) == 1 else (None, tuple(found))
    for pattern, day_at, month_at in ((DAY_MONTH, 1, 2), (MONTH_DAY, 2, 1)):
        written = pattern.fullmatch(lower)
        if written and written.group(month_at) in MONTHS:
            month = MONTHS[written.group(month_at)]
            iso = _iso(int(written.group(3)), month, int(written.group(day_at)))
            return iso, ()
    return None, ()


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def end_date_of(fields: LicenseFields) -> date | None:
    """The end date as a date; None for "Never" or when it is not known."""
    if fields.end_date is None or fields.end_date == "Never":
        return None
    try:
        return date.fromisoformat(fields.end_date)
    except ValueError:
        return None
