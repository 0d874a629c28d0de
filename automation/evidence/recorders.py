"""What a flow saw, checked and kept, recorded into run.json in the words it uses: the named
recorders a Run offers, so that no flow writes into the record itself."""

from __future__ import annotations

from pathlib import Path

from automation.evidence.records import (
    Artifact,
    Check,
    FleetEntry,
    RetryRecord,
    RunRecord,
)
from automation.identity import ApprovalRecord
from automation.licenses import InstalledLicense, LicenseFile


class Recorders:
    """The recorders; Run provides the record, the folder, saving and files."""

    record: RunRecord
    folder: Path
    current_step: str | None

    def save(self, *, ending: bool = False) -> None:
        raise NotImplementedError

    def add_file(self, path: Path, role: str) -> Artifact:
        raise NotImplementedError

    def write_file(self, name: str, data: bytes, role: str) -> Artifact:
        raise NotImplementedError

    def saw_environment(self, name: str | None) -> None:
        self.record.environment_shown = name

    # What the Licensing page showed right after the new license was uploaded.
    seen_after_upload: InstalledLicense | None = None

    def saw_after(self, shown: InstalledLicense, *, just_uploaded: bool = False) -> None:
        """What the Licensing page shows now; `just_uploaded` for the read right after the
        new license's upload, kept on record whenever the run then shows another state."""
        if just_uploaded:
            self.seen_after_upload = shown
        self.record.license_after = shown
        seen = self.seen_after_upload
        self.record.license_uploaded = seen if seen is not None and seen != shown else None
        self.save()

    def took_license_file(self, license_file: LicenseFile, data: bytes) -> Artifact:
        """Record the file to install and keep a copy of it with the evidence; the artifact
        says what the copy held once written, for the flow to compare with what it uploads
        (its own private copy, out of the recordings folder's reach)."""
        self.record.license_file = license_file
        return self.write_file(f"new-{license_file.name}", data, "uploaded license")

    def serial_vouched_by(self, source: str) -> None:
        """What the serial checked against the environment's came from."""
        self.record.serial_vouched_by = source
        self.save()

    def kept_backup(self, path: Path) -> Artifact:
        """The backup Service Center gave, kept whatever the checks then say of it."""
        self.record.backup = self.add_file(path, "backup")
        return self.record.backup

    def judged_expiry(self, days_left: int | None, warn_days: int | None) -> None:
        """How many days the installed license has left, and the --warn-days it was judged by."""
        self.record.days_left, self.record.warn_days = days_left, warn_days
        self.save()

    def checked(self, name: str, passed: bool, detail: str) -> None:
        self.record.checks.append(Check(name=name, passed=passed, detail=detail))
        self.save()

    def warn(self, warning: str) -> None:
        self.record.warnings.append(warning)
        self.save()

    def saw_dialogs(self, dialogs: list[str]) -> None:
        """Dialogs a step's action raised and the tool answered, as said and answered."""
        if dialogs:
            self.record.dialogs.extend(dialogs)
            self.save()

    def retried(self, attempt: int, reason: str, waited_s: float) -> None:
        self.record.retries.append(
            RetryRecord(step=self.current_step, attempt=attempt, reason=reason, waited_s=waited_s)
        )
        self.save()

    def ended_fleet(self, entries: list[FleetEntry]) -> None:
        """A fleet's summary: how each environment's run ended."""
        self.record.fleet = entries
        self.save()

    def approved(self, approval: ApprovalRecord) -> None:
        """How the upload was approved (or not), by whom and when."""
        self.record.approval = approval
        self.save()

    def used_browser(
        self,
        description: str,
        headless: bool,
        kind: str | None = None,
        executable: str | None = None,
    ) -> None:
        self.record.browser = description
        self.record.headless = headless
        self.record.browser_kind = kind
        self.record.browser_executable = executable
