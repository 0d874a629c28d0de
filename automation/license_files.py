"""License files: read without assuming a format, refused when they cannot be one, and a
folder of them matched to environments by serial."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from automation.errors import BadInput, NoMatchingLicense, ScLicenseError
from automation.licenses import (
    FIELD_LABELS,
    SERIAL_PATTERN,
    VALUE_PATTERNS,
    LicenseFile,
    SerialSource,
)

MAX_LICENSE_BYTES = 1024 * 1024
# Read in either case from a file, and kept in upper case as Service Center shows them.
CODES = ("serial_number", "activation_code")
# What a file given as a license is instead, by how it begins (a private key: anywhere in it).
NOT_A_LICENSE = [
    (re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), "a private key"),
    (re.compile(rb"\APuTTY-User-Key-File-"), "a PuTTY private key"),
    (re.compile(rb"\A(?:ssh|ecdsa-sha2|sk-ssh|sk-ecdsa)-[\w@.-]+ AAAA"), "an SSH public key"),
    (re.compile(rb"\APK(?:\x03\x04|\x05\x06)"), "a zip archive (or an Office document)"),
    (re.compile(rb"\A%PDF-"), "a PDF document"),
    (re.compile(rb"\A\x89PNG\r\n\x1a\n"), "a PNG image"),
    (re.compile(rb"\A\xff\xd8\xff"), "a JPEG image"),
    (re.compile(rb"\AGIF8[79]a"), "a GIF image"),
]
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def readable(path: Path, what: str = "The license file") -> None:
    """A file that exists and can be read, or a clear refusal: checked before any run starts,
    so that a mistyped path leaves no run folder behind."""
    if not path.exists():
        raise BadInput(f"{what} {path} does not exist.", hint="Check the path.")
    if not path.is_file():
        raise BadInput(f"{path} is not a file.", hint="Give the path of a .lic file.")
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise BadInput(
            f"{what} {path} cannot be read ({error.strerror or error}).",
            hint="Check the file's permissions, or copy it somewhere this account can read.",
        ) from None


def read_license_file(path: Path) -> LicenseFile:
    """Read a .lic file without assuming one format; refuse what cannot be a license."""
    readable(path)
    size = path.stat().st_size
    if size == 0:
        raise BadInput(
            f"The license file {path} is empty.",
            hint="Download it again from the Licensing Portal.",
        )
    if size > MAX_LICENSE_BYTES:
        raise BadInput(
            f"{path} is {size} bytes; a license file is a few KB (at most 1 MiB accepted).",
            hint="Check that you picked the .lic file from the Licensing Portal.",
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInput(
            f"The license file {path} cannot be read ({error.strerror or error}).",
            hint="Check the file's permissions, or copy it somewhere this account can read.",
        ) from None
    if is_web_page(data):
        raise BadInput(
            f"{path} is a web page, not a license file (saved from a browser, or an error page?).",
            hint="Download the .lic file again from the Licensing Portal.",
        )
    kind = what_else(data)
    if kind is not None:
        raise BadInput(
            f"{path} is {kind}, not a license file; nothing of it was kept.",
            hint="Give the .lic file from the Licensing Portal.",
        )
    # Text, XML, JSON, base64 or binary: the format is not published, so none is assumed.
    fields = _recognise(license_text(data))
    source: SerialSource | None = "file content" if fields["serial_number"] else None
    if source is None:
        named = set(re.findall(rf"(?<![A-Z0-9]){SERIAL_PATTERN}(?![A-Z0-9])", path.stem.upper()))
        if len(named) == 1:  # the Licensing Portal names its files <serial>.lic; two: which?
            fields["serial_number"], source = named.pop(), "file name"
    return LicenseFile(
        name=path.name,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
        serial_source=source,
        text_form=text_form(data),
        **fields,
    )


def is_web_page(data: bytes) -> bool:
    """Whether bytes are an HTML page rather than a license file, in UTF-8 or UTF-16."""
    start = license_text(data[:400]).lstrip()[:200].lower()
    return start.startswith(("<!doctype html", "<html")) or "<html" in start


def what_else(data: bytes) -> str | None:
    """What a file plainly is when it is no license: a key, an archive, a document, an image."""
    start = data.removeprefix(codecs.BOM_UTF8).lstrip()
    return next((kind for pattern, kind in NOT_A_LICENSE if pattern.search(start)), None)


def license_text(data: bytes) -> str:
    """A file's text, UTF-8 or UTF-16, without a byte-order mark, its lines ending in \\n."""
    encoding = "utf-16" if data.startswith(UTF16_BOMS) else "utf-8-sig"
    return data.decode(encoding, errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def text_form(data: bytes) -> str | None:
    """How a text file differs from UTF-8 with LF line endings, in words; None if it does not,
    or is binary (its bytes are what they are)."""
    if data.startswith(UTF16_BOMS):
        return "UTF-16 text"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    forms = ["a byte-order mark"] if data.startswith(codecs.BOM_UTF8) else []
    if b"\r\n" in data:
        forms.append("Windows line endings (CRLF)")
    elif b"\r" in data:
        forms.append("carriage returns for line endings (CR)")
    return " and ".join(forms) or None


def _recognise(text: str) -> dict[str, str | None]:
    """Find each field by its label, and the serial and activation code by their patterns."""
    found: dict[str, str | None] = {}
    for key, label in FIELD_LABELS.items():
        words = r"\s*".join(label.split())
        match = re.search(rf"(?im)^\W*{words}\W*[:=]\s*(.+?)\s*$", text)
        value = match.group(1) if match else None
        pattern = VALUE_PATTERNS.get(key, "")
        if key in CODES:
            if value is None or not re.fullmatch(pattern, value, re.IGNORECASE):
                anywhere = re.search(rf"(?i)(?<![A-Z0-9]){pattern}(?![A-Z0-9])", text)
                value = anywhere.group(0) if anywhere else None
            value = value.upper() if value else None
        elif pattern and value is not None and not re.fullmatch(pattern, value):
            value = None
        found[key] = value
    return found


@dataclass
class LicenseFolder:
    """Each readable .lic file by the serial it is issued for, whatever it is called."""

    folder: Path
    by_serial: dict[str, list[Path]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> LicenseFolder:
        if not folder.is_dir():
            raise BadInput(f"{folder} is not a folder.", hint="Give the folder of .lic files.")
        found = cls(folder)
        for path in sorted(folder.glob("*.lic")):
            try:
                serial = read_license_file(path).serial_number
            except ScLicenseError as error:
                found.problems.append(error.message)
                continue
            if serial is None:
                found.problems.append(
                    f"No serial number could be read in the content or the name of {path.name}."
                )
                continue
            found.by_serial.setdefault(serial, []).append(path)
        if not found.by_serial:
            raise BadInput(
                f"{folder} holds no license file with a readable serial number.",
                hint="Put the .lic files from the Licensing Portal there.",
            )
        return found

    def for_serial(self, serial: str | None, environment: str) -> Path:
        """The one file issued for this serial; refuse when there is none, or several."""
        paths = self.by_serial.get(serial or "", [])
        if len(paths) == 1:
            return paths[0]
        if not paths:
            raise NoMatchingLicense(
                f"No file in {self.folder} is issued for {environment}'s serial {serial}; "
                "it was left as it is.",
                hint=f"Request the license for serial {serial} in the Licensing Portal.",
            )
        raise NoMatchingLicense(
            f"Several files in {self.folder} are issued for {environment}'s serial {serial} "
            f"({', '.join(p.name for p in paths)}); it was left as it is.",
            hint="Keep only the file to install for that serial in the folder.",
        )

    def left_over(self, serials: set[str]) -> list[str]:
        """What the operator should know after a fleet: files that could not be read, and
        files issued for none of the given serials."""
        return self.problems + [
            f"{path.name} (serial {serial}) matches no selected environment"
            for serial, paths in sorted(self.by_serial.items())
            if serial not in serials
            for path in paths
        ]
