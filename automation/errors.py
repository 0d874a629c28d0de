"""Expected failures, each with the exit code and the advice the operator sees."""

from __future__ import annotations


class ScLicenseError(Exception):
    """An expected failure: says what happened and what the operator should do next."""

    exit_code = 1
    kind = "unexpected"
    outcome = "failed"  # the run's outcome in run.json when this ends it

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class BadInput(ScLicenseError):
    """The operator's input cannot be used (missing file, bad URL, no password)."""

    exit_code = 2
    kind = "bad-input"


class Refused(ScLicenseError):
    """A check before any change refused to go on; nothing was changed."""

    exit_code = 3
    kind = "refused"
    outcome = "refused"


class Aborted(Refused):
    """The operator did not approve the change; nothing was changed."""

    kind = "aborted"
    outcome = "aborted"


class NoMatchingLicense(Refused):
    """No license file (or more than one) for an environment's serial; it is left alone."""

    kind = "no-matching-license"
    outcome = "no-license-file"


class LicenseRejected(ScLicenseError):
    """Service Center refused the uploaded license; the previous one is still installed."""

    exit_code = 4
    kind = "rejected"
    outcome = "rejected"


class VerificationFailed(ScLicenseError):
    """After the upload, the Licensing page does not show what the new file holds."""

    exit_code = 4
    kind = "verification-failed"
    outcome = "verification-failed"


class RolledBack(ScLicenseError):
    """The new license did not verify, and the backup was uploaded again and verified."""

    exit_code = 4
    kind = "rolled-back"
    outcome = "rolled-back"


class RollbackFailed(ScLicenseError):
    """The new license did not verify, and putting the backup back failed too."""

    exit_code = 6
    kind = "rollback-failed"
    outcome = "rollback-failed"


class CannotReach(ScLicenseError):
    """Service Center did not answer, or did not look like Service Center."""

    exit_code = 5
    kind = "unreachable"

    def __init__(self, message: str, *, hint: str = "", transient: bool = False) -> None:
        super().__init__(message, hint=hint)
        self.transient = transient  # worth another try after a pause (a server restarting)


class SignedOut(ScLicenseError):
    """Service Center showed its sign-in page in the middle of a flow: the session expired."""

    exit_code = 5
    kind = "signed-out"


class ServiceCenterError(ScLicenseError):
    """Service Center answered with an error page, refused this machine, or took too long."""

    exit_code = 5
    kind = "service-center-error"


class UploadFailed(ScLicenseError):
    """The upload did not come back as accepted or rejected (an error page, no answer)."""

    exit_code = 4
    kind = "upload-failed"
    outcome = "rejected"


class SignInFailed(ScLicenseError):
    """Service Center refused the credentials."""

    exit_code = 5
    kind = "sign-in-failed"


class NoBrowser(ScLicenseError):
    """No Chromium could be found or installed."""

    exit_code = 2
    kind = "no-browser"
