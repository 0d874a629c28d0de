"""Certificate authorities the launched browser trusts besides its own (--ca-file), with
certificate verification left on.

Chromium on Linux trusts, besides its root store, the CAs marked trusted in the user's NSS
database, `$HOME/.pki/nssdb`; the full Chromium and the headless shell read it alike. So the
browser is launched with HOME set to a throwaway folder holding such a database, with each
given certificate in it marked trusted to issue server certificates (certutil's `-t C,,`),
written with the NSS library Chromium itself loads: no `certutil` (libnss3-tools) needed.
The server's certificate must then chain up to a given CA (or be one given), name the host
and be within its dates: everything Chromium checks for a CA of its own, except Certificate
Transparency, which it asks of public CAs only.

Not `--ignore-certificate-errors-spki-list`: Chromium skips every check of a chain in which
any certificate has a listed key, and a server may send any certificate it likes (a CA's is
public) beside its own: it verifies nothing. Windows and macOS do not read an NSS database:
there the CA goes into the system's store, where Chrome and Edge trust it (the CLI says so)."""

from __future__ import annotations

import base64
import binascii
import ctypes
import ctypes.util
import hashlib
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from automation.errors import BadInput
from automation.installation import this_command

PEM = re.compile(rb"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", re.DOTALL)
TRUSTED_CA = b"C,,"  # certutil's words: trusted to issue server certificates
# NSS keeps one state per process, and fleets launch browsers from several threads.
_nss_lock = threading.Lock()


def read_certificates(path: Path) -> list[bytes]:
    """The certificates (DER) of a PEM file (one or more) or of a DER file, or a clear
    refusal naming the file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadInput(
            f"Cannot read the CA file {path}: {error.strerror}.",
            hint="Give the CA's certificate (PEM or DER) with --ca-file, or ca_file = in the "
            "inventory.",
        ) from None
    try:
        found = [base64.b64decode(block, validate=False) for block in PEM.findall(data)]
    except binascii.Error:
        found = []
    if not found and data[:1] == b"\x30":  # a DER SEQUENCE: one certificate, binary
        found = [data]
    if not found or any(der[:1] != b"\x30" for der in found):
        raise BadInput(
            f"{path} holds no certificate (PEM: -----BEGIN CERTIFICATE-----, or DER).",
            hint="Give the certificate of the CA that issued the server's certificate, e.g. "
            "exported from a browser or asked of whoever runs the CA.",
        )
    return found


@dataclass(frozen=True)
class Trusted:
    """A CA file the browser was made to trust, as it was read: for the evidence."""

    path: str
    sha256: str


@contextmanager
def trusting(
    ca_files: tuple[Path, ...], environ: Mapping[str, str]
) -> Iterator[tuple[dict[str, str], list[Trusted]]]:
    """The environment to launch Chromium in so that it trusts `ca_files` (`environ` with HOME
    at a throwaway folder holding an NSS database of them, removed afterwards), and the files
    as they were read."""
    home = Path(tempfile.mkdtemp(prefix="sc-license-trust-"))
    try:
        certificates: list[bytes] = []
        trusted: list[Trusted] = []
        for path in ca_files:
            certificates += read_certificates(path)
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            trusted.append(Trusted(str(path.absolute()), digest))
        write_nss_database(home / ".pki" / "nssdb", certificates)
        launched = {**environ, "HOME": str(home)}
        # A headed browser finds the X server's cookie in HOME unless told where it is.
        xauthority = Path(environ.get("HOME", "~")).expanduser() / ".Xauthority"
        if "XAUTHORITY" not in environ and xauthority.is_file():
            launched["XAUTHORITY"] = str(xauthority)
        yield launched, trusted
    finally:
        shutil.rmtree(home, ignore_errors=True)


class _Item(ctypes.Structure):
    """NSS's SECItem: a type, a pointer and a length."""

    _fields_ = [("type", ctypes.c_int), ("data", ctypes.c_void_p), ("len", ctypes.c_uint)]


class _Trust(ctypes.Structure):
    """NSS's CERTCertTrust: the trust flags for SSL, e-mail and code signing."""

    _fields_ = [("ssl", ctypes.c_uint), ("email", ctypes.c_uint), ("code", ctypes.c_uint)]


