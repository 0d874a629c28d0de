"""A site profile proposed from what a probe saw but did not recognise: what the page's text
tells is written as keys, what it cannot tell as comments for the operator to fill in.

The proposal starts from the profile the probe ran with, so that it is whole on its own.
"""

from __future__ import annotations

import json
import re
import textwrap
from datetime import date

from automation.pages.survey import ControlSeen, FieldSeen, LicensingSeen
from automation.pages.unrecognised import says_invalid
from automation.profile import ControlWords, FieldLabels, SiteProfile
from flows.probe_report import ProbeReport

# A numeric date: day and month in either order, one separator, a four-digit year.
NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
WIDTH = 96


class Section:
    """One table of the proposal: its keys and the comments above them."""

    def __init__(self, header: str) -> None:
        self.header = header
        self.lines: list[str] = []
        self.taught = False  # whether it proposes something the profile did not hold
        self.asks = False  # whether it asks the operator something

    def comment(self, text: str) -> None:
        self.lines += comment_lines(text)
        self.asks = True

    def key(self, name: str, value: str | list[str]) -> None:
        if isinstance(value, list):
            self.lines.append(f"{name} = [{', '.join(map(toml_string, value))}]")
        else:
            self.lines.append(f"{name} = {toml_string(value)}")

    def words(self, name: str, given: tuple[str, ...], proposed: list[str]) -> None:
        """A list key: the profile's words, then the proposed ones it did not hold."""
        new = [word for word in proposed if word not in given]
        self.taught |= bool(new)
        if given or new:
            self.key(name, [*given, *new])

    def text(self) -> str:
        return "\n".join([f"[{self.header}]", *self.lines]) if self.lines else ""


def propose(report: ProbeReport, profile: SiteProfile) -> str | None:
    """The proposal's TOML, or None when the probe saw nothing to teach."""
    sections = [words_section(report, profile.words)]
    if report.licensing is not None:
        sections += licensing_sections(report.licensing, profile)
    if not any(section.taught or section.asks for section in sections):
        return None
    given = f"the site profile {profile.path}" if profile.path else "the documented words"
    head = comment_lines(
        f"A site profile proposed by `sc-license probe` for {report.environment} "
        f"({report.url}), on top of {given}: what Service Center showed where the tool "
        "looked for something it did not recognise. Check every key and comment below "
        "against Service Center's screens (probe.md and the screenshots beside this file "
        "show them), then probe again with --profile and this file: when that probe exits "
        "0, give the same --profile to status, backup and install."
    )
    parts = ["\n".join(head), *(section.text() for section in sections)]
    return "\n\n".join(part for part in parts if part) + "\n"


def words_section(report: ProbeReport, given: ControlWords) -> Section:
    """The controls' captions: the profile's, and for each control not found, the captions
    the screen showed, as a comment (which one opens it only the operator can tell)."""
    section = Section("words")
    missing = {c.words: c for c in report.controls() if c.words and not c.found and c.reached}
    for key in ControlWords.model_fields:
        control = missing.get(key)
        if control is not None:
            section.comment(missing_control(control, key))
        section.words(key, getattr(given, key), [])
    return section


def missing_control(control: ControlSeen, key: str) -> str:
    shown = ", ".join(f"“{caption}”" for caption in control.candidates) or "none"
    return (
        f"No {control.control} was recognised on the {control.screen} (tried "
        f"{'; '.join(control.tried)}). The captions it showed: {shown}. Add the one this "
        f'Service Center gives it: {key} = ["..."].'
    )


def licensing_sections(seen: LicensingSeen, profile: SiteProfile) -> list[Section]:
    given = profile.licensing
    status = Section("licensing")
    valid: list[str] = []
    invalid: list[str] = []
    if not seen.status.recognised and seen.status.candidates:
        line, *others = seen.status.candidates
        if says_invalid(line):
            invalid.append(line.partition(":")[0].strip() or line)
        else:
            valid.append(line)
        said = "not valid" if invalid else "valid"
        status.comment(
            f"No documented or taught status showed; “{line}” stands where the status does, "
            f"and is proposed as a text that says the license is {said}: check which it "
            "says. A status is matched by how it begins; once you see this Service Center's "
            f"other one ({'valid' if invalid else 'not valid'}), add it too."
            + (f" Other lines that speak of the license: {', '.join(others)}." if others else "")
        )
    elif not seen.status.recognised:
        status.comment(
            "No status was recognised, and no line speaks of the license: see probe.md and "
            "the Licensing page's screenshot, and add its status text to valid_status or "
            "invalid_status."
        )
    status.words("valid_status", given.valid_status, valid)
    status.words("invalid_status", given.invalid_status, invalid)
    end = next(f for f in seen.fields if f.field == "end_date")
    date_format = proposed_date_format(end, given.date_format)
    if date_format is not None:
        written, comment = date_format
        status.comment(comment)
        status.key("date_format", written)
        status.taught = True
    elif given.date_format:
        status.key("date_format", given.date_format)
    return [status, labels_section(seen.fields, given.labels)]


def proposed_date_format(end: FieldSeen, given: str | None) -> tuple[str, str] | None:
    """The end date's written form as a date format, and a comment saying how sure it is:
    proposed for a numeric date unless the profile's own format read it."""
    match = NUMERIC_DATE.fullmatch(end.shown or "")
    if match is None or (given and end.value):
        return None
    first, separator, second, year = match.groups()
    day_first = f"%d{separator}%m{separator}%Y"
    month_first = f"%m{separator}%d{separator}%Y"
    if int(first) > 12:
        return day_first, f"The end date is written “{end.shown}”: day, month, year."
    if int(second) > 12:
        return month_first, f"The end date is written “{end.shown}”: month, day, year."
    as_day_first = spelled(int(year), int(second), int(first))
    as_month_first = spelled(int(year), int(first), int(second))
    return day_first, (
        f"The end date is written “{end.shown}”, which may be {as_day_first} (day first, "
        f"proposed) or {as_month_first} (month first, then use {json.dumps(month_first)}): "
        "check which in Service Center's regional settings or against the license's end date "
        "in the Licensing Portal."
    )


def spelled(year: int, month: int, day: int) -> str:
    try:
        return f"{day} {date(year, month, day):%B %Y}"
    except ValueError:
        return "no date"


def labels_section(fields: list[FieldSeen], given: FieldLabels) -> Section:
    section = Section("licensing.labels")
    for f in fields:
        proposed = []
        if not f.found and f.proposed_label:
            proposed.append(f.proposed_label)
            section.comment(
                f"No {f.label} label was recognised; “{f.proposed_label}” stands beside "
                f"“{f.shown}”, a value of the {f.label}'s shape."
            )
        elif not f.found:
            tried = ", ".join(f"“{label}”" for label in f.labels_tried)
            section.comment(
                f"No {f.label} label was recognised (tried {tried}), and none can be told by "
                f'its value: add the label this page shows, {f.field} = ["..."].'
            )
        section.words(f.field, getattr(given, f.field), proposed)
    return section


def comment_lines(text: str) -> list[str]:
    """TOML comment lines: one paragraph, wrapped, with no control character in it."""
    flat = " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
    return [
        f"# {line}"
        for line in textwrap.wrap(flat, WIDTH - 2, break_long_words=False, break_on_hyphens=False)
    ]


def toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's too, but for DEL, which TOML wants
    escaped and JSON leaves as it is."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
