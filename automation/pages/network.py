"""What a failed page load means for the operator, and whether it is worth another try."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.errors import CannotReach

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


def unreachable(url: str, error: PlaywrightError) -> CannotReach:
    """Why the browser could not load `url`, in the operator's terms."""
    if isinstance(error, PlaywrightTimeoutError):
        return CannotReach(
            f"Service Center at {url} did not answer in time.",
            hint="Check the server's load, or allow more time with --navigation-timeout.",
            transient=True,
        )
    match = re.search(r"net::(ERR_[A-Z_]+)", str(error))
    reason = match.group(1) if match else str(error).splitlines()[0]
    if reason.startswith("ERR_CERT_") or reason.startswith("ERR_SSL_"):
        return CannotReach(
            f"Service Center at {url} has a certificate this machine does not trust ({reason}).",
            hint="Use the address its certificate is issued for, or install its CA. If you "
            "know the server and accept an untrusted (e.g. self-signed) certificate, run "
            "with --ignore-https-errors: it is recorded as a warning in run.json.",
        )
    if reason == "ERR_NAME_NOT_RESOLVED":
        return CannotReach(
            f"The host name in {url} is not known here ({reason}).",
            hint="Check the address for typos, and DNS or VPN on this machine.",
        )
    return CannotReach(
        f"Service Center at {url} did not answer ({reason}).",
        hint="Check the address, that the server is running, and that this machine may "
        "reach it (VPN, proxy, firewall).",
        transient=reason in TRANSIENT_ERRORS,
    )
