"""Run a sandbox Service Center with uvicorn, in a background thread or in the foreground."""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import uvicorn
from starlette.applications import Starlette

from automation.sandbox.app import SandboxConfig, SandboxState, create_app

if TYPE_CHECKING:
    from automation.sandbox.tls import Certificate

START_TIMEOUT_S = 10.0


def _uvicorn_config(
    app: Starlette, host: str, port: int, tls: Certificate | None = None
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
        timeout_graceful_shutdown=2,
        ssl_keyfile=tls.key if tls else None,
        ssl_certfile=tls.cert if tls else None,
    )


class SandboxServer:
    """One sandbox on a loopback port, served from a background thread of this process.

    With tls=True it serves HTTPS with a certificate signed by a throwaway CA made at start,
    which browsers refuse unless told to trust that CA (or to ignore HTTPS errors);
    `certificate` is the chain's PEM file while serving (the CA's certificate included), and
    `ca_out`, when given, gets the CA's certificate alone, removed on stop.
    """

    def __init__(
        self,
        config: SandboxConfig,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: bool = False,
        ca_out: Path | None = None,
    ) -> None:
        self._app = create_app(config)
        self._server: uvicorn.Server | None = None
        self._host, self._port, self._tls = host, port, tls
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._tls_dir: Path | None = None
        self._ca_out = ca_out
        self.state: SandboxState = self._app.state.sandbox
        self.certificate: Path | None = None
        self.url = ""

    def start(self) -> SandboxServer:
        """Bind, serve, and return once the socket accepts connections."""
        if self._server is not None:
            raise RuntimeError("a sandbox server starts once; make a new one to serve again")
        # Bound first: a port in use leaves no certificate behind (nor a CA file to trust).
        self._socket = sock = bind(self._host, self._port)
        try:
            tls = self._certificate() if self._tls else None
        except BaseException:
            self.stop()
            raise
        self._server = server = uvicorn.Server(
            _uvicorn_config(self._app, self._host, self._port, tls)
        )
        self.url = address(sock, tls=tls is not None)
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"sandbox {self.url}"
        )
        self._thread.daemon = True
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox at {self.url} did not start")
            time.sleep(0.005)
        return self

    def _certificate(self) -> Certificate:
        """The server's certificate from a throwaway CA, and the CA's at ca_out, if given."""
        # Only HTTPS needs `cryptography` (the signing extra): imported here alone.
        from automation.sandbox.tls import write_ca_signed

        # mkdtemp makes the directory readable by this user only; stop() removes it.
        self._tls_dir = Path(tempfile.mkdtemp(prefix="sandbox-tls-"))
        tls = write_ca_signed(self._tls_dir)
        self.certificate = tls.cert
        if self._ca_out is not None:
            self._ca_out.write_bytes(tls.ca)
        return tls

    def stop(self) -> None:
        """Stop serving, close open connections and join the thread."""
        for held in self.state.faults.holds.values():
            held.release()  # a request still held would hold up the end of serving
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        if self._tls_dir is not None:
            shutil.rmtree(self._tls_dir, ignore_errors=True)
            self._tls_dir = self.certificate = None
            if self._ca_out is not None:
                self._ca_out.unlink(missing_ok=True)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, before serving: so the port chosen for port 0 is known
    (and a port in use is said) before anything is served."""
    # An explicit IPPROTO_TCP lets asyncio set TCP_NODELAY on accepted connections; without
    # it every keep-alive response waits ~40 ms for a delayed ACK.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # Listening at once: a client told the address (the printed banner) may connect
        # before the server has started; it then waits in the backlog, not refused.
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def address(sock: socket.socket, *, tls: bool = False) -> str:
    """Where a bound socket serves, e.g. http://127.0.0.1:8080, with the port it really has."""
    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if sock.family == socket.AF_INET6 else host
    return f"{'https' if tls else 'http'}://{host}:{port}"


@contextmanager
def throwaway_tls(ca_out: Path) -> Iterator[Certificate]:
    """A certificate from a throwaway CA, in a folder only this user reads, and the CA's
    certificate at `ca_out` for the operator to trust; all removed afterwards."""
    from automation.sandbox.tls import write_ca_signed  # `cryptography` only for HTTPS

    with tempfile.TemporaryDirectory(prefix="sandbox-tls-") as directory:
        certificate = write_ca_signed(Path(directory))
        ca_out.write_bytes(certificate.ca)
        try:
            yield certificate
        finally:
            ca_out.unlink(missing_ok=True)


def serve(config: SandboxConfig, sock: socket.socket, tls: Certificate | None = None) -> None:
    """Serve on a bound socket in the foreground until Ctrl-C; HTTPS with `tls`."""
    host, port = sock.getsockname()[:2]
    with sock:
        served = _uvicorn_config(create_app(config), host, port, tls)
        uvicorn.Server(served).run(sockets=[sock])
