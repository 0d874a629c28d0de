"""--ca-file: a Service Center whose certificate comes from an internal CA is reached with
that CA trusted and certificates still checked, and the run records which CA file it
trusted; without it the run says which option would help. Elsewhere than Linux, and for a
remote browser, it is refused saying where the CA goes instead."""

from __future__ import annotations

import hashlib
import json
import secrets
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from automation.browser.trust import read_certificates
from automation.cli.settings import trust_refused
from automation.errors import BadInput, ExitCode
from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import issue_license, random_serial
from automation.sandbox.server import SandboxServer
from tests.support.cli import run_folders
from tests.support.fixture_types import RunCli
from tests.support.in_process import invoke

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Chromium's NSS store")
PASSWORD = secrets.token_urlsafe(16)


@pytest.fixture
def internal_ca_server(tmp_path: Path) -> Iterator[tuple[SandboxServer, Path]]:
    """A sandbox serving HTTPS with a certificate from a throwaway CA, and that CA's file."""
    serial = random_serial()
    config = SandboxConfig(serial_number=serial, password=PASSWORD, license=issue_license(serial))
    ca = tmp_path / "corporate-ca.crt"
    with SandboxServer(config, tls=True, ca_out=ca) as server:
        yield server, ca


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "holds no certificate"),
        (b"hello", "holds no certificate"),
        (b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n", "holds no certificate"),
        (b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", "holds no certificate"),
    ],
)
def test_a_ca_file_without_a_certificate_is_refused_naming_it(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "ca.pem"
    path.write_bytes(content)
    with pytest.raises(BadInput, match=problem) as refused:
        read_certificates(path)
    assert str(path) in refused.value.message


def test_a_ca_file_is_read_as_pem_bundle_or_der(tmp_path: Path) -> None:
    config = SandboxConfig(serial_number=random_serial(), password=PASSWORD)
    ca = tmp_path / "ca.pem"
    with SandboxServer(config, tls=True, ca_out=ca) as server:
        assert server.certificate is not None
        chain = read_certificates(server.certificate)  # the server's and the CA's
        der = tmp_path / "ca.cer"
        der.write_bytes(ssl.PEM_cert_to_DER_cert(ca.read_text()))
        assert len(chain) == 2 and read_certificates(der) == [chain[1]]


def test_the_ca_file_from_its_variable_is_read_before_any_browser_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "corporate-ca.pem"
    monkeypatch.setenv("SC_LICENSE_CA_FILE", str(missing))

    done = invoke(["status", "--url", "https://127.0.0.1:9/ServiceCenter", "--user", "admin"])

    assert done.exit_code == ExitCode.BAD_INPUT
    assert f"Cannot read the CA file {missing}: No such file or directory." in done.text


@pytest.mark.parametrize(
    ("endpoint", "platform", "said"),
    [
        ("http://127.0.0.1:9222", "linux", "the browser at http://127.0.0.1:9222 trusts"),
        (None, "win32", "Windows' certificate store"),
        (None, "darwin", "the macOS keychain"),
    ],
)
def test_a_ca_file_is_refused_where_the_browser_does_not_read_it(
    endpoint: str | None, platform: str, said: str
) -> None:
    with pytest.raises(BadInput, match=said):
        trust_refused(endpoint, platform)
    trust_refused(None, "linux")


@LINUX
def test_an_internal_cas_server_is_reached_with_ca_file_and_the_ca_recorded(
    run_cli: RunCli, tmp_path: Path, internal_ca_server: tuple[SandboxServer, Path]
) -> None:
    server, ca = internal_ca_server
    status = ["status", "--url", f"{server.url}/ServiceCenter", "--user", "admin"]

    refused = run_cli(status, password=PASSWORD)
    done = run_cli([*status, "--ca-file", str(ca)], password=PASSWORD)

    said = " ".join(refused.stderr.split())
    assert refused.exit_code == ExitCode.UNREACHABLE
    assert "a certificate this machine does not trust (ERR_CERT_AUTHORITY_INVALID)" in said
    assert "trust the CA that issued it with --ca-file FILE" in said
    assert done.exit_code == ExitCode.OK, done.stderr
    record = json.loads((run_folders(tmp_path)[-1] / "run.json").read_text())
    sha256 = hashlib.sha256(ca.read_bytes()).hexdigest()
    assert record["ca_files"] == [{"path": str(ca), "sha256": sha256}]
    assert record["warnings"] == []  # verification stayed on
    report = (run_folders(tmp_path)[-1] / "report.html").read_text()
    assert "Trusted CA" in report and sha256 in report


@LINUX
def test_an_inventorys_ca_file_is_trusted_beside_the_inventory(
    run_cli: RunCli, tmp_path: Path, internal_ca_server: tuple[SandboxServer, Path]
) -> None:
    server, ca = internal_ca_server
    (tmp_path / "environments.toml").write_text(
        f'[[environment]]\nname = "internal"\nurl = "{server.url}/ServiceCenter"\n'
        f'ca_file = "{ca.name}"\n'
    )

    done = run_cli(
        ["status", "--env", "internal", "--json"], env={"SC_LICENSE_PASSWORD_INTERNAL": PASSWORD}
    )

    assert done.exit_code == ExitCode.OK, done.stderr
    [run] = [f for f in run_folders(tmp_path) if f.name.endswith("-internal-status")]
    record = json.loads((run / "run.json").read_text())
    assert [entry["path"] for entry in record["ca_files"]] == [str(ca)]
