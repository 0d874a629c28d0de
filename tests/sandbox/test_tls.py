"""HTTPS with a self-signed certificate: refused by default, served when errors are ignored."""

from __future__ import annotations

import secrets
import ssl
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Error, expect

from automation.sandbox.app import SandboxConfig
from automation.sandbox.licenses import random_serial
from automation.sandbox.server import SandboxServer

LOGIN = "/ServiceCenter/Login.aspx"
PASSWORD = secrets.token_urlsafe(16)


@pytest.fixture
def tls_sandbox() -> Iterator[SandboxServer]:
    config = SandboxConfig(serial_number=random_serial(), password=PASSWORD)
    with SandboxServer(config, tls=True) as server:
        yield server


def test_https_is_refused_unless_verification_is_off(tls_sandbox: SandboxServer) -> None:
    assert tls_sandbox.url.startswith("https://127.0.0.1:")
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(f"{tls_sandbox.url}{LOGIN}")
    response = httpx.get(f"{tls_sandbox.url}{LOGIN}", verify=False)
    assert response.status_code == 200
    assert "Enter your OutSystems credentials" in response.text


def test_the_certificate_names_the_loopback_address_and_localhost(
    tls_sandbox: SandboxServer,
) -> None:
    assert tls_sandbox.certificate is not None
    trusting = ssl.create_default_context(cafile=tls_sandbox.certificate)
    port = tls_sandbox.url.rsplit(":", 1)[1]
    for host in ("127.0.0.1", "localhost"):
        response = httpx.get(f"https://{host}:{port}{LOGIN}", verify=trusting)
        assert response.status_code == 200


def test_the_key_and_certificate_are_removed_on_stop() -> None:
    config = SandboxConfig(serial_number=random_serial(), password=PASSWORD)
    with SandboxServer(config, tls=True) as server:
        assert server.certificate is not None
        folder = server.certificate.parent
        assert folder.stat().st_mode & 0o077 == 0
        assert sorted(p.name for p in folder.iterdir()) == ["sandbox.crt", "sandbox.key"]
    assert not folder.exists()


def test_chromium_refuses_the_certificate_unless_told_to_ignore_it(
    browser: Browser, tls_sandbox: SandboxServer
) -> None:
    strict = browser.new_context()
    try:
        with pytest.raises(Error, match="net::ERR_CERT_AUTHORITY_INVALID"):
            strict.new_page().goto(f"{tls_sandbox.url}{LOGIN}")
    finally:
        strict.close()
    lenient = browser.new_context(ignore_https_errors=True)
    try:
        page = lenient.new_page()
        page.goto(f"{tls_sandbox.url}/ServiceCenter")
        expect(page.get_by_text("Enter your OutSystems credentials")).to_be_visible()
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Login").click()
        expect(page.get_by_role("link", name="Administration", exact=True)).to_be_visible()
    finally:
        lenient.close()
