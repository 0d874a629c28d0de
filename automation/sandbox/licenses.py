"""The sandbox's own signed license file: "Label: value" lines and an HMAC signature, written
as text, or encrypted (opaque, binary, header-base64) so that nothing in it can be read."""

from __future__ import annotations

import datetime
import enum
import hashlib
import hmac
import secrets
import string

import pydantic

from automation.sandbox.sealing import seal, sealed_as, unseal
from automation.sandbox.variants import LicenseEncoding

SERIAL_RE = r"[A-Z0-9]{3}(?:-[A-Z0-9]{3}){7}"
ACTIVATION_RE = r"[A-Z0-9]{3}(?:\.[A-Z0-9]{3}){7}"

# A fixed key so every sandbox (and every test) can check every sandbox file; it protects
# nothing and must never be mistaken for a secret of the real product.
SANDBOX_SIGNING_KEY = b"outsystems-sandbox-license-key-not-a-secret"

BEGIN = "-----BEGIN OUTSYSTEMS LICENSE-----"
END = "-----END OUTSYSTEMS LICENSE-----"
NEVER = "Never"
_FIELD_LABELS = (
    "Organization Name",
    "Serial Number",
    "Activation Code",
    "Edition Name",
    "License Type",
    "End Date",
)
_ALPHABET = string.ascii_uppercase + string.digits

DEFAULT_FEATURES: dict[str, str] = {
    "Access Control": "Unlimited",
    "Active External Users": "Unlimited",
    "Active Internal Users": "Unlimited",
    "Analytics": "Unlimited",
    "Anonymous End-Users Sessions": "Unlimited",
    "Application Objects": "150",
    "Intellectual Property": "Protected",
    "Platform Server Upgrade": "11",
    "Service Center Users": "99",
}


class InvalidLicenseFile(ValueError):
    """The bytes are not a readable, correctly signed sandbox license."""


class SandboxLicense(pydantic.BaseModel):
    """One license as the sandbox issues, stores and shows it."""

    model_config = pydantic.ConfigDict(frozen=True)

    serial_number: str
    activation_code: str
    organization_name: str = "Sandbox Organization"
    edition_name: str = "OutSystems Enterprise"
    license_type: str = "Production"
    end_date: datetime.date | None
    features: dict[str, str] = pydantic.Field(default_factory=lambda: dict(DEFAULT_FEATURES))

    @pydantic.model_validator(mode="after")
    def _single_line_values(self) -> SandboxLicense:
        texts = [self.serial_number, self.activation_code, self.organization_name]
        texts += [self.edition_name, self.license_type, *self.features, *self.features.values()]
        if any("\n" in t or "\r" in t for t in texts):
            raise ValueError("license values must fit on one line")
        if any(" = " in name for name in self.features):
            raise ValueError("feature names cannot contain ' = '")
        return self


class _Default(enum.Enum):
    ONE_YEAR_FROM_TODAY = enum.auto()


ONE_YEAR_FROM_TODAY = _Default.ONE_YEAR_FROM_TODAY


def _groups(separator: str) -> str:
    return separator.join("".join(secrets.choice(_ALPHABET) for _ in range(3)) for _ in range(8))


def random_serial() -> str:
    """A serial number shaped like `XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT`."""
    return _groups("-")


def random_activation_code() -> str:
    """An activation code shaped like `AAA.BBB.CCC.DDD.EEE.FFF.GGG.HHH`."""
    return _groups(".")


def issue_license(
    serial_number: str,
    *,
    activation_code: str | None = None,
    end_date: datetime.date | _Default | None = ONE_YEAR_FROM_TODAY,
    organization_name: str = "Sandbox Organization",
    edition_name: str = "OutSystems Enterprise",
    license_type: str = "Production",
    features: dict[str, str] | None = None,
) -> SandboxLicense:
    """A new license for one server; `end_date=None` never expires."""
    if isinstance(end_date, _Default):
        end_date = datetime.date.today() + datetime.timedelta(days=365)
    return SandboxLicense(
        serial_number=serial_number,
        activation_code=activation_code or random_activation_code(),
        organization_name=organization_name,
        edition_name=edition_name,
        license_type=license_type,
        end_date=end_date,
        features=dict(DEFAULT_FEATURES) if features is None else features,
    )


