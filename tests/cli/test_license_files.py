"""License files as operators hand them over: what is plainly no license is refused before any
of it is kept, and a file whose text was changed in transit is named when Service Center
rejects it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from automation.errors import ExitCode
from automation.evidence.secret_scan import scan
from tests.support.cli import run_folders
from tests.support.fixture_types import RunCli
from tests.support.sandboxes import Sandbox

# Stands for what a key file must not leave anywhere in the evidence.
KEY_MATERIAL = "S3CR3TK3YM4T3R14L0123456789"


def pem(label: str) -> bytes:
    return f"-----BEGIN {label}-----\n{KEY_MATERIAL}\n-----END {label}-----\n".encode()


NOT_LICENSES = {
    "rsa-private-key": (pem("RSA PRIVATE KEY"), "is a private key"),
    "pkcs8-private-key": (pem("PRIVATE KEY"), "is a private key"),
    "openssh-private-key": (pem("OPENSSH PRIVATE KEY"), "is a private key"),
    "pgp-private-key": (pem("PGP PRIVATE KEY BLOCK"), "is a private key"),
    "putty-private-key": (
        f"PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\n{KEY_MATERIAL}\n".encode(),
        "is a PuTTY private key",
    ),
    "ssh-public-key": (
        f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5{KEY_MATERIAL} admin@host\n".encode(),
        "is an SSH public key",
    ),
    "zip-archive": (
        b"PK\x03\x04\x14\x00" + KEY_MATERIAL.encode(),
        "is a zip archive (or an Office document)",
    ),
    "pdf-document": (b"%PDF-1.7\n" + KEY_MATERIAL.encode(), "is a PDF document"),
    "png-image": (b"\x89PNG\r\n\x1a\n\x00\x00" + KEY_MATERIAL.encode(), "is a PNG image"),
}


@pytest.mark.parametrize(("data", "says"), NOT_LICENSES.values(), ids=NOT_LICENSES.keys())
def test_what_is_plainly_no_license_is_refused_before_any_of_it_is_kept(
    data: bytes, says: str, sandbox: Sandbox, run_cli: RunCli, tmp_path: Path
) -> None:
    given = tmp_path / "renewal.lic"
    given.write_bytes(data)
    done = run_cli(
        ["install", "--url", sandbox.url, "--user", "admin", "--license", str(given)],
        password=sandbox.password,
    )

    said = " ".join((done.stdout + done.stderr).split())
    assert done.exit_code == ExitCode.BAD_INPUT, said
    assert f"renewal.lic {says}, not a license file; nothing of it was kept" in said
    assert sandbox.server.state.uploads == []
    [folder] = run_folders(tmp_path)  # the refusal itself is recorded
    record = json.loads((folder / "run.json").read_text())
    assert record["exit_code"] == ExitCode.BAD_INPUT
    assert record["license_file"] is None
    assert [a for a in record["artifacts"] if a["role"] == "uploaded license"] == []
    assert scan(folder, KEY_MATERIAL) == []


CHANGES: dict[str, Callable[[bytes], bytes]] = {
    "windows-line-endings": lambda data: data.replace(b"\n", b"\r\n"),
    "a-byte-order-mark": lambda data: b"\xef\xbb\xbf" + data,
    "both": lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"),
}
NAMED = {
    "windows-line-endings": "has Windows line endings (CRLF)",
    "a-byte-order-mark": "has a byte-order mark",
    "both": "has a byte-order mark and Windows line endings (CRLF)",
}


@pytest.mark.parametrize("change", CHANGES.keys())
def test_a_file_changed_in_transit_is_named_when_service_center_rejects_it(
    change: str, sandbox: Sandbox, new_license: Path, run_cli: RunCli
) -> None:
    new_license.write_bytes(CHANGES[change](new_license.read_bytes()))
    done = run_cli(
        ["install", "--url", sandbox.url, "--user", "admin", "--license", str(new_license)],
        password=sandbox.password,
    )

    said = " ".join((done.stdout + done.stderr).split())
    assert done.exit_code == ExitCode.NOT_INSTALLED, said
    assert f"{new_license.name} {NAMED[change]}" in said
    assert "Download it again from the Licensing Portal and give it as it came" in said
