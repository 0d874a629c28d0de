"""A site profile: what an operator teaches the tool about one Service Center, without Python.

TOML, every key optional; each list adds to the documented words, never replaces them:

    [words]                  # extra captions per control
    administration = ["Admin"]
    licensing = ["Licenses"]
    backup_license = ["Download license"]
    upload_new_license = ["Install license"]
    submit = ["Load License"]
    [licensing]
    valid_status = ["This license is valid."]
    invalid_status = ["This license is not valid"]
    date_format = "%d/%m/%Y"
    [licensing.labels]       # extra labels per field
    end_date = ["Expiration Date"]
    serial_number = ["Serial"]
    [dialogs]                # notices that may pop up at any moment: dismissed, noted
    expected = ["Your session will expire"]
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from automation.errors import BadInput

Words = tuple[str, ...]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ControlWords(_Section):
    """Extra captions for the controls the procedure clicks."""

    administration: Words = ()
    licensing: Words = ()
    backup_license: Words = ()
    upload_new_license: Words = ()
    submit: Words = ()


class FieldLabels(_Section):
    """Extra labels for the six values of the Licensing page."""

    organization_name: Words = ()
    edition_name: Words = ()
    license_type: Words = ()
    activation_code: Words = ()
    serial_number: Words = ()
    end_date: Words = ()


class LicensingWords(_Section):
    """Extra status texts, the end date's written form, and extra field labels."""

    valid_status: Words = ()
    invalid_status: Words = ()
    date_format: str | None = None
    labels: FieldLabels = FieldLabels()

    @field_validator("date_format")
    @classmethod
    def _a_date_format(cls, value: str | None) -> str | None:
        if value is None:
            return None
        sample = date(2027, 12, 31)
        try:
            written = sample.strftime(value)
            read = datetime.strptime(written, value).date()
        except ValueError as error:
            raise ValueError(f"'{value}' is not a date format ({error})") from None
        if read != sample:
            raise ValueError(
                f"'{value}' does not give day, month and year (2027-12-31 reads as {written})"
            )
        return value


class DialogWords(_Section):
    """Notices a Service Center raises at any moment (a session warning): a dialog whose text
    begins with one of them is dismissed and noted, and the run goes on."""

    expected: Words = ()


class SiteProfile(_Section):
    """One Service Center's own words, on top of the documented ones."""

    words: ControlWords = ControlWords()
    licensing: LicensingWords = LicensingWords()
    dialogs: DialogWords = DialogWords()
    # Where it was read from, and the SHA-256 of its bytes: recorded with every run.
    path: str | None = None
    sha256: str | None = None

    @property
    def given(self) -> bool:
        return self.path is not None


NO_PROFILE = SiteProfile()


def load_profile(path: Path) -> SiteProfile:
    """Read and validate a site profile; a problem is named with its key and line."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInput(
            f"The site profile {path} cannot be read ({error.strerror or error}).",
            hint="Check the path given with --profile (or `profile =` in environments.toml).",
        ) from None
    try:
        text = data.decode("utf-8-sig")
        raw = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise BadInput(
            f"The site profile {path} is not valid TOML: {error}.",
            hint="See 'Site profiles' in docs/operator-guide.md for its form.",
        ) from None
    for recorded in ("path", "sha256"):  # filled in by the tool, not the operator
        if recorded in raw:
            raise BadInput(
                f"The site profile {path} has an unknown key '{recorded}' "
                f"(line {line_of(text, (recorded,))}).",
                hint="Known sections: [words], [licensing], [licensing.labels], [dialogs].",
            )
    try:
        profile = SiteProfile.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = tuple(str(part) for part in first["loc"] if not isinstance(part, int))
        key = ".".join(where) or "(top)"
        what = "an unknown key" if first["type"] == "extra_forbidden" else "a bad value"
        raise BadInput(
            f"The site profile {path} has {what} '{key}' (line {line_of(text, where)}): "
            f"{first['msg']}.",
            hint="Known keys: [words] administration, licensing, backup_license, "
            "upload_new_license, submit; [licensing] valid_status, invalid_status, "
            "date_format; [licensing.labels] organization_name, edition_name, license_type, "
            "activation_code, serial_number, end_date; [dialogs] expected. Each list adds to the "
            "documented words.",
        ) from None
    return profile.model_copy(
        update={"path": str(path), "sha256": hashlib.sha256(data).hexdigest()}
    )


def line_of(text: str, where: tuple[str, ...]) -> int | str:
    """The line a key is on: its table's header, then the key within it; '?' if not seen."""
    if not where:
        return "?"
    *tables, key = where
    lines = text.splitlines()
    start = 0
    if tables:
        dotted = r"\s*\.\s*".join(map(re.escape, tables))
        header = re.compile(rf"^\s*\[\s*{dotted}\s*\]")
        start = next((n for n, line in enumerate(lines) if header.match(line)), -1)
        if start < 0:
            return "?"
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number in range(start, len(lines)):
        if number > start and tables and lines[number].lstrip().startswith("["):
            break
        if pattern.match(lines[number]):
            return number + 1
    if not tables:  # a table of its own, e.g. [unknown]
        header = re.compile(rf"^\s*\[\s*{re.escape(key)}\s*[\].]")
        found = next((n for n, line in enumerate(lines) if header.match(line)), None)
        if found is not None:
            return found + 1
    return "?"
