"""What `sc-license probe` saw of one Service Center: probe.json's model and probe.md."""

from __future__ import annotations

from pydantic import BaseModel

from automation.pages.survey import ControlSeen, LicensingSeen, UploadSeen

REPORT_JSON = "probe.json"
REPORT_MD = "probe.md"
PROPOSAL = "profile-proposal.toml"
SHOWN = {"page": "as a page", "popup": "in a frame of the page (a popup)", "window": "in a window"}


class ProbeReport(BaseModel):
    """Every control and value the procedure uses, as the probe found it (or not), screen by
    screen; a screen the visit did not reach is None."""

    environment: str
    url: str
    profile: str | None = None  # the site profile it ran with; None: the documented words
    sign_in: list[ControlSeen] = []
    administration: ControlSeen | None = None
    licensing_item: ControlSeen | None = None
    licensing: LicensingSeen | None = None
    upload: UploadSeen | None = None
    stopped: str | None = None  # why the visit ended before its last step
    proposal: str | None = None  # the site profile proposed, when one was written

    def controls(self) -> list[ControlSeen]:
        """Every control looked for, in the procedure's order."""
        controls = [*self.sign_in]
        controls += [c for c in (self.administration, self.licensing_item) if c is not None]
        if self.licensing is not None:
            controls += [self.licensing.upload, self.licensing.backup]
        if self.upload is not None:
            controls += [self.upload.file_input, self.upload.submit]
        return controls

    def missing(self) -> list[str]:
        """What the procedure needs and the probe did not recognise, in words; empty when it
        recognised everything: the sign-in, Administration, Licensing, both links, a known
        status, the Serial Number, and the upload form's file input and submit."""
        missing = [
            f"{c.screen}: {c.control}" + ("" if c.reached else " (not reached)")
            for c in self.controls()
            if not c.found
        ]
        screens = {
            "the Administration tab": self.administration,
            "the Licensing item": self.licensing_item,
            "the Licensing page": self.licensing,
            "the upload form": self.upload,
        }
        missing += [f"{name} (not reached)" for name, seen in screens.items() if seen is None]
        if self.licensing is not None:
            if not self.licensing.status.recognised:
                missing.append("Licensing page: license status")
            serial = next(f for f in self.licensing.fields if f.field == "serial_number")
            if not serial.value:
                missing.append("Licensing page: Serial Number")
        return missing


def markdown(report: ProbeReport) -> str:
    """probe.md: the report for a person, with what to do about what was not recognised."""
    lines = [f"# Probe of {report.environment}", "", f"Service Center: {report.url}  "]
    lines.append(f"Site profile: {report.profile or 'none (the documented words only)'}")
    lines.append("")
    missing = report.missing()
    if report.stopped:
        lines += [f"**The visit stopped:** {report.stopped}", ""]
    if missing:
        lines.append("**Not recognised**, and needed by the procedure:")
        lines += [f"- {what}" for what in missing]
    else:
        lines.append("**Everything the procedure needs was recognised.**")
    lines += ["", *controls_section(report)]
    if report.licensing is not None:
        lines += ["", *licensing_section(report.licensing)]
    if report.upload is not None:
        shown = SHOWN.get(report.upload.shown or "", "nowhere: no file input came")
        lines += ["", "## The upload form", "", f"Shown {shown}; closed without choosing a file."]
    lines += ["", "## Site profile proposal", ""]
    if report.proposal:
        lines.append(
            f"`{report.proposal}` proposes words for what was not recognised. Check each line "
            "against Service Center's screens, then probe again with `--profile` it: a probe "
            "that exits 0 means every step of the procedure will find what it needs."
        )
    else:
        lines.append("None: there was nothing to teach.")
    return "\n".join(lines) + "\n"


def controls_section(report: ProbeReport) -> list[str]:
    lines = ["## Controls", "", "| Screen | Control | Found | By | Caption |", "| --- " * 5 + "|"]
    for c in report.controls():
        found = "yes" if c.found else "not reached" if not c.reached else "**no**"
        lines.append(f"| {cell(c.screen)} | {cell(c.control)} | {found} | {cell(c.way)} | "
                     f"{cell(c.caption)} |")  # fmt: skip
    for c in report.controls():
        if c.found or not c.reached:
            continue
        lines += ["", f"{c.screen}, {c.control}: tried {'; '.join(c.tried)}."]
        if c.candidates:
            lines.append(f"Captions shown instead: {quoted(c.candidates)}.")
    return lines


def licensing_section(seen: LicensingSeen) -> list[str]:
    status = seen.status
    lines = ["## The Licensing page", ""]
    if status.recognised:
        verdict = "valid" if status.valid else "not valid"
        lines.append(f"Status: “{status.text}”, recognised ({verdict}; {status.way}).")
    else:
        lines.append("Status: **not recognised**: no documented or taught status text shows.")
        if status.candidates:
            lines.append(f"Lines that speak of the license: {quoted(status.candidates)}.")
    lines += ["", "| Field | Label | Found | Value read | Written |", "| --- " * 5 + "|"]
    for f in seen.fields:
        label = f.label if f.found else f"{f.label} (proposed: {f.proposed_label or '-'})"
        found = f.way if f.found else "**no**"
        value = "blank" if f.value == "" else f.value
        lines.append(f"| {f.field} | {cell(label)} | {cell(found)} | {cell(value)} | "
                     f"{cell(f.shown)} |")  # fmt: skip
    end = next(f for f in seen.fields if f.field == "end_date")
    if end.candidates:
        lines += ["", f"The end date “{end.shown}” is ambiguous: {' or '.join(end.candidates)}."]
    return lines


def cell(text: str | None) -> str:
    """Text in a Markdown table cell: on one line, its bars escaped; "-" for nothing."""
    return " ".join((text or "-").split()).replace("|", "\\|")


def quoted(texts: tuple[str, ...] | list[str]) -> str:
    return ", ".join(f"“{text}”" for text in texts)
