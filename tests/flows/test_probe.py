"""`probe` on sandboxes: a documented Service Center is recognised whole; one that words its
Licensing page otherwise is reported, with a site profile proposed that teaches it; and the
proposal itself, from what a probe saw, without a browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pydantic import SecretStr
from pytest_playwright import CreateContextCallback

from automation.config import EvidenceOptions, Target
from automation.errors import ExitCode, SignInFailed
from automation.evidence.run import Run
from automation.licenses import FIELD_LABELS
from automation.pages.survey import (
    ControlSeen,
    FieldSeen,
    LicensingSeen,
    StatusSeen,
    UploadSeen,
)
from automation.pages.unrecognised import label_by_value, status_lines
from automation.profile import NO_PROFILE, SiteProfile, load_profile
from flows.probe import probe
from flows.probe_report import PROPOSAL, ProbeReport
from flows.profile_proposal import propose
from tests.support.fixture_types import StartSandbox
from tests.support.sandboxes import Sandbox

STEPS = [
    "Open Service Center",
    "Sign in",
    "Click the Administration tab",
    "Open the Licensing submenu",
    "Read the Licensing page",
    "Open the upload form",
    "Close the upload form",
]


def probed(
    page: Page,
    sandbox: Sandbox,
    out: Path,
    profile: SiteProfile = NO_PROFILE,
    password: str | None = None,
) -> Run:
    """A probe of `sandbox` recorded under `out`, finished as the runner finishes it."""
    run = Run.create(
        EvidenceOptions(out=out), flow="probe", environment="sandbox", url=sandbox.url, user="x"
    )
    run.watch(page)
    target = Target(
        name="sandbox",
        url=sandbox.url,
        user=sandbox.user,
        password=SecretStr(password or sandbox.password),
        profile=profile,
    )
    result = probe(page, run, target)
    run.finish(result.outcome, result.exit_code, result.message)
    return run


def report_of(run: Run) -> ProbeReport:
    return ProbeReport.model_validate_json((run.folder / "probe.json").read_bytes())


def test_a_documented_service_center_is_recognised_whole_and_nothing_changes(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    installed = sandbox.state.installed_bytes
    run = probed(page, sandbox, tmp_path)

    record = json.loads((run.folder / "run.json").read_text())
    assert (record["outcome"], record["exit_code"]) == ("probed", 0)
    assert [step["name"] for step in record["steps"]] == STEPS
    report = report_of(run)
    assert report.missing() == []
    assert all(control.found and control.way for control in report.controls())
    assert report.licensing is not None and report.licensing.status.valid
    assert {f.field: f.value for f in report.licensing.fields}["serial_number"] == sandbox.serial
    assert report.upload is not None and report.upload.shown == "page"
    assert report.upload.submit.caption == "Upload"
    assert not (run.folder / PROPOSAL).exists()
    assert "Everything the procedure needs was recognised" in (run.folder / "probe.md").read_text()
    assert record["license_before"]["serial_number"] == sandbox.serial
    assert sandbox.state.uploads == [] and sandbox.state.installed_bytes == installed


def test_other_words_are_reported_and_the_proposal_teaches_them(
    page: Page, new_context: CreateContextCallback, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox(words="other-release")
    first = probed(page, sandbox, tmp_path / "first")

    assert first.record.exit_code == ExitCode.UNREACHABLE
    assert first.record.outcome == "not-recognised"
    report = report_of(first)
    assert report.licensing is not None
    assert not report.licensing.status.recognised
    assert report.licensing.status.candidates[0] == "This license is valid."
    fields = {f.field: f for f in report.licensing.fields}
    assert (fields["serial_number"].found, fields["serial_number"].proposed_label) == (
        False,
        "Serial",
    )
    assert fields["end_date"].proposed_label == "Expiration Date"
    assert all(control.found for control in report.controls())  # the links and the form
    proposal = first.folder / PROPOSAL
    assert first.record.message and str(proposal) in first.record.message
    taught = load_profile(proposal)
    assert taught.licensing.valid_status == ("This license is valid.",)
    assert taught.licensing.labels.serial_number == ("Serial",)
    assert taught.licensing.labels.end_date == ("Expiration Date",)
    assert taught.licensing.date_format == "%d/%m/%Y"

    signed_out = new_context().new_page()
    second = probed(signed_out, sandbox, tmp_path / "second", taught)

    assert (second.record.outcome, second.record.exit_code) == ("probed", 0)
    assert second.record.license_before is not None
    assert second.record.license_before.serial_number == sandbox.serial
    assert sandbox.installed is not None and sandbox.installed.end_date is not None
    assert second.record.license_before.end_date == sandbox.installed.end_date.isoformat()
    assert not (second.folder / PROPOSAL).exists()


def test_decorated_captions_in_a_nested_popup_are_recognised(
    page: Page, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    sandbox = start_sandbox(
        captions="decorated", upload_form="nested-popup", field_layout="nbsp-dl"
    )
    run = probed(page, sandbox, tmp_path)

    report = report_of(run)
    assert report.missing() == [], report.missing()
    assert report.upload is not None and report.upload.shown == "popup"
    assert "in the frame at" in (report.upload.file_input.way or "")
    assert run.record.exit_code == 0


def test_a_refused_sign_in_ends_the_probe_as_such_with_its_report(
    page: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    with pytest.raises(SignInFailed):
        probed(page, sandbox, tmp_path, password="wrong-" + sandbox.password)

    (folder,) = tmp_path.glob("*-probe")
    report = ProbeReport.model_validate_json((folder / "probe.json").read_bytes())
    assert report.stopped and "refused the sign-in" in report.stopped
    assert [c.found for c in report.sign_in] == [True, True, True]
    assert report.administration is None and not (folder / PROPOSAL).exists()


# The proposal, from what a probe saw.


def seen(control: str, found: bool = True, words: str | None = None) -> ControlSeen:
    return ControlSeen(
        screen="Licensing page",
        control=control,
        found=found,
        way="a link named it" if found else None,
        tried=("a link named Upload New License",),
        candidates=() if found else ("Install license", "Backup License"),
        words=words,
    )


def probe_saw(
    status: StatusSeen | None = None,
    shown: dict[str, str] | None = None,
    upload_found: bool = True,
) -> ProbeReport:
    """A probe that recognised everything but `status` (and the upload link, unless
    `upload_found`), and saw the fields in `shown` written so."""
    fields = [
        FieldSeen(
            field=field,
            label=label,
            labels_tried=(label,),
            found=True,
            value="XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT" if field == "serial_number" else "x",
            shown=(shown or {}).get(field),
        )
        for field, label in FIELD_LABELS.items()
    ]
    return ProbeReport(
        environment="prod",
        url="https://sc.example.com/ServiceCenter",
        licensing=LicensingSeen(
            upload=seen("Upload New License link", upload_found, "upload_new_license"),
            backup=seen("Backup License link", True, "backup_license"),
            status=status or StatusSeen(recognised=True, text="Your license is valid", valid=True),
            fields=fields,
        ),
        upload=UploadSeen(shown="page", file_input=seen("file input"), submit=seen("submit")),
    )


def proposed(tmp_path: Path, report: ProbeReport, profile: SiteProfile = NO_PROFILE) -> SiteProfile:
    """The proposal for `report`, as load_profile() reads it from a file."""
    text = propose(report, profile)
    assert text is not None
    path = tmp_path / "proposal.toml"
    path.write_text(text)
    return load_profile(path)


@pytest.mark.parametrize(
    ("line", "key", "text"),
    [
        (
            "Licença válida — this license is fine",
            "valid_status",
            "Licença válida — this license is fine",
        ),
        ("This license is not valid: it expired.", "invalid_status", "This license is not valid"),
        ("License expired on 2025-01-01", "invalid_status", "License expired on 2025-01-01"),
        ('No license "found" \\ here', "invalid_status", 'No license "found" \\ here'),
    ],
)
def test_an_unknown_status_is_proposed_as_valid_unless_it_says_otherwise(
    line: str, key: str, text: str, tmp_path: Path
) -> None:
    status = StatusSeen(recognised=False, candidates=(line, "Licensed to Acme"))
    taught = proposed(tmp_path, probe_saw(status))
    assert getattr(taught.licensing, key) == (text,)


@pytest.mark.parametrize(
    ("written", "date_format", "ambiguous"),
    [
        ("31/12/2027", "%d/%m/%Y", False),
        ("12/31/2027", "%m/%d/%Y", False),
        ("07.12.2027", "%d.%m.%Y", True),
        ("5-6-2027", "%d-%m-%Y", True),
    ],
)
def test_a_numeric_end_date_proposes_its_format_day_first_when_ambiguous(
    written: str, date_format: str, ambiguous: bool, tmp_path: Path
) -> None:
    text = propose(probe_saw(shown={"end_date": written}), NO_PROFILE)
    assert text is not None
    assert ("may be" in text) == ambiguous
    assert (
        proposed(tmp_path, probe_saw(shown={"end_date": written})).licensing.date_format
        == date_format
    )


def test_a_missing_control_is_a_comment_listing_the_captions_shown(tmp_path: Path) -> None:
    text = propose(probe_saw(upload_found=False), NO_PROFILE)
    assert text is not None
    assert "“Install license”, “Backup License”" in text
    assert 'upload_new_license = ["..."]' in text
    assert proposed(tmp_path, probe_saw(upload_found=False)).words == NO_PROFILE.words


def test_the_proposal_keeps_the_profile_it_ran_with(tmp_path: Path) -> None:
    given = SiteProfile.model_validate(
        {"words": {"administration": ["Admin"]}, "licensing": {"valid_status": ["All good"]}}
    )
    status = StatusSeen(recognised=False, candidates=("Your licence is fine",))
    taught = proposed(tmp_path, probe_saw(status), given)
    assert taught.words.administration == ("Admin",)
    assert taught.licensing.valid_status == ("All good", "Your licence is fine")


def test_nothing_is_proposed_when_everything_was_recognised() -> None:
    assert propose(probe_saw(), NO_PROFILE) is None


@pytest.mark.parametrize(
    ("text", "field", "label"),
    [
        (
            "Serial\nXBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT",
            "serial_number",
            ("Serial", "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"),
        ),
        (
            "Code: AB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8",
            "activation_code",
            ("Code", "AB1.CD2.EF3.GH4.IJ5.KL6.MN7.OP8"),
        ),
        ("Expires\u00a0on:\t07/12/2027", "end_date", ("Expires on", "07/12/2027")),
        ("Valid until\nNever", "end_date", ("Valid until", "Never")),
        ("16:52 Mon 2026-12-07\nExpiry\n2027-12-31", "end_date", ("Expiry", "2027-12-31")),
        ("Organization Name\nXBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT", "serial_number", None),
        ("Company\nAcme", "organization_name", None),
    ],
)
def test_a_label_is_proposed_by_the_shape_of_the_value_beside_it(
    text: str, field: str, label: tuple[str, str] | None
) -> None:
    assert label_by_value(text, field, ["Organization Name"]) == label


def test_status_lines_leave_out_menus_links_and_labels() -> None:
    text = (
        "UsersRolesEnvironment ConfigurationSEO URLsLicensing\n"  # links with nothing between
        "Users Roles Licensing\n"
        "Upload New License Backup License\n"
        "License Type\n"
        "This license is valid.\n"
        "Licensed to Acme"
    )
    captions = ["Users", "Roles", "Licensing", "Upload New License", "Backup License"]
    captions += ["Environment Configuration", "SEO URLs"]
    assert status_lines(text, captions, ["License Type", "Licensing"]) == [
        "This license is valid.",
        "Licensed to Acme",
    ]
