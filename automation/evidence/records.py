"""What run.json holds: the record of one run, its steps, files, checks and errors."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from automation import __version__
from automation.identity import Actor, ApprovalRecord
from automation.licenses import InstalledLicense, LicenseFile, end_date_of
from automation.outcomes import Outcome, nothing_to_do
from automation.profile import SiteProfile


class FlowResult(BaseModel):
    """What a flow hands back: its outcome in one word and in one sentence."""

    outcome: Outcome
    message: str
    exit_code: int = 0  # what the run exits with when it ends so; status --warn-days: 8


class Review(BaseModel):
    """A reviewer's sign-off on a run, as the audit log holds it and its report shows it."""

    reviewer: str  # the OS account that ran `audit review`
    verdict: Literal["accepted", "rejected"]
    note: str = ""
    reviewed_at: datetime


class Artifact(BaseModel):
    """A file of the run, with its hash so a reviewer can tell it was not changed."""

    file: str
    role: str
    size: int
    sha256: str


class StepRecord(BaseModel):
    number: int
    name: str
    status: Literal["passed", "failed"]
    started_at: datetime
    duration_ms: int
    screenshot: str | None = None
    screenshot_sha256: str | None = None
    screenshot_missing: str | None = None  # why a step has no screenshot
    # The caption sc-license composed in a strip below the screenshot (never Service Center's).
    annotation: str | None = None
    error: str | None = None
    # Where the step's time went, in seconds per part (see evidence/timing.py); the parts add
    # up to no more than duration_ms. None in runs recorded before this was.
    timing: dict[str, float] | None = None


class RunTiming(BaseModel):
    """Where a run's time went, in seconds: before the run began (the process starting, the
    command read, the browser started), before its first step (the lock taken), each part of
    its steps added up, the flow's own work between steps (checks, the trace started), and
    after its last step (the trace kept, the browser closed). The report, the audit log and
    the process's exit come after run.json is final and are not in it."""

    start_up: float | None = None  # None when the process's start time is unknown
    before_steps: float
    steps: dict[str, float]
    between_steps: float
    after_steps: float


class Check(BaseModel):
    """One pre-flight check, as a reviewer should read it."""

    name: str
    passed: bool
    detail: str


class RetryRecord(BaseModel):
    """A step done again: after a page load failed for a passing reason, or a sign-out."""

    step: str | None
    attempt: int
    reason: str
    waited_s: float


class NextCommand(BaseModel):
    """A command the operator should run next, whole and quoted for the shell."""

    says: str  # what it does, e.g. "Check what is installed now"
    command: str


class ErrorRecord(BaseModel):
    kind: str
    message: str
    hint: str = ""
    step: str | None = None
    commands: list[NextCommand] = Field(default_factory=list)


class RunProcess(BaseModel):
    """The process carrying out a run, so a run it left unfinished can be told from one
    still under way; its start time tells it from a later process given the same pid."""

    pid: int
    host: str
    started_at: datetime


class ProfileUsed(BaseModel):
    """The site profile a run read Service Center's words with: its file and that file's
    SHA-256, so a reviewer can tell which words the run was taught."""

    path: str
    sha256: str

    @classmethod
    def of(cls, profile: SiteProfile) -> ProfileUsed | None:
        """The profile's record; None when none was given."""
        if profile.path is None or profile.sha256 is None:
            return None
        return cls(path=str(Path(profile.path).absolute()), sha256=profile.sha256)


class CaFileUsed(BaseModel):
    """A CA certificate file the run's browser trusted (--ca-file, the inventory's ca_file),
    verification left on: its path and SHA-256, so a reviewer can tell who vouched for the
    server."""

    path: str
    sha256: str


class ProxyUsed(BaseModel):
    """The proxy the run's pages went through: where it was given (--proxy, the inventory,
    or a variable such as HTTPS_PROXY) and its address, never with credentials."""

    source: str
    url: str