def write_nss_database(folder: Path, certificates: list[bytes]) -> None:
    """A new NSS database (sql:) in `folder`, with each certificate in it trusted as a CA for
    servers: what `certutil -N --empty-password` then `certutil -A -t C,,` make."""
    folder.mkdir(parents=True)
    nss = _library()
    with _nss_lock:
        context = nss.NSS_InitContext(f"sql:{folder}".encode(), b"", b"", b"", None, 0)
        if not context:
            raise _refusal(nss, "open a new certificate database")
        try:
            _add(nss, certificates)
        finally:
            nss.NSS_ShutdownContext(context)


def _add(nss: ctypes.CDLL, certificates: list[bytes]) -> None:
    slot = nss.PK11_GetInternalKeySlot()
    try:
        if nss.PK11_NeedUserInit(slot) and nss.PK11_InitPin(slot, None, b"") != 0:
            raise _refusal(nss, "set up the certificate database")
        database = nss.CERT_GetDefaultCertDB()
        trust = _Trust()
        nss.CERT_DecodeTrustString(ctypes.byref(trust), TRUSTED_CA)
        for number, der in enumerate(certificates, 1):
            buffer = ctypes.create_string_buffer(der, len(der))
            item = _Item(0, ctypes.cast(buffer, ctypes.c_void_p), len(der))
            certificate = nss.CERT_NewTempCertificate(database, ctypes.byref(item), None, 0, 1)
            if not certificate:
                raise _refusal(nss, f"read certificate #{number} of the CA file(s)")
            try:
                name = f"sc-license CA {number}".encode()
                if nss.PK11_ImportCert(slot, certificate, 0, name, 0) != 0:
                    raise _refusal(nss, f"add certificate #{number}")
                if nss.CERT_ChangeCertTrust(database, certificate, ctypes.byref(trust)) != 0:
                    raise _refusal(nss, f"trust certificate #{number}")
            finally:
                nss.CERT_DestroyCertificate(certificate)
    finally:
        nss.PK11_FreeSlot(slot)


def _library() -> ctypes.CDLL:
    """libnss3, the library Chromium itself loads on Linux, with the signatures used here."""
    try:
        nss = ctypes.CDLL(ctypes.util.find_library("nss3") or "libnss3.so")
    except OSError:
        raise BadInput(
            "--ca-file needs the NSS library (libnss3), which Chromium needs too; it is not "
            "installed here.",
            hint="Install it (Debian, Ubuntu: `sudo apt-get install libnss3`), or run "
            f"`{this_command('setup')}`, which installs Chromium with what "
            "it needs.",
        ) from None
    pointer, text = ctypes.c_void_p, ctypes.c_char_p
    signatures: dict[str, tuple[object, list[object]]] = {
        "NSS_InitContext": (pointer, [text, text, text, text, pointer, ctypes.c_uint32]),
        "NSS_ShutdownContext": (ctypes.c_int, [pointer]),
        "PK11_GetInternalKeySlot": (pointer, []),
        "PK11_FreeSlot": (None, [pointer]),
        "PK11_NeedUserInit": (ctypes.c_int, [pointer]),
        "PK11_InitPin": (ctypes.c_int, [pointer, text, text]),
        "CERT_GetDefaultCertDB": (pointer, []),
        "CERT_DecodeTrustString": (ctypes.c_int, [ctypes.POINTER(_Trust), text]),
        "CERT_NewTempCertificate": (
            pointer,
            [pointer, ctypes.POINTER(_Item), text, ctypes.c_int, ctypes.c_int],
        ),
        "PK11_ImportCert": (ctypes.c_int, [pointer, pointer, ctypes.c_ulong, text, ctypes.c_int]),
        "CERT_ChangeCertTrust": (ctypes.c_int, [pointer, pointer, ctypes.POINTER(_Trust)]),
        "CERT_DestroyCertificate": (None, [pointer]),
        "PORT_GetError": (ctypes.c_int, []),
    }
    for name, (returns, takes) in signatures.items():
        function = getattr(nss, name)
        function.restype, function.argtypes = returns, takes
    return nss


def _refusal(nss: ctypes.CDLL, what: str) -> BadInput:
    return BadInput(
        f"NSS could not {what} (NSS error {nss.PORT_GetError()}); the browser was not started.",
        hint="Check that the CA file holds the CA's certificate; run with --debug and report "
        "it if it does.",
    )


def uses_nss(platform: str) -> bool:
    """Whether Chromium reads its user's NSS database on this platform (sys.platform)."""
    return platform.startswith("linux")
