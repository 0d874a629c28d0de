"""The proxy a run's pages go through: one given (--proxy, the inventory's proxy =), else
the one the proxy variables give for Service Center's address, decided as Chromium decides it
on Linux (its ProxyConfigServiceLinux), which Playwright-launched Chromium does by itself
there. Deciding it here names it in the evidence and in every network error, and applies the
variables on Windows and macOS too, where Chromium reads the system's settings instead."""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from automation.errors import BadInput

PROXY_SCHEMES = ("http", "https", "socks4", "socks5")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


class ProxyOptions(BaseModel):
    """A proxy the pages are reached through: its address without credentials (what the
    evidence and the messages show), the credentials apart, and where it was given."""

    model_config = ConfigDict(frozen=True)

    url: str  # scheme://host:port
    source: str  # "--proxy", "proxy = in the inventory", or the variable, e.g. "HTTPS_PROXY"
    username: str | None = None
    password: SecretStr | None = None
    # Hosts reached without it, as Chromium takes them (from NO_PROXY).
    bypass: str | None = None

    def playwright_args(self) -> dict[str, str]:
        """Playwright's proxy settings of a context: the address, its credentials apart
        (Chromium takes none in the address), and the hosts reached without it."""
        args = {"server": self.url}
        if self.username is not None:
            args["username"] = self.username
        if self.password is not None:
            args["password"] = self.password.get_secret_value()
        if self.bypass:
            args["bypass"] = self.bypass
        return args


def proxy_option(given: str, source: str) -> ProxyOptions:
    """A proxy's address as an operator gives it (scheme://[user:password@]host:port; without
    a scheme, http), or a clear refusal that never repeats its password."""
    text = given.strip()
    parts = urlsplit(text if "://" in text else f"http://{text}")
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        port, host = None, ""
    if scheme not in PROXY_SCHEMES or not host or parts.path.strip("/") or parts.query:
        shown = f"{scheme}://{parts.netloc.rpartition('@')[2]}"  # a password stays unsaid
        raise BadInput(
            f"The proxy from {source} ({shown}) is not a proxy's address.",
            hint="Give scheme://host:port, e.g. http://proxy.example.com:3128 (http, https, "
            "socks4 or socks5); a user and password may come before the host (user:password@).",
        )
    host = f"[{host}]" if ":" in host else host
    return ProxyOptions(
        url=f"{scheme}://{host}" + (f":{port}" if port else ""),
        source=source,
        username=unquote(parts.username) if parts.username else None,
        password=SecretStr(unquote(parts.password)) if parts.password else None,
    )


def proxy_variable(variables: Mapping[str, str], name: str) -> tuple[str, str] | None:
    """A proxy variable as Chromium reads it: the lower-case name first, then the upper-case
    one; (its name, its value), or None when neither is set or the one set is empty."""
    for spelled in (name.lower(), name.upper()):
        if spelled in variables:
            value = variables[spelled].strip()
            return (spelled, value) if value else None
    return None


def environment_proxy(url: str, variables: Mapping[str, str]) -> ProxyOptions | None:
    """The proxy the variables give for `url`, by Chromium's rules on Linux (its
    ProxyConfigServiceLinux): ALL_PROXY for every address when set, else HTTPS_PROXY for
    https:// and HTTP_PROXY for http:// (neither stands in for the other); none for an
    address NO_PROXY names or for this machine's own (loopback) addresses."""
    parts = urlsplit(url)
    found = proxy_variable(variables, "all_proxy") or proxy_variable(
        variables, "https_proxy" if parts.scheme == "https" else "http_proxy"
    )
    if found is None:
        return None
    no_proxy = proxy_variable(variables, "no_proxy")
    rules = [r.strip() for r in re.split(r"[,;]", no_proxy[1] if no_proxy else "") if r.strip()]
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme, 0)
    if bypassed((parts.hostname or "").lower(), port, rules):
        return None
    proxy = proxy_option(found[1], found[0])
    # Loopback addresses stay direct, as Chromium keeps them (Playwright would proxy them
    # when the list names none).
    bypass = ",".join([*LOOPBACK_NAMES, *(_suffix_rule(rule) for rule in rules)])
    return proxy.model_copy(update={"bypass": bypass})


def bypassed(host: str, port: int, rules: list[str]) -> bool:
    """Whether NO_PROXY's rules send `host` direct, as Chromium reads them from the
    environment: "*" for every host; a host name as a suffix ("example.com" also matches
    www.example.com); an IP address or block (10.0.0.0/8); each with an optional :port. This
    machine's own addresses go direct too, unless a rule says <-loopback>."""
    if "*" in rules:
        return True
    address = _ip(host)
    if "<-loopback>" not in rules and (
        host == "localhost"
        or host.endswith(".localhost")
        or (address is not None and address.is_loopback)
    ):
        return True
    for rule in rules:
        pattern, _, rule_port = rule.rpartition(":") if _has_port(rule) else (rule, "", "")
        if rule_port and rule_port != str(port):
            continue
        pattern = re.sub(r"^[a-z]+://", "", pattern.lower()).strip("[]")
        if "/" in pattern or _ip(pattern) is not None:
            network = _network(pattern)
            if address is not None and network is not None and address in network:
                return True
        elif pattern and fnmatch.fnmatchcase(host, _suffix_rule(pattern)):
            return True
    return False


def _suffix_rule(rule: str) -> str:
    """A NO_PROXY host name as the pattern Chromium makes of it ("example.com" matches
    anything ending so, "*example.com"); other rules as they are."""
    plain = rule.strip("[]")
    if rule.startswith(("*", "<")) or "/" in rule or _ip(plain) is not None:
        return rule
    return f"*{rule}"


def _has_port(rule: str) -> bool:
    """Whether a rule ends with :port (an IPv6 address is in brackets when it has one)."""
    return bool(re.search(r"(^[^:]*|\])\:\d+$", rule))


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
