"""A proxy is never invisible: the one a run's pages go through (--proxy, or a proxy
variable as Chromium applies it) is named in the message when Service Center cannot be
reached, and recorded in run.json and the report, never with its password."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from automation.errors import ExitCode
from tests.support.cli import run_folders
from tests.support.fixture_types import RunCli
from tests.support.net import free_port

SECRET = "s3cret-proxy-pw"


class BadGateway(BaseHTTPRequestHandler):
    """A proxy that cannot reach anything: every request and tunnel gets 502 Bad Gateway."""

    def answer(self) -> None:
        body = b"<h1>502 Bad Gateway</h1>"
        self.send_response(502)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_CONNECT = answer

    def log_message(self, format: str, *args: object) -> None:
        pass  # a test's proxy keeps quiet


@pytest.fixture
def bad_gateway() -> Iterator[str]:
    """A proxy on a loopback port that answers 502 to everything: its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BadGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_proxy_answering_502_is_named_with_where_it_came_from_never_with_its_password(
    run_cli: RunCli, tmp_path: Path, bad_gateway: str
) -> None:
    url = f"http://127.0.0.1:{free_port()}/ServiceCenter"
    with_password = bad_gateway.replace("//", f"//jane:{SECRET}@")

    done = run_cli(
        ["status", "--url", url, "--user", "admin", "--proxy", with_password], password="x"
    )

    said = " ".join(done.stderr.split())
    assert done.exit_code == ExitCode.UNREACHABLE, done.stderr
    assert (
        f"Service Center at {url} is unavailable through proxy {bad_gateway} (from --proxy): "
        "HTTP 502." in said
    )
    assert "mostly comes from the proxy itself" in said
    [folder] = run_folders(tmp_path)
    record = json.loads((folder / "run.json").read_text())
    assert record["proxy"] == {"source": "--proxy", "url": bad_gateway}
    assert f"through proxy {bad_gateway}" in record["error"]["message"]
    report = (folder / "report.html").read_text()
    assert "Proxy" in report and bad_gateway in report
    everything = [done.stdout, done.stderr] + [
        f.read_text(errors="replace") for f in folder.rglob("*") if f.is_file()
    ]
    assert not [text for text in everything if SECRET in text]


def test_the_proxy_from_http_proxy_is_named_as_chromium_uses_it(
    run_cli: RunCli, tmp_path: Path, bad_gateway: str
) -> None:
    # Not a loopback address: Chromium sends those past the variables' proxy.
    url = "http://service-center.test/ServiceCenter"

    done = run_cli(
        ["status", "--url", url, "--user", "admin"],
        password="x",
        env={"HTTP_PROXY": bad_gateway, "NO_PROXY": "localhost"},
    )

    said = " ".join(done.stderr.split())
    assert done.exit_code == ExitCode.UNREACHABLE, done.stderr
    assert f"unavailable through proxy {bad_gateway} (from HTTP_PROXY): HTTP 502." in said
    record = json.loads((run_folders(tmp_path)[0] / "run.json").read_text())
    assert record["proxy"] == {"source": "HTTP_PROXY", "url": bad_gateway}


def test_a_proxy_that_does_not_answer_is_named_as_the_one_that_failed(
    run_cli: RunCli, tmp_path: Path
) -> None:
    proxy = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    url = f"http://127.0.0.1:{free_port()}/ServiceCenter"

    done = run_cli(["status", "--url", url, "--user", "admin", "--proxy", proxy], password="x")

    said = " ".join(done.stderr.split())
    assert done.exit_code == ExitCode.UNREACHABLE, done.stderr
    assert (
        f"The proxy {proxy} (from --proxy) did not take the request for Service Center at {url} "
        "(ERR_PROXY_CONNECTION_FAILED)." in said
    )
