"""How a run that failed ended, in run.json's words: an expected failure, an interrupt, or
something unexpected."""

from __future__ import annotations

from automation.errors import ExitCode, ScLicenseError
from automation.evidence.records import ErrorRecord, RunRecord
from automation.evidence.screenshots import first_line
from automation.outcomes import Outcome


def ending(
    error: BaseException, record: RunRecord, current_step: str | None
) -> tuple[ErrorRecord, Outcome, int]:
    """The error record, outcome and exit code of a run that `error` ended."""
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
        said = ErrorRecord(kind="interrupted", message=message, step=current_step or last)
        return said, "interrupted", ExitCode.INTERRUPTED
    said = ErrorRecord(kind="unexpected", message=describe(error), step=failed)
    return said, "failed", ExitCode.UNEXPECTED


def describe(error: BaseException) -> str:
    """An error in one line, for run.json and the terminal."""
    if isinstance(error, ScLicenseError):
        return error.message
    return first_line(error)
