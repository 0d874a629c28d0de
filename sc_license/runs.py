"""The plugin's runs: a reading of the Licensing page (the CLI's `status`) and a change (its
`install`), each through the CLI's runner (lock, backup, checks, verification, rollback, run
folder, audit log), in a browser context made by pytest-playwright, so that its --tracing,
--screenshot and --video apply to them as to any test's page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext
from pydantic import ConfigDict

from automation.browser.session import BrowserSession, SessionFactory, UsedBrowser, new_session
from automation.cli.identity import current_actor
from automation.cli.settings import attribution, evidence_options
from automation.cli.state import state_folder
from automation.config import LaunchOptions, PageOptions, RunOptions, Target
from automation.errors import BadInput, ExitCode
from automation.evidence.records import RunRecord
from automation.identity import ApprovalRecord
from automation.licenses import InstalledLicense, Proposal
from automation.procedure import Procedure
from automation.runner import Finished, execute
from flows.install_license import install_license
from flows.license_status import license_status
from sc_license.environments import ScEnvironment
from sc_license.options import PluginOptions


class EnvironmentLicense(InstalledLicense):
    """The license an environment's Licensing page showed, with where and when it was read
    and the run folder that holds the evidence: what a failed assertion about it names."""

    model_config = ConfigDict(frozen=True)

    environment: str
    url: str
    evidence: Path
    read_at: datetime

    def __repr__(self) -> str:
        end = self.end_date or self.end_date_shown or "unknown"
        days = self.days_left()
        left = f" ({days} days left)" if days is not None else ""
        said = "" if self.valid else f" “{self.banner}”;"
        return (
            f"<{self.environment}'s license: {'valid' if self.valid else 'NOT valid'}, serial "
            f"{self.serial_number}, ends {end}{left};{said} evidence {self.evidence}>"
        )

    __str__ = __repr__


class NotRead(Exception):
    """An environment's license could not be read: why, what to do, and where the evidence
    is. Kept for the session: a refused sign-in is not retried by every test (refusals lock
    accounts)."""

    def __init__(self, environment: str, message: str, hint: str, evidence: Path | None) -> None:
        self.evidence = evidence
        said = f"{environment}: {message}"
        if hint:
            said += f"\nWhat to do: {hint}"
        if evidence is not None:
            said += f"\nEvidence: {evidence}"
        super().__init__(said)


@dataclass(frozen=True)
class ChangeResult:
    """How a change by the plugin (`sc_install`) ended, as run.json records it."""

    environment: str
    outcome: str  # e.g. "installed", "unchanged", "refused", "rolled back", "dry run"
    exit_code: int  # the CLI's exit code for the same ending (README, "Exit codes")
    message: str
    hint: str
    evidence: Path  # the run folder
    installed: InstalledLicense | None  # what the Licensing page showed last
    record: RunRecord = field(repr=False)

    @property
    def ok(self) -> bool:
        return self.exit_code == ExitCode.OK

    @classmethod
    def of(cls, finished: Finished) -> ChangeResult:
        record = finished.record
        error = record.error
        return cls(
            environment=record.environment,
            outcome=record.outcome,
            exit_code=record.exit_code if record.exit_code is not None else ExitCode.UNEXPECTED,
            message=record.message or (error.message if error else ""),
            hint=error.hint if error else "",
            evidence=finished.folder,
            installed=record.license_after or record.license_before,
            record=record,
        )

    def __repr__(self) -> str:
        return (
            f"<{self.record.flow} on {self.environment}: {self.outcome} (exit {self.exit_code}), "
            f"“{self.message}”; evidence {self.evidence}>"
        )


def run_options(
    options: PluginOptions,
    environment: ScEnvironment,
    *,
    headed: bool,
    tracing: bool = False,
    video: bool = False,
    reason: str | None = None,
    change: str | None = None,
) -> RunOptions:
    """How a run of the plugin is carried out and recorded: the CLI's defaults, the
    environment's own page settings from the inventory, evidence under --sc-out; a trace (the
    sign-in kept out of it, as the CLI keeps it) and a video when asked for."""
    base = PageOptions()
    return RunOptions(
        launch=LaunchOptions(headed=headed),
        page=environment.entry.page_options(base) if environment.entry else base,
        evidence=evidence_options(
            options.out.absolute(), "on" if tracing else "off", "on" if video else "off"
        ),
        locks=state_folder() / "locks",
        attribution=attribution(
            reason, change, reason_option="reason", change_option="--sc-change"
        ),
    )


# pytest-playwright's context arguments the run sets itself: its video (the run records its
# own) and downloads (Backup License needs them).
RUNS_OWN = ("record_video_dir", "record_video_size", "accept_downloads")


def session_on(browser: Browser, suite: dict[str, Any]) -> SessionFactory:
    """A run's page in a context of its own on pytest-playwright's `browser`, the suite's
    context arguments (browser_context_args: a device, a locale, ignore_https_errors...) over
    the run's own. The run owns its context as the CLI's runs do: its trace leaves the sign-in
    out, and pytest-playwright's recorder, which would trace the password, never sees it."""
    chosen = {key: value for key, value in suite.items() if key not in RUNS_OWN}

    @contextmanager
    def session(options: RunOptions, video_dir: Path | None) -> Iterator[BrowserSession]:
        used = UsedBrowser(
            f"{browser.browser_type.name.capitalize()} {browser.version} (pytest-playwright's)"
        )

        def make(**wanted: Any) -> BrowserContext:
            return browser.new_context(**{**wanted, **chosen})

        with new_session(browser, used, options, video_dir, new_context=make) as opened:
            yield opened

    return session


