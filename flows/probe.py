"""`probe`: a read-only visit that reports every control and value the procedure needs, found
or not, and proposes a site profile for what was not recognised.

Sign in, Administration, Licensing, read the page, open the upload form and close it: no
file is chosen, nothing is submitted, Backup License is only looked for. A control not found
is reported and the visit goes on where it can; only a sign-in that cannot be made ends it.
"""

from __future__ import annotations

from playwright.sync_api import Page

from automation.config import Target
from automation.errors import ExitCode, ScLicenseError
from automation.evidence.records import FlowResult
from automation.evidence.run import Run
from automation.pages import survey
from automation.pages.licensing import LicensingPage
from automation.pages.login import LoginPage
from automation.pages.survey import ControlSeen, LicensingSeen
from flows.probe_report import PROPOSAL, REPORT_JSON, REPORT_MD, ProbeReport, markdown
from flows.profile_proposal import propose
from flows.visit import Visit

STEPS = 7


def probe(page: Page, run: Run, target: Target) -> FlowResult:
    """Visit Service Center read-only and write probe.json, probe.md and, when something was
    not recognised, profile-proposal.toml; "not-recognised" (exit 5) unless everything the
    procedure needs was recognised."""
    run.plan(STEPS)
    report = ProbeReport(environment=target.name, url=target.url, profile=target.profile.path)
    try:
        walk(Visit(page, run, target), report)
    except ScLicenseError as error:  # the sign-in: reported as far as it went, then said
        report.stopped = error.message
        keep(run, report, target)
        raise
    keep(run, report, target)
    return result(report, run, target)


def result(report: ProbeReport, run: Run, target: Target) -> FlowResult:
    """Probed (exit 0), or not recognised (exit 5): what, and where the proposal is."""
    missing = report.missing()
    if not missing:
        return FlowResult(
            outcome="probed",
            message=f"{target.name}: every control and value the procedure needs was recognised.",
        )
    message = f"{target.name}: not recognised: {'; '.join(missing)}."
    if report.proposal:
        message += (
            f" A site profile is proposed in {run.folder / report.proposal}: check it, then "
            "probe again with --profile and that file."
        )
    return FlowResult(outcome="not-recognised", message=message, exit_code=ExitCode.UNREACHABLE)


def walk(visit: Visit, report: ProbeReport) -> None:
    """The documented clicks, each step surveying its screen; a screen not reached is left
    out of the report (None)."""
    page, run, target = visit.page, visit.run, visit.target
    with run.step("Open Service Center"):
        try:
            login = visit.retrying(
                lambda: LoginPage.open(page, target.url, target.profile, target.sign_in_origin)
            )
        except ScLicenseError:  # no sign-in page: what shows instead, for the report
            report.sign_in = survey.sign_in_page(
                LoginPage(page, target.profile, target.url, target.sign_in_origin)
            )
            raise
        run.saw_environment(login.environment_name())
        report.sign_in = survey.sign_in_page(login)
        said(run, *report.sign_in)
    with run.step("Sign in"):
        service_center = survey.signed_in(login, target.user, target.password.get_secret_value())
    run.signed_in()
    with run.step("Click the Administration tab"):
        report.administration = survey.administration_tab(service_center)
        said(run, report.administration)
        if report.administration.found:
            visit.resuming(lambda: survey.open_administration(service_center))
    with run.step("Open the Licensing submenu"):
        opened = report.administration.found
        report.licensing_item = survey.licensing_item(service_center, opened=opened)
        said(run, report.licensing_item)
        if not report.licensing_item.found:
            return
        licensing = visit.resuming(
            lambda: survey.open_licensing(service_center),
            back_to=service_center.open_administration,
        )
    with run.step("Read the Licensing page"):
        report.licensing = survey.licensing_page(licensing)
        run.annotate(read(report.licensing))
        if report.licensing.installed is not None:
            run.saw_before(report.licensing.installed)
    if report.licensing.upload.found:
        upload_and_close(visit, licensing, report)


def upload_and_close(visit: Visit, licensing: LicensingPage, report: ProbeReport) -> None:
    """Open Upload New License, survey the form, and close it without choosing a file."""
    run = visit.run
    with run.step("Open the upload form"):
        form = survey.open_upload(licensing)
        report.upload = survey.upload_form(form, visit.page)
        said(run, report.upload.file_input, report.upload.submit)
    with run.step("Close the upload form"):
        if form is not None:
            form.close()
        else:  # whatever the click brought, Licensing again
            licensing.reopen()


def said(run: Run, *controls: ControlSeen) -> None:
    """Caption the step's screenshot with what was found of its controls, and how."""
    run.annotate(
        "\n".join(
            f"{c.control}: found, {c.way}" if c.found else f"{c.control}: NOT FOUND"
            for c in controls
        )
    )


def read(seen: LicensingSeen) -> str:
    """The Licensing page's screenshot caption: its links, status and values, as recognised."""
    status = seen.status
    lines = [
        f"Status: {status.text} ({'valid' if status.valid else 'not valid'})"
        if status.recognised
        else "Status: NOT RECOGNISED",
        "Links: "
        + ", ".join(
            f"{c.control} {'found' if c.found else 'NOT FOUND'}" for c in (seen.upload, seen.backup)
        ),
        "Values: "
        + " · ".join(
            f"{f.label} {f.value}" if f.value else f"{f.label} NOT READ" for f in seen.fields
        ),
    ]
    return "\n".join(lines)


def keep(run: Run, report: ProbeReport, target: Target) -> None:
    """Write the report, and the proposal when there is something to teach."""
    proposal = propose(report, target.profile)
    if proposal is not None:
        run.write_file(PROPOSAL, proposal.encode(), "site profile proposal")
        report.proposal = PROPOSAL
    run.write_file(REPORT_JSON, report.model_dump_json(indent=2).encode() + b"\n", "probe report")
    run.write_file(REPORT_MD, markdown(report).encode(), "probe report, readable")
