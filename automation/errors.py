"""Expected failures, each with the exit code and the advice the operator sees; and every exit
code the tool returns, with its meaning, in one table."""

from __future__ import annotations

from enum import IntEnum

from automation.outcomes import Outcome


class ExitCode(IntEnum):
    """What `sc-license` exits with. The README's table and `--help` are made from this."""

    OK = 0
    UNEXPECTED = 1
    BAD_INPUT = 2
    REFUSED = 3
    NOT_INSTALLED = 4
    UNREACHABLE = 5
    ROLLBACK_FAILED = 6
    EVIDENCE_DOES_NOT_VERIFY = 7
    LICENSE_NEEDS_ATTENTION = 8
    INTERRUPTED = 130

    @property
    def meaning(self) -> str:
        return MEANINGS[self]


MEANINGS = {
    ExitCode.OK: "Done: installed, unchanged, dry run passed, backed up or read.",
    ExitCode.UNEXPECTED: "An unexpected error; the run folder holds the evidence. "
    "Run again with --debug for the traceback.",
    ExitCode.BAD_INPUT: "Bad input, nothing done: a missing or unusable file, address, password, "
    "inventory or browser.",
    ExitCode.REFUSED: "Refused before any change: wrong serial, expired file, a bad backup, "
    "not approved, another run busy, the license changed meanwhile, or no license file for a "
    "serial.",
    ExitCode.NOT_INSTALLED: "The new license is not installed: Service Center rejected it, or "
    "it did not verify and the previous license was put back.",
    ExitCode.UNREACHABLE: "Service Center could not be reached or signed in to, or answered "
    "with an error page; nothing was changed.",
    ExitCode.ROLLBACK_FAILED: "Act now: the new license did not verify and the backup could "
    "not be put back (that failed too, or another change came meanwhile); the message says "
    "what is installed and how to restore it.",
    ExitCode.EVIDENCE_DOES_NOT_VERIFY: "audit verify, report or scan: the evidence does not "
    "hold up (changed, missing or added files, a broken chain, a run cut off, a secret found); "
    "a change: it was made, but part of its evidence could not be written.",
    ExitCode.LICENSE_NEEDS_ATTENTION: "status: a license is shown not valid, or (with "
    "--warn-days) ends within the days given.",
    ExitCode.INTERRUPTED: "Interrupted (Ctrl-C or SIGTERM); recorded and sealed as such.",
}

# A fleet exits with its most severe environment's code: a failed rollback first.
SEVERITY = [
    ExitCode.OK,
    ExitCode.LICENSE_NEEDS_ATTENTION,
    ExitCode.BAD_INPUT,
    ExitCode.REFUSED,
    ExitCode.UNREACHABLE,
    ExitCode.NOT_INSTALLED,
    ExitCode.UNEXPECTED,
    ExitCode.EVIDENCE_DOES_NOT_VERIFY,
    ExitCode.ROLLBACK_FAILED,
    ExitCode.INTERRUPTED,
]


def most_severe(codes: list[int]) -> int:
    """The code a run of many environments ends with."""
    rank = {int(code): n for n, code in enumerate(SEVERITY)}
    return max(codes, key=lambda code: rank.get(code, len(SEVERITY)), default=ExitCode.OK)


class ScLicenseError(Exception):
    """An expected failure: says what happened and what the operator should do next."""

    exit_code: ExitCode = ExitCode.UNEXPECTED
    kind = "unexpected"
    outcome: Outcome = "failed"  # the run's outcome in run.json when this ends it

    def __init__(
        self, message: str, *, hint: str = "", commands: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # (what it does, the command line): each printed whole on a line of its own.
        self.commands = commands or []

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class BadInput(ScLicenseError):
    """The operator's input cannot be used (missing file, bad URL, no password)."""

    exit_code = ExitCode.BAD_INPUT
    kind = "bad-input"


class Refused(ScLicenseError):
    """A check before any change refused to go on; nothing was changed."""

    exit_code = ExitCode.REFUSED
    kind = "refused"
    outcome: Outcome = "refused"


class Aborted(Refused):
    """The operator did not approve the change; nothing was changed."""

    kind = "aborted"
    outcome: Outcome = "aborted"


class EvidenceNotWritten(Refused):
    """The run's evidence could not be written (a full disk) before any change; nothing was
    changed, since a change without its backup and record is not one to make."""

    kind = "evidence-not-written"


class ChangedMeanwhile(Refused):
    """The Licensing page no longer shows the license backed up, right before the upload:
    someone else changed it meanwhile (a run with another state folder is not locked out).
    Nothing was uploaded."""

    kind = "changed-meanwhile"


class NoMatchingLicense(Refused):
    """No license file (or more than one) for an environment's serial; it is left alone."""

    kind = "no-matching-license"
    outcome: Outcome = "no-license-file"


class LicenseRejected(ScLicenseError):
    """Service Center refused the uploaded license; the previous one is still installed."""

    exit_code = ExitCode.NOT_INSTALLED
    kind = "rejected"
    outcome: Outcome = "rejected"


class VerificationFailed(ScLicenseError):
    """After the upload, the Licensing page does not show what the new file holds."""

    exit_code = ExitCode.NOT_INSTALLED
    kind = "verification-failed"
    outcome: Outcome = "verification-failed"


class RolledBack(ScLicenseError):
    """The new license did not verify, and the backup was uploaded again and verified."""

    exit_code = ExitCode.NOT_INSTALLED
    kind = "rolled-back"
    outcome: Outcome = "rolled-back"


class RollbackFailed(ScLicenseError):
    """The new license did not verify, and putting the backup back failed too."""

    exit_code = ExitCode.ROLLBACK_FAILED
    kind = "rollback-failed"
    outcome: Outcome = "rollback-failed"


class ChangedByOthers(RollbackFailed):
    """After the upload, Service Center shows neither the new license nor the backup: someone
    else installed a third license meanwhile, and a rollback over it would undo their change."""

    kind = "changed-meanwhile-after-upload"


class CannotReach(ScLicenseError):
    """Service Center did not answer, or did not look like Service Center."""

    exit_code = ExitCode.UNREACHABLE
    kind = "unreachable"

    def __init__(self, message: str, *, hint: str = "", transient: bool = False) -> None:
        super().__init__(message, hint=hint)
        self.transient = transient  # worth another try after a pause (a server restarting)


class SignedOut(ScLicenseError):
    """Service Center showed its sign-in page in the middle of a flow: the session expired."""

    exit_code = ExitCode.UNREACHABLE
    kind = "signed-out"


class ServiceCenterError(ScLicenseError):
    """Service Center answered with an error page, refused this machine, or took too long."""

    exit_code = ExitCode.UNREACHABLE
    kind = "service-center-error"


class UploadFailed(ScLicenseError):
    """The upload did not come back as accepted or rejected (an error page, no answer)."""

    exit_code = ExitCode.NOT_INSTALLED
    kind = "upload-failed"
    outcome: Outcome = "rejected"


class SignInFailed(ScLicenseError):
    """Service Center refused the credentials."""

    exit_code = ExitCode.UNREACHABLE
    kind = "sign-in-failed"


class EvidenceDoesNotVerify(ScLicenseError):
    """Evidence that no longer matches what was sealed: nothing is built on it."""

    exit_code = ExitCode.EVIDENCE_DOES_NOT_VERIFY
    kind = "evidence-does-not-verify"

    def __init__(self, message: str, problems: list[str], *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.problems = problems


class NoBrowser(ScLicenseError):
    """No Chromium could be found or installed."""

    exit_code = ExitCode.BAD_INPUT
    kind = "no-browser"
