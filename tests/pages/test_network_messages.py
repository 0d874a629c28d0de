"""What the operator reads when Service Center cannot be reached: the proxy the pages went
through is named in every such message, and a certificate refusal points to --ca-file."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.errors import CannotReach
from automation.pages import network
from automation.proxy import proxy_option

URL = "https://sc.corp.example/ServiceCenter"
PROXY = "http://proxy.corp.example:3128"
THROUGH = f"through proxy {PROXY} (from HTTPS_PROXY)"


@pytest.fixture
def proxied() -> Iterator[None]:
    token = network.proxy.set(proxy_option(f"http://jane:pw@{PROXY[7:]}", "HTTPS_PROXY"))
    yield
    network.proxy.reset(token)


def failed(reason: str) -> PlaywrightError:
    return PlaywrightError(f"Page.goto: net::{reason} at {URL}")


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (failed("ERR_CONNECTION_REFUSED"), f"did not answer {THROUGH} (ERR_CONNECTION_REFUSED)."),
        (failed("ERR_NAME_NOT_RESOLVED"), f"is not known here (ERR_NAME_NOT_RESOLVED) {THROUGH}."),
        (PlaywrightTimeoutError("Timeout 30000ms exceeded."), f"did not answer in time {THROUGH}."),
        (
            failed("ERR_CERT_AUTHORITY_INVALID"),
            f"does not trust (ERR_CERT_AUTHORITY_INVALID) {THROUGH}.",
        ),
        (
            failed("ERR_TUNNEL_CONNECTION_FAILED"),
            f"The proxy {PROXY} (from HTTPS_PROXY) did not take the request for Service Center "
            f"at {URL} (ERR_TUNNEL_CONNECTION_FAILED).",
        ),
        (
            failed("ERR_PROXY_CONNECTION_FAILED"),
            f"The proxy {PROXY} (from HTTPS_PROXY) did not take the request",
        ),
    ],
)
@pytest.mark.usefixtures("proxied")
def test_every_network_error_names_the_proxy_without_its_password(
    error: PlaywrightError, said: str
) -> None:
    message = str(network.unreachable(URL, error))
    assert said in message
    assert "jane" not in message and ":pw" not in message


@pytest.mark.usefixtures("proxied")
def test_a_502_through_a_proxy_says_it_may_be_the_proxys() -> None:
    unavailable = network.unavailable(URL, 502)
    assert unavailable.message == f"Service Center at {URL} is unavailable {THROUGH}: HTTP 502."
    assert "comes from the proxy itself" in unavailable.hint and unavailable.transient


def test_without_a_proxy_the_messages_say_none() -> None:
    assert network.unavailable(URL, 503).message == (
        f"Service Center at {URL} is unavailable (HTTP 503)."
    )
    refused: CannotReach = network.unreachable(URL, failed("ERR_CERT_COMMON_NAME_INVALID"))
    assert "proxy" not in refused.message
    assert "--ca-file FILE (ca_file = in the inventory): certificates are still checked" in (
        refused.hint
    )
    assert "A proxy that inspects HTTPS" not in refused.hint
