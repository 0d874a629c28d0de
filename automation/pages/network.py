"""What a failed page load means for the operator, and whether it is worth another try;
every message names the proxy the pages went through, if any."""

from __future__ import annotations

import re
from contextvars import ContextVar

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.errors import CannotReach
from automation.proxy import ProxyOptions

TRANSIENT_STATUSES = {502, 503, 504}
# Network errors that pass: a server restarting, a connection dropped on the way.
TRANSIENT_ERRORS = {
    "ERR_CONNECTION_REFUSED",
    "ERR_CONNECTION_RESET",
    "ERR_CONNECTION_CLOSED",
    "ERR_CONNECTION_TIMED_OUT",
    "ERR_EMPTY_RESPONSE",
    "ERR_TIMED_OUT",
    "ERR_NETWORK_CHANGED",
    "ERR_SOCKET_NOT_CONNECTED",
    "ERR_ADDRESS_UNREACHABLE",
}
# The proxy the run's pages go through (None: directly), set by the runner for its flow.
proxy: ContextVar[ProxyOptions | None] = ContextVar("proxy", default=None)
CHANGE_PROXY = (
    "give another with --proxy (or proxy = in the inventory), or name Service Center's host "
    "in NO_PROXY to reach it directly"
)


def through() -> str:
    """' through proxy http://host:port (from HTTPS_PROXY)', or '' for pages reached directly."""
    used = proxy.get()
    return f" through proxy {used.url} (from {used.source})" if used else ""


def unavailable(url: str, status: int) -> CannotReach:
    """Service Center's address answered with a status that passes (502, 503, 504)."""
    if proxy.get() is None:
        return CannotReach(
            f"Service Center at {url} is unavailable (HTTP {status}).",
            hint="The server may be restarting; run again in a few minutes.",
            transient=True,
        )
    return CannotReach(
        f"Service Center at {url} is unavailable{through()}: HTTP {status}.",
        hint=f"Through a proxy, HTTP {status} mostly comes from the proxy itself (it could not "
        "reach Service Center, or may not): check that the proxy lets this machine reach "
        f"Service Center, or {CHANGE_PROXY}. If the server is restarting, run again in a few "
        "minutes.",
        transient=True,
    )


def unreachable(url: str, error: PlaywrightError) -> CannotReach:
    """Why the browser could not load `url`, in the operator's terms."""
    if isinstance(error, PlaywrightTimeoutError):
        return CannotReach(
            f"Service Center at {url} did not answer in time{through()}.",
            hint="Check the server's load"
            + (" and the proxy" if proxy.get() else "")
            + ", or allow more time with --navigation-timeout.",
            transient=True,
        )
    match = re.search(r"net::(ERR_[A-Z_]+)", str(error))
    reason = match.group(1) if match else str(error).splitlines()[0]
    used = proxy.get()
    if used is not None and (reason.startswith("ERR_PROXY_") or reason.startswith("ERR_TUNNEL")):
        return CannotReach(
            f"The proxy {used.url} (from {used.source}) did not take the request for Service "
            f"Center at {url} ({reason}).",
            hint="Check the proxy's address and that it lets this machine reach Service Center "
            f"(a tunnel refused: it answered with an error, e.g. 502 or 403); {CHANGE_PROXY}.",
            transient=reason in TRANSIENT_ERRORS,
        )
    if reason.startswith("ERR_CERT_") or reason.startswith("ERR_SSL_"):
        inspecting = (
            " A proxy that inspects HTTPS shows a certificate of its own CA: that is the CA to "
            "trust."
            if used
            else ""
        )
        return CannotReach(
            f"Service Center at {url} has a certificate this machine does not trust "
            f"({reason}){through()}.",
            hint="Use the address its certificate is issued for, or trust the CA that issued it "
            "with --ca-file FILE (ca_file = in the inventory): certificates are still checked."
            f"{inspecting} If you know the server and accept an untrusted (e.g. self-signed) "
            "certificate, run with --ignore-https-errors: it is recorded as a warning in run.json.",
        )
    if reason == "ERR_NAME_NOT_RESOLVED":
        return CannotReach(
            f"The host name in {url} is not known here ({reason}){through()}.",
            hint="Check the address for typos, and DNS or VPN on this machine.",
        )
    return CannotReach(
        f"Service Center at {url} did not answer{through()} ({reason}).",
        hint="Check the address, that the server is running, and that this machine may "
        "reach it (VPN, proxy, firewall).",
        transient=reason in TRANSIENT_ERRORS,
    )
