"""How a run that failed ended, in run.json's words: an expected failure, an interrupt, or
something unexpected."""

from __future__ import annotations

from pathlib import Path

from automation.errors import ExitCode, ScLicenseError
from automation.evidence.records import ErrorRecord, RunRecord
from automation.evidence.screenshots import first_line
from automation.outcomes import Outcome


def ending(
    error: BaseException,
    record: RunRecord,
    current_step: str | None,
    *,
    changing: bool = False,
    folder: Path | None = None,
) -> tuple[ErrorRecord, Outcome, int]:
    """The error record, outcome and exit code of a run that `error` ended; `changing`: the
    upload had begun, so the license may have changed."""
    failed = next((s.name for s in record.steps if s.status == "failed"), None)
    if isinstance(error, ScLicenseError):
        said = ErrorRecord(kind=error.kind, message=error.message, hint=error.hint, step=failed)
        return said, error.outcome, error.exit_code
    if isinstance(error, KeyboardInterrupt):
        last = record.steps[-1].name if record.steps else None
        if current_step:
            message = f"Interrupted during the step “{current_step}”."
        elif last:
            message = f"Interrupted after the step “{last}”."
        else:
            message = "Interrupted before the first step."
        if record.backup:
            message += f" The backup taken is kept: {record.backup.file}."
        hint = ""
        if changing:
            message += " The upload had begun: the license may have changed."
            hint = f"Check it now: `{status_command(record)}`."
            if record.backup and folder is not None:
                backup = folder / record.backup.file
                hint += (
                    f" If it is not valid, restore the backup: `{restore_command(record, backup)}`."
                )
        said = ErrorRecord(
            kind="interrupted", message=message, hint=hint, step=current_step or last
        )
        return said, "interrupted", ExitCode.INTERRUPTED
    said = ErrorRecord(kind="unexpected", message=describe(error), step=failed)
    return said, "failed", ExitCode.UNEXPECTED


def describe(error: BaseException) -> str:
    """An error in one line, for run.json and the terminal."""
    if isinstance(error, ScLicenseError):
        return error.message
    return first_line(error)


def status_command(record: RunRecord) -> str:
    """The command that shows what is installed on the run's environment now."""
    return (
        f"sc-license status --url {record.url} --user {record.user} --env-name {record.environment}"
    )


def restore_command(record: RunRecord, backup: Path) -> str:
    """The command that puts a backup back on the run's environment, with the same name (so
    the same password variable and evidence folder name)."""
    return (
        f"sc-license restore --url {record.url} --user {record.user} "
        f"--env-name {record.environment} --from {backup.resolve()}"
    )
