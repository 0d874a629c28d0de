"""Which proxy a run's pages go through: --proxy and the inventory's as given, else the proxy
variables as Chromium applies them on Linux; and a password in a proxy's address is kept
apart, never in what is shown or recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.config import PageOptions
from automation.errors import BadInput
from automation.inventory import load_inventory
from automation.proxy import environment_proxy, proxy_option

PROXY = "http://proxy.corp.example:3128"
OTHER = "http://other.corp.example:8080"
SC = "https://sc.corp.example/ServiceCenter"
PLAIN = "http://sc.corp.example/ServiceCenter"


@pytest.mark.parametrize(
    ("url", "variables", "expected"),
    [
        (SC, {"HTTPS_PROXY": PROXY}, (PROXY, "HTTPS_PROXY")),
        (SC, {"https_proxy": PROXY, "HTTPS_PROXY": OTHER}, (PROXY, "https_proxy")),
        (PLAIN, {"HTTP_PROXY": PROXY}, (PROXY, "HTTP_PROXY")),
        # Neither stands in for the other, as in Chromium.
        (SC, {"HTTP_PROXY": PROXY}, None),
        (PLAIN, {"HTTPS_PROXY": PROXY}, None),
        # ALL_PROXY wins over the per-scheme ones, as in Chromium (not as in curl).
        (SC, {"ALL_PROXY": OTHER, "HTTPS_PROXY": PROXY}, (OTHER, "ALL_PROXY")),
        (SC, {"HTTPS_PROXY": "proxy.corp.example:3128"}, (PROXY, "HTTPS_PROXY")),
        (SC, {"HTTPS_PROXY": ""}, None),
        # NO_PROXY: host names as suffixes, "*" for all, addresses and blocks, ports.
        (SC, {"HTTPS_PROXY": PROXY, "NO_PROXY": "corp.example"}, None),
        (SC, {"HTTPS_PROXY": PROXY, "NO_PROXY": ".corp.example"}, None),
        (SC, {"HTTPS_PROXY": PROXY, "no_proxy": "localhost, sc.corp.example"}, None),
        (SC, {"HTTPS_PROXY": PROXY, "NO_PROXY": "*"}, None),
        (SC, {"HTTPS_PROXY": PROXY, "NO_PROXY": "other.example"}, (PROXY, "HTTPS_PROXY")),
        (SC, {"HTTPS_PROXY": PROXY, "NO_PROXY": "sc.corp.example:8443"}, (PROXY, "HTTPS_PROXY")),
        (SC, {"HTTPS_PROXY": PROXY, "NO_PROXY": "sc.corp.example:443"}, None),
        ("https://10.1.2.3/ServiceCenter", {"HTTPS_PROXY": PROXY, "NO_PROXY": "10.0.0.0/8"}, None),
        # This machine's own addresses go direct, unless NO_PROXY says <-loopback>.
        ("http://127.0.0.1:8080/ServiceCenter", {"HTTP_PROXY": PROXY}, None),
        ("http://localhost:8080/ServiceCenter", {"HTTP_PROXY": PROXY}, None),
        (
            "http://127.0.0.1:8080/ServiceCenter",
            {"HTTP_PROXY": PROXY, "NO_PROXY": "<-loopback>"},
            (PROXY, "HTTP_PROXY"),
        ),
        (SC, {}, None),
    ],
)
def test_the_variables_give_the_proxy_chromium_would_use(
    url: str, variables: dict[str, str], expected: tuple[str, str] | None
) -> None:
    proxy = environment_proxy(url, variables)
    found = (proxy.url, proxy.source) if proxy else None
    assert found == expected


def test_a_variables_proxy_keeps_loopback_and_no_proxy_direct_for_chromium() -> None:
    proxy = environment_proxy(SC, {"HTTPS_PROXY": PROXY, "NO_PROXY": "intranet,.example.org"})
    assert proxy is not None
    assert proxy.bypass == "localhost,127.0.0.1,[::1],*intranet,*.example.org"


@pytest.mark.parametrize(
    ("given", "url", "username"),
    [
        ("http://proxy.corp.example:3128", "http://proxy.corp.example:3128", None),
        ("proxy.corp.example:3128", "http://proxy.corp.example:3128", None),
        ("HTTP://Proxy.Corp.Example:3128/", "http://proxy.corp.example:3128", None),
        ("socks5://10.0.0.1:1080", "socks5://10.0.0.1:1080", None),
        ("http://[::1]:3128", "http://[::1]:3128", None),
        (
            "http://jane:s3cret%40x@proxy.corp.example:3128",
            "http://proxy.corp.example:3128",
            "jane",
        ),
    ],
)
def test_a_proxy_is_kept_without_its_credentials(
    given: str, url: str, username: str | None
) -> None:
    proxy = proxy_option(given, "--proxy")
    assert (proxy.url, proxy.username) == (url, username)
    assert "s3cret" not in proxy.model_dump_json() and "s3cret" not in repr(proxy)
    if username:
        assert proxy.password is not None and proxy.password.get_secret_value() == "s3cret@x"


@pytest.mark.parametrize(
    "given",
    [
        "ftp://jane:s3cret@proxy.corp.example:21",
        "http://jane:s3cret@proxy.corp.example:99999",
        "http://jane:s3cret@proxy.corp.example:3128/path",
        "http://jane:s3cret@",
    ],
)
def test_a_bad_proxy_is_refused_without_repeating_its_password(given: str) -> None:
    with pytest.raises(BadInput) as refused:
        proxy_option(given, "--proxy")
    said = str(refused.value)
    assert said.startswith("The proxy from --proxy (") and "is not a proxy's address" in said
    assert "s3cret" not in said and "jane" not in said


def test_the_inventorys_proxy_wins_over_proxy_and_the_variables(tmp_path: Path) -> None:
    path = tmp_path / "environments.toml"
    path.write_text(
        f'[[environment]]\nname = "prod"\nurl = "{SC}"\nproxy = "http://u:pw@proxy.corp.example:3128"\n'
        f'\n[[environment]]\nname = "test"\nurl = "{SC}"\n'
    )
    prod, test = load_inventory(path).environment
    base = PageOptions(proxy=proxy_option(OTHER, "--proxy"), proxy_variables={"HTTPS_PROXY": PROXY})

    own = prod.page_options(base).for_address(SC).proxy
    given = test.page_options(base).for_address(SC).proxy

    assert own is not None and (own.url, own.source) == (PROXY, "proxy = in the inventory")
    assert given is not None and (given.url, given.source) == (OTHER, "--proxy")
    plain = PageOptions(proxy_variables={"HTTPS_PROXY": PROXY}).for_address(SC).proxy
    assert plain is not None and plain.source == "HTTPS_PROXY"


def test_a_bad_proxy_in_the_inventory_is_named_by_its_line_without_its_password(
    tmp_path: Path,
) -> None:
    path = tmp_path / "environments.toml"
    path.write_text(
        f'[[environment]]\nname = "prod"\nurl = "{SC}"\nproxy = "ftp://u:s3cret@proxy:21"\n'
    )
    with pytest.raises(BadInput) as refused:
        load_inventory(path)
    said = str(refused.value)
    assert "environments.toml line 4, environment #1 ('prod'), field proxy" in said
    assert "s3cret" not in said
