"""What one sandbox remembers: its configuration, the installed license, sessions and uploads."""

from __future__ import annotations

import copy
import datetime
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from automation.sandbox import messages
from automation.sandbox.faults import UPLOAD_FAILED, UPLOAD_IGNORED, SandboxFaults
from automation.sandbox.licenses import InvalidLicenseFile, SandboxLicense, parse_license
from automation.sandbox.licenses import render_license as _render
from automation.sandbox.variants import (
    BackupDownload,
    Captions,
    FieldLayout,
    FilePicker,
    LicenseEncoding,
    SignInLabels,
    SubmitControl,
    UploadAnswer,
    UploadFormStyle,
    Words,
)

MAX_UPLOAD_BYTES = 1024 * 1024
EXPIRY_WARNING_DAYS = 30


@dataclass
class SandboxConfig:
    """How a sandbox starts; `serial_number` may be changed later, as a hardware change would."""

    serial_number: str
    password: str
    user: str = "admin"
    environment_name: str = "Development"
    environment_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    license: SandboxLicense | None = None
    # What is not published about the real product, one choice each (see variants.py).
    sign_in_labels: SignInLabels = "label"
    submit_control: SubmitControl = "input"
    upload_form: UploadFormStyle = "page"
    upload_answer: UploadAnswer = "navigate"
    captions: Captions = "plain"
    field_layout: FieldLayout = "divs"
    file_picker: FilePicker = "input"
    upload_confirm: bool = False
    backup_download: BackupDownload = "attachment"
    backup_reencodes: bool = False
    words: Words = "documented"
    # How the license installed at start is written, so how its backup comes down.
    license_encoding: LicenseEncoding = "text"
    version: str = "11.17.0 (Build 36348)"
    # Fault: this many next accepted uploads are installed, then shown as invalid
    # (as a real server does after a clock or hardware change).
    invalid_after_uploads: int = 0
    # Faults on from the start (all off by default); SandboxState.faults is a copy to change live.
    faults: SandboxFaults = field(default_factory=SandboxFaults)


@dataclass
class Session:
    """One signed-in browser: its user, pending feedback and recently visited pages."""

    token: str
    user: str
    feedback: list[tuple[str, str]] = field(default_factory=list)
    recent: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class UploadAttempt:
    """One attempted license upload and what Service Center answered."""

    time: datetime.datetime
    filename: str
    size: int
    accepted: bool
    message: str


@dataclass(frozen=True)
class Banner:
    """The license status banner on the Licensing page."""

    kind: Literal["valid", "warning", "error"]
    lines: tuple[str, ...]


class SandboxState:
    """The mutable state of one sandbox, shared by its request handlers."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.lock = threading.Lock()
        self.installed_license: SandboxLicense | None = config.license
        self.installed_bytes: bytes | None = (
            _render(config.license, config.license_encoding) if config.license else None
        )
        self.uploads: list[UploadAttempt] = []
        # backup_reencodes: each stored license's re-encoding, made once.
        self.reencoded: dict[bytes, bytes] = {}
        self.unstable_backups = 0  # backups served under backup_body=unstable
        # When the Licensing page was served (UTC): a verification must load it afresh.
        self.licensing_views: list[datetime.datetime] = []
        self.sessions: dict[str, Session] = {}
        self.banner_override: str | None = None
        self.invalid_after_uploads = config.invalid_after_uploads
        self.installed_invalid_reason: str | None = None
        self.faults = copy.deepcopy(config.faults)
        self.failed_sign_ins = 0
        self.now: Callable[[], datetime.datetime] = datetime.datetime.now

    def sign_in(self, user: str, password: str) -> Session | str:
        """A new session for the configured administrator, or the message that refuses it."""
        user_ok = secrets.compare_digest(user.encode(), self.config.user.encode())
        password_ok = secrets.compare_digest(password.encode(), self.config.password.encode())
        faults = self.faults
        with self.lock:
            if user_ok and faults.locked:
                return messages.LOCKED_OUT
            if not (user_ok and password_ok):
                if user_ok:
                    self.failed_sign_ins += 1
                    limit = faults.lock_after_failures
                    if limit is not None and self.failed_sign_ins >= limit:
                        faults.locked, self.failed_sign_ins = True, 0
                return messages.INVALID_LOGIN
            self.failed_sign_ins = 0
            session = Session(token=secrets.token_urlsafe(24), user=user)
            self.sessions[session.token] = session
        return session

    def session(self, token: str | None) -> Session | None:
        with self.lock:
            return self.sessions.get(token) if token else None

    def sign_out(self, token: str | None) -> None:
        with self.lock:
            self.sessions.pop(token or "", None)

    def expire_sessions(self) -> None:
        """Every signed-in browser has to sign in again, as after a timeout or a restart."""
        with self.lock:
            self.sessions.clear()

    def upload(self, filename: str, data: bytes) -> UploadAttempt:
        """Install the file if it is a valid license for this server; record the attempt."""
        lic: SandboxLicense | None = None
        if "upload" in self.faults.error_500:
            message = UPLOAD_FAILED
        elif self.faults.upload_ignored:
            message = UPLOAD_IGNORED
        elif len(data) > MAX_UPLOAD_BYTES:
            message = messages.NO_LICENSE
        else:
            try:
                lic = parse_license(data)
                message = messages.UPLOADED
            except InvalidLicenseFile:
                message = messages.NO_LICENSE
        with self.lock:
            if lic and lic.serial_number != self.config.serial_number:
                message = messages.wrong_serial(lic.serial_number)
            elif lic and self.faults.apply_delay_ms:
                later = threading.Timer(self.faults.apply_delay_ms / 1000, self._apply, (lic, data))
                later.daemon = True
                later.start()
            elif lic:
                self._installed(lic, data)
            attempt = UploadAttempt(
                time=self.now(),
                filename=filename,
                size=len(data),
                accepted=message == messages.UPLOADED,
                message=message,
            )
            self.uploads.append(attempt)
        return attempt

    def _apply(self, lic: SandboxLicense, data: bytes) -> None:
        """Install an accepted license later (the apply_delay_ms fault)."""
        with self.lock:
            self._installed(lic, data)

    def _installed(self, lic: SandboxLicense, data: bytes) -> None:
        """An accepted license becomes the installed one (the lock held)."""
        self.installed_license, self.installed_bytes = lic, data
        self.installed_invalid_reason = None
        if self.invalid_after_uploads > 0:
            self.invalid_after_uploads -= 1
            self.installed_invalid_reason = messages.CLOCK_LAG

    def banner(self) -> Banner:
        """The status banner as the Licensing page would show it right now."""
        lic = self.installed_license
        if self.banner_override is not None:
            return Banner("error", (self.banner_override,))
        if self.installed_invalid_reason is not None:
            return Banner("error", (self.installed_invalid_reason,))
        if lic is None:
            return Banner("error", (messages.NO_LICENSE,))
        if lic.serial_number != self.config.serial_number:
            return Banner("error", messages.issued_for_other_server(lic.serial_number))
        if lic.end_date is not None:
            days_left = (lic.end_date - self.now().date()).days
            if days_left < 0:
                return Banner("error", (messages.EXPIRED,))
            if days_left <= EXPIRY_WARNING_DAYS:
                return Banner("warning", (messages.expires_within(max(days_left, 1)),))
        return Banner("valid", (messages.VALID,))
