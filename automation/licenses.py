"""License data as pydantic models, read off the Licensing page or out of a license file
(see license_files.py for the files themselves)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from automation.identity import ApprovalRecord

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


class Proposal(BaseModel):
    """The change put to the operator before an upload: where, what the checks found (name,
    passed, detail), what is installed and the new file."""

    environment: str
    url: str
    installed: InstalledLicense
    new: LicenseFile
    checks: list[tuple[str, bool, str]] = []


# Asked before an upload with the proposed change; says whether, how, by whom and when the
# change was approved.
Approve = Callable[[Proposal], ApprovalRecord]


def parse_licensing_text(text: str) -> dict[str, str | None]:
    """Read the six label/value pairs from the Licensing page's visible text.

    Works whether a value sits beside its label ("Serial Number: X", old skin, or a table
    cell) or on the next line (Service Center 11). A blank value reads as "".
    """
    tokens = [cell.strip() for line in text.splitlines() for cell in line.split("\t")]
    tokens = [token for token in tokens if token]
    labels = {label.lower() for label in FIELD_LABELS.values()}
    values: dict[str, str | None] = {}
    for key, label in FIELD_LABELS.items():
        values[key] = None
        for i, token in enumerate(tokens):
            head, _, rest = token.partition(":")
            if head.strip().lower() != label.lower():
                continue
            value = rest.strip()
            if not value and i + 1 < len(tokens):
                following = tokens[i + 1]
                is_label = following.partition(":")[0].strip().lower() in labels
                value = "" if is_label else following
            pattern = VALUE_PATTERNS.get(key)
            if pattern and not re.fullmatch(pattern, value):
                value = ""
            values[key] = value
            break
    return values


def end_date_of(fields: LicenseFields) -> date | None:
    """The end date as a date; None for "Never" or when it is not known."""
    if fields.end_date is None or fields.end_date == "Never":
        return None
    try:
        return date.fromisoformat(fields.end_date)
    except ValueError:
        return None
