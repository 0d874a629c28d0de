"""License files the sandbox cannot read by eye: opaque (base64 of an encrypted blob), binary."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import get_args

import pytest
from typer.testing import CliRunner

from automation.sandbox.cli import sandbox_app
from automation.sandbox.licenses import (
    ACTIVATION_RE,
    SERIAL_RE,
    InvalidLicenseFile,
    issue_license,
    parse_license,
    random_serial,
    render_license,
)
from automation.sandbox.variants import LicenseEncoding
from tests.support.fixture_types import SignIn, StartSandbox
from tests.support.http import upload
from tests.support.markup import alerts

ENCODINGS: tuple[LicenseEncoding, ...] = get_args(LicenseEncoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_license_reads_back_identically_in_every_encoding(encoding: LicenseEncoding) -> None:
    lic = issue_license(random_serial(), end_date=None, edition_name="")
    assert parse_license(render_license(lic, encoding)) == lic


def test_text_stays_the_default_encoding() -> None:
    lic = issue_license(random_serial())
    assert render_license(lic) == render_license(lic, "text")
    assert render_license(lic).startswith(b"-----BEGIN OUTSYSTEMS LICENSE-----\n")


def test_an_opaque_file_is_base64_with_no_serial_or_activation_code_in_it() -> None:
    lic = issue_license("XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT")
    data = render_license(lic, "opaque")
    text = data.decode("ascii")
    assert base64.b64decode("".join(text.split()), validate=True)
    for hidden in (lic.serial_number, lic.activation_code, lic.organization_name, "Serial"):
        assert hidden not in text
    assert not re.search(SERIAL_RE, text) and not re.search(ACTIVATION_RE, text)


def test_a_binary_file_has_a_header_and_nuls_and_nothing_readable() -> None:
    lic = issue_license(random_serial())
    data = render_license(lic, "binary")
    assert data.startswith(b"OSLIC\x00\x01") and data.count(b"\x00") >= 1
    assert lic.serial_number.encode() not in data
    assert lic.activation_code.encode() not in data


@pytest.mark.parametrize("encoding", ["opaque", "binary"])
def test_each_encrypted_file_differs_but_holds_the_same_license(encoding: LicenseEncoding) -> None:
    lic = issue_license(random_serial())
    first, second = render_license(lic, encoding), render_license(lic, encoding)
    assert first != second
    assert parse_license(first) == parse_license(second) == lic


@pytest.mark.parametrize("encoding", ["opaque", "binary"])
def test_a_changed_encrypted_file_is_refused(encoding: LicenseEncoding) -> None:
    data = bytearray(render_license(issue_license(random_serial()), encoding))
    middle = len(data) // 2
    data[middle] = ord("A") if data[middle] != ord("A") else ord("B")
    with pytest.raises(InvalidLicenseFile):
        parse_license(bytes(data))


def test_an_opaque_license_backs_up_as_installed_and_reads_back(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    server = start_sandbox(license_encoding="opaque")
    backup = signed_in(server).get("/ServiceCenter/LicenseBackup.aspx").content
    assert backup == server.state.installed_bytes
    assert server.serial.encode() not in backup
    assert parse_license(backup) == server.state.installed_license


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_server_accepts_every_encoding_and_backs_up_the_bytes_it_was_given(
    start_sandbox: StartSandbox, signed_in: SignIn, encoding: LicenseEncoding
) -> None:
    server = start_sandbox(license_encoding="text")
    client = signed_in(server)
    lic = issue_license(server.serial, organization_name="Renewed Org")
    data = render_license(lic, encoding)
    assert alerts(upload(client, data).text) == []
    assert server.state.installed_license == lic
    assert client.get("/ServiceCenter/LicenseBackup.aspx").content == data


def test_an_encrypted_license_for_another_serial_is_refused_by_its_serial(
    start_sandbox: StartSandbox, signed_in: SignIn
) -> None:
    server = start_sandbox(license_encoding="binary")
    before = server.state.installed_bytes
    other = "XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT"
    refused = upload(signed_in(server), render_license(issue_license(other), "binary"))
    assert alerts(refused.text)[0].endswith(f"serial number '{other}'")
    assert server.state.installed_bytes == before


def test_sandbox_license_writes_the_encoding_asked_for(tmp_path: Path) -> None:
    serial = random_serial()
    out = tmp_path / "new.lic"
    args = ["license", "--out", str(out), "--serial", serial, "--encoding", "opaque"]
    result = CliRunner().invoke(sandbox_app, args)
    assert result.exit_code == 0, result.output
    assert serial.encode() not in out.read_bytes()
    assert parse_license(out.read_bytes()).serial_number == serial