def _sign(signed: bytes) -> str:
    return hmac.new(SANDBOX_SIGNING_KEY, signed, hashlib.sha256).hexdigest()


def _line(label: str, value: str) -> str:
    return f"{label}: {value}" if value else f"{label}:"


def render_license(lic: SandboxLicense, encoding: LicenseEncoding = "text") -> bytes:
    """The signed file contents for a license, in any encoding (text by default)."""
    text = _signed_text(lic)
    return text if encoding == "text" else seal(text, SANDBOX_SIGNING_KEY, encoding)


def reencode_license(data: bytes) -> bytes:
    """The same license written anew in the same encoding, other bytes: text with its
    features in reverse order and CRLF line endings (so a new signature), an encrypted
    encoding under a new nonce."""
    lic = parse_license(data)
    if data.startswith(BEGIN.encode()):
        reordered = dict(reversed(lic.features.items()))
        return _signed_text(lic.model_copy(update={"features": reordered}), newline="\r\n")
    return render_license(lic, sealed_as(data))


def _signed_text(lic: SandboxLicense, newline: str = "\n") -> bytes:
    end = lic.end_date.isoformat() if lic.end_date else NEVER
    values = (
        lic.organization_name,
        lic.serial_number,
        lic.activation_code,
        lic.edition_name,
        lic.license_type,
        end,
    )
    lines = [
        BEGIN,
        *(_line(label, value) for label, value in zip(_FIELD_LABELS, values, strict=True)),
    ]
    lines += [f"Feature: {name} = {limit}" for name, limit in lic.features.items()]
    signed = "".join(f"{line}{newline}" for line in lines).encode()
    return signed + f"Signature: {_sign(signed)}{newline}{END}{newline}".encode()


def _value(line: str, label: str) -> str:
    if line == f"{label}:":
        return ""
    if not line.startswith(f"{label}: "):
        raise InvalidLicenseFile(f"expected the {label!r} line")
    return line[len(label) + 2 :]


def parse_license(data: bytes) -> SandboxLicense:
    """Read and verify a license file in any encoding, or raise InvalidLicenseFile saying why."""
    if not data.startswith(BEGIN.encode()):
        # Opaque or binary: decrypted here, verified below like any text (a wrong key or a
        # changed byte leaves no readable header or a signature that does not match).
        data = unseal(data, SANDBOX_SIGNING_KEY) or data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidLicenseFile("the file is not UTF-8 text") from exc
    # Written with CRLF throughout, it is read as LF; the signature must cover the CRLFs, so a
    # file whose line endings were changed after signing is still refused.
    newline = "\r\n" if text.startswith(BEGIN + "\r\n") else "\n"
    text = text.replace(newline, "\n")
    marker = text.rfind("\nSignature: ")
    if not text.startswith(BEGIN + "\n") or marker < 0:
        raise InvalidLicenseFile("the file is not a sandbox license (no header or signature)")
    signed, tail = text[: marker + 1], text[marker + 1 :]
    signature, _, rest = tail.partition("\n")
    if rest not in (END, END + "\n"):
        raise InvalidLicenseFile("the file does not end with the license footer")
    expected = _sign(signed.replace("\n", newline).encode())
    if not hmac.compare_digest(signature, f"Signature: {expected}"):
        raise InvalidLicenseFile("the signature does not match: the file was changed or forged")
    lines = signed.split("\n")[1:-1]
    if len(lines) < len(_FIELD_LABELS):
        raise InvalidLicenseFile("the file is missing license fields")
    fields = [_value(line, label) for line, label in zip(lines, _FIELD_LABELS, strict=False)]
    features: dict[str, str] = {}
    for line in lines[len(_FIELD_LABELS) :]:
        name, sep, limit = _value(line, "Feature").partition(" = ")
        if not sep:
            raise InvalidLicenseFile(f"unreadable feature line {line!r}")
        features[name] = limit
    org, serial, activation, edition, license_type, end = fields
    try:
        end_date = None if end == NEVER else datetime.date.fromisoformat(end)
        return SandboxLicense(
            serial_number=serial,
            activation_code=activation,
            organization_name=org,
            edition_name=edition,
            license_type=license_type,
            end_date=end_date,
            features=features,
        )
    except ValueError as exc:
        raise InvalidLicenseFile(f"unreadable license values: {exc}") from exc
