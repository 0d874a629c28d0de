"""Faults a sandbox can produce on demand, so flows meet the waits and errors of a real server."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, cast, get_args

from automation.sandbox.holds import Hold

BackupBody = Literal["normal", "empty", "truncated", "html-error", "unstable"]
ErrorPage = Literal["upload", "licensing"]

# What state.uploads records for an upload a fault swallowed; users never see these texts.
UPLOAD_FAILED = "Not installed: the error_500 fault answered HTTP 500."
UPLOAD_IGNORED = "Ignored by the upload_ignored fault: answered as a success, license not changed."


@dataclass
class SandboxFaults:
    """Every fault off by default; change any field while serving, the next request obeys it."""

    # Milliseconds added to every Service Center page, and per page name ("Licensing.aspx").
    delay_ms: int = 0
    delay_routes: dict[str, int] = field(default_factory=dict)
    # Milliseconds a posted license file takes to be processed (the upload form's page loads
    # as fast as ever).
    delay_upload_ms: int = 0
    # "upload": posting the upload form answers HTTP 500; "licensing": GET Licensing.aspx does.
    error_500: set[ErrorPage] = field(default_factory=set)
    # The upload answers as a success but the installed license stays as it was.
    upload_ignored: bool = False
    # Milliseconds before an accepted license shows: until then the Licensing page, its
    # banner and Backup License show the previous one (a server that applies it late).
    apply_delay_ms: int = 0
    # One-shot: the next request to this page finds every session expired.
    expire_session_on: str | None = None
    # One-shot: once this page has been served, every session is expired.
    expire_session_after: str | None = None
    # Backup License's body: truncated sends half the file under the whole file's
    # Content-Length (none when chunked) and drops the connection, so the download fails.
    backup_body: BackupBody = "normal"
    # Sign-in refused with a lockout message after this many consecutive failures, or at once.
    lock_after_failures: int | None = None
    locked: bool = False
    # Every Service Center page answers 403 "You are not authorized to view this page".
    not_authorized: bool = False

    # Pages held back until the test releases them (tests only: no --fault spells it).
    holds: dict[str, Hold] = field(default_factory=dict)

    def hold(self, page: str) -> Hold:
        """Hold every request for `page` ("LicenseUpload.aspx"), or with UPLOAD_PROCESSING every
        posted license file, until the hold's release()."""
        return self.holds.setdefault(page, Hold())

    def delay_s(self, page: str) -> float:
        """How long a response for this page waits before it is answered."""
        return (self.delay_ms + self.delay_routes.get(page, 0)) / 1000

    def active(self) -> list[str]:
        """The faults that are on, as `--fault` would spell them."""
        off = SandboxFaults()
        return [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != getattr(off, f.name)
        ]


FAULT_HELP = (
    "Turn a fault on, repeatable: delay_ms=MS (every page); delay_routes=PAGE:MS "
    "(e.g. Licensing.aspx:2000); delay_upload_ms=MS (processing an upload); "
    "error_500=WHAT (upload, licensing); upload_ignored; apply_delay_ms=MS (an accepted "
    "license shows that much later); "
    "expire_session_on=PAGE (once, before it); expire_session_after=PAGE (once, after it, "
    "e.g. LicenseBackup.aspx); backup_body=BODY (empty, truncated, html-error, "
    "unstable: other bytes at every other download); "
    "lock_after_failures=N; locked; not_authorized."
)


def parse_faults(specs: list[str]) -> SandboxFaults:
    """Faults from `--fault NAME[=VALUE]` options; ValueError says which one is wrong and why."""
    faults = SandboxFaults()
    for spec in specs:
        name, has_value, value = spec.partition("=")
        name = name.strip().replace("-", "_")
        setter = _SETTERS.get(name)
        if setter is None:
            known = ", ".join(_SETTERS)
            raise ValueError(f"unknown fault '{name}'; known faults: {known}")
        try:
            setter(faults, value.strip() if has_value else None)
        except ValueError as exc:
            raise ValueError(f"fault '{spec}': {exc}") from None
    return faults


def _required(value: str | None, what: str) -> str:
    if not value:
        raise ValueError(f"needs a value: {what}")
    return value


def _milliseconds(value: str | None) -> int:
    text = _required(value, "milliseconds")
    if not text.isdigit():
        raise ValueError(f"'{text}' is not a whole number of milliseconds")
    return int(text)


def _flag(value: str | None) -> bool:
    if value is None or value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"'{value}' is not true or false")


def _delay_route(faults: SandboxFaults, value: str | None) -> None:
    page, colon, ms = _required(value, "PAGE:MS").rpartition(":")
    if not colon or not page:
        raise ValueError("expected PAGE:MS, e.g. Licensing.aspx:2000")
    faults.delay_routes[page] = _milliseconds(ms)


def _error_500(faults: SandboxFaults, value: str | None) -> None:
    for page in _required(value, "upload or licensing").split(","):
        if page not in get_args(ErrorPage):
            raise ValueError(f"'{page}' is not one of: upload, licensing")
        faults.error_500.add(cast(ErrorPage, page))


def _backup_body(faults: SandboxFaults, value: str | None) -> None:
    choices = get_args(BackupBody)
    if value not in choices:
        raise ValueError(f"expected one of: {', '.join(choices)}")
    faults.backup_body = cast(BackupBody, value)


def _lock_after(faults: SandboxFaults, value: str | None) -> None:
    text = _required(value, "a number of failed sign-ins")
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"'{text}' is not a number of failed sign-ins (1 or more)")
    faults.lock_after_failures = int(text)


_SETTERS: dict[str, Callable[[SandboxFaults, str | None], None]] = {
    "delay_ms": lambda f, v: setattr(f, "delay_ms", _milliseconds(v)),
    "delay_routes": _delay_route,
    "delay_upload_ms": lambda f, v: setattr(f, "delay_upload_ms", _milliseconds(v)),
    "error_500": _error_500,
    "upload_ignored": lambda f, v: setattr(f, "upload_ignored", _flag(v)),
    "apply_delay_ms": lambda f, v: setattr(f, "apply_delay_ms", _milliseconds(v)),
    "expire_session_on": lambda f, v: setattr(f, "expire_session_on", _required(v, "a page")),
    "expire_session_after": lambda f, v: setattr(f, "expire_session_after", _required(v, "a page")),
    "backup_body": _backup_body,
    "lock_after_failures": _lock_after,
    "locked": lambda f, v: setattr(f, "locked", _flag(v)),
    "not_authorized": lambda f, v: setattr(f, "not_authorized", _flag(v)),
}