def read_license(
    environment: ScEnvironment, target: Target, options: RunOptions, session: SessionFactory
) -> EnvironmentLicense:
    """Sign in, open Administration > Licensing and read it, as `sc-license status` does,
    with its run folder; or NotRead, saying why."""
    finished = execute(
        Procedure("status", license_status, changes=False), target, options, session=session
    )
    record = finished.record
    shown = record.license_before
    readable = record.exit_code in (ExitCode.OK, ExitCode.LICENSE_NEEDS_ATTENTION)
    if shown is None or not readable:
        raise not_read(environment.name, finished)
    return EnvironmentLicense(
        **shown.model_dump(),
        environment=environment.name,
        url=target.url,
        evidence=finished.folder,
        read_at=record.finished_at or record.started_at,
    )


def not_read(name: str, finished: Finished) -> NotRead:
    record = finished.record
    error = record.error
    message = error.message if error else (record.message or "the run ended without a reading")
    return NotRead(name, message, error.hint if error else "", finished.folder)


def install(
    environment: ScEnvironment,
    target: Target,
    options: RunOptions,
    session: SessionFactory,
    license_path: Path,
    *,
    dry_run: bool = False,
    expect_serial: str | None = None,
    allow_earlier_end: bool = False,
) -> ChangeResult:
    """`sc-license install` of one file on one environment, approved by --sc-allow-changes."""
    actor = options.attribution.actor or current_actor()

    def approve(proposal: Proposal) -> ApprovalRecord:
        return ApprovalRecord(
            how="--sc-allow-changes, in a pytest run",
            approved=True,
            by=actor,
            at=datetime.now(UTC),
        )

    entry = environment.entry
    if (
        not dry_run
        and entry is not None
        and entry.require_change
        and not options.attribution.change
    ):
        raise BadInput(
            f"A change to {environment.name} needs its change ticket (require_change in the "
            "inventory); nothing was done.",
            hint="Give --sc-change TICKET, or change=... to sc_install.",
        )
    flow = partial(
        install_license,
        license_path=license_path,
        dry_run=dry_run,
        expect_serial=expect_serial,
        approve=approve,
        allow_earlier_end=allow_earlier_end,
    )
    procedure = Procedure("install", flow, changes=not dry_run)
    return ChangeResult.of(execute(procedure, target, options, session=session))