class RunRecord(BaseModel):
    """Everything run.json says about one run."""

    tool: str = "sc-license"
    tool_version: str = __version__
    flow: str
    environment: str
    url: str
    user: str
    profile: ProfileUsed | None = None  # --profile or the inventory's; None: the documented words
    # Whether the run signed in as `user`: a run refused before it did must not claim it.
    # None in runs recorded before this was.
    signed_in: bool | None = None
    operator: str = "unknown"  # the OS account; actor says more (older runs have only this)
    actor: Actor | None = None
    reason: str | None = None  # --reason: why the change is made
    change: str | None = None  # --change: the change ticket it was made under
    approval: ApprovalRecord | None = None  # None: no upload was about to happen
    process: RunProcess | None = None
    browser: str | None = None
    # Which binary ran: e.g. "headless shell (system)" and its path; None for a remote
    # browser, and in runs recorded before these were.
    browser_kind: str | None = None
    browser_executable: str | None = None
    ca_files: list[CaFileUsed] = Field(default_factory=list)  # trusted besides the browser's own
    proxy: ProxyUsed | None = None  # None: the pages were reached directly
    environment_shown: str | None = None
    headless: bool = True
    started_at: datetime
    finished_at: datetime | None = None
    outcome: Outcome = "running"
    exit_code: int | None = None
    message: str | None = None
    license_file: LicenseFile | None = None
    # Where the new file's serial came from: its content, its name, or the operator's word.
    serial_vouched_by: str | None = None
    license_before: InstalledLicense | None = None
    license_after: InstalledLicense | None = None
    # What the Licensing page showed right after the upload, when the run ended on another
    # state (an invalid license, then rolled back).
    license_uploaded: InstalledLicense | None = None
    backup: Artifact | None = None
    checks: list[Check] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    # JavaScript dialogs Service Center raised, in its words, and how each was answered.
    dialogs: list[str] = Field(default_factory=list)
    retries: list[RetryRecord] = Field(default_factory=list)
    steps: list[StepRecord] = Field(default_factory=list)
    artifacts: list[Artifact] = Field(default_factory=list)
    error: ErrorRecord | None = None
    # status: the installed license's days left when it was read (negative: ended), and the
    # --warn-days threshold it was judged by. None in runs recorded before this was.
    days_left: int | None = None
    warn_days: int | None = None
    fleet: list[FleetEntry] | None = None  # a fleet's summary: each environment's ending
    workers: int | None = None  # a fleet's summary: how many environments ran at a time
    fleet_run: str | None = None  # a fleet's member: the folder of the fleet's summary
    timing: RunTiming | None = None  # set when the run ends

    @property
    def nothing_to_do(self) -> bool:
        """A fleet that ended with no environment to run (an empty shard)."""
        return nothing_to_do(self.fleet, self.outcome)


class FleetEntry(BaseModel):
    """How one environment of a fleet run ended, and where its evidence is."""

    environment: str
    url: str
    outcome: Outcome
    exit_code: int
    message: str
    reason: str | None = None  # why it ended so: the first check that failed, or the error
    run_folder: str | None = None
    license_before: InstalledLicense | None = None
    license_after: InstalledLicense | None = None
    days_left: int | None = None  # status: as the environment's run recorded it
    warn_days: int | None = None
    commands: list[NextCommand] = Field(default_factory=list)  # what to run next, if anything
    hint: str = ""  # what to do, as its run's error says; "" when it says nothing
    warnings: list[str] = Field(default_factory=list)  # its run's warnings
    approval: ApprovalRecord | None = None  # its upload's approval; None: none was about to be

    @classmethod
    def of(cls, record: RunRecord, run_folder: str | None = None) -> FleetEntry:
        """How a finished run ended, as one line of a fleet's summary."""
        return cls(
            environment=record.environment,
            url=record.url,
            outcome=record.outcome,
            exit_code=record.exit_code or 0,
            message=record.message or "",
            reason=_reason(record),
            run_folder=run_folder,
            license_before=record.license_before,
            license_after=record.license_after,
            days_left=record.days_left,
            warn_days=record.warn_days,
            commands=record.error.commands if record.error else [],
            hint=record.error.hint if record.error else "",
            warnings=record.warnings,
            approval=record.approval,
        )

    @property
    def shown(self) -> InstalledLicense | None:
        return self.license_after or self.license_before

    def ends_in(self, today: date) -> int | None:
        """Days left as recorded by its run, else from the end date shown."""
        if self.days_left is not None:
            return self.days_left
        shown = self.shown
        end = end_date_of(shown) if shown else None
        return (end - today).days if end else None


def _reason(record: RunRecord) -> str | None:
    failed = next((check for check in record.checks if not check.passed), None)
    if failed is not None:
        return f"{failed.name}: {failed.detail}"
    return record.error.message if record.error else None


def load_record(folder: Path) -> RunRecord:
    """A run folder's run.json, as data."""
    return RunRecord.model_validate_json((folder / "run.json").read_bytes())
