"""`sc-license sandbox ...`: run a local Service Center and issue licenses it accepts."""

from __future__ import annotations

import os
import re
import secrets
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from automation.option_groups import with_option_groups
from automation.sandbox.faults import FAULT_HELP, SandboxFaults, parse_faults
from automation.sandbox.licenses import (
    SERIAL_RE,
    InvalidLicenseFile,
    SandboxLicense,
    issue_license,
    parse_license,
    random_serial,
    render_license,
)
from automation.sandbox.stage import Stage
from automation.sandbox.variants import LICENSE_ENCODING_HELP, LicenseEncoding

if TYPE_CHECKING:
    from automation.sandbox.state import SandboxConfig
    from automation.sandbox.tls import Certificate

sandbox_app = typer.Typer(help="A local Service Center for rehearsal, demos and tests.")
errors = Console(stderr=True)

Serial = Annotated[
    str | None,
    typer.Option(metavar="SERIAL", help="The server's Serial Number (default: a random one)."),
]


@sandbox_app.command()
@with_option_groups
def serve(
    stage: Stage,
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0: a free one, printed).")
    ] = 8080,
    serial: Serial = None,
    environment_name: Annotated[
        str, typer.Option(metavar="NAME", help="Name in the sidebar.")
    ] = "Development",
    user: Annotated[
        str, typer.Option(metavar="NAME", help="The administrator's user name.")
    ] = "admin",
    license: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="License file installed at start (default: a fresh one)."
        ),
    ] = None,
    invalid_after_uploads: Annotated[
        int,
        typer.Option(
            help="Fault: accept the next N uploads, then show each as invalid (clock lag)."
        ),
    ] = 0,
    fault: Annotated[
        list[str] | None, typer.Option(metavar="NAME[=VALUE]", help=FAULT_HELP)
    ] = None,
    tls: Annotated[
        bool,
        typer.Option(
            "--tls", help="Serve HTTPS, with a certificate from a throwaway CA (see --ca-out)."
        ),
    ] = False,
    ca_out: Annotated[
        Path,
        typer.Option(
            "--ca-out",
            metavar="FILE",
            help="With --tls: where to write the CA's certificate, for sc-license's --ca-file "
            "(removed at Ctrl-C).",
        ),
    ] = Path("sandbox-ca.crt"),
) -> None:
    """Run a sandbox Service Center in the foreground until Ctrl-C.

    The password comes from SC_SANDBOX_PASSWORD; when unset, one is generated and printed.
    """
    # The web stack loads only for this command, so every other command starts quickly.
    from automation.sandbox.app import SandboxConfig
    from automation.sandbox.server import address
    from automation.sandbox.server import serve as serve_forever

    if tls:
        _need_cryptography()
    faults = _faults(fault or [])
    serial = _serial(serial)
    password = os.environ.get("SC_SANDBOX_PASSWORD") or secrets.token_urlsafe(12)
    config = SandboxConfig(
        serial_number=serial,
        password=password,
        user=user,
        environment_name=environment_name,
        license=_installed(serial, license),
        **stage.config(),
        invalid_after_uploads=invalid_after_uploads,
        faults=faults,
    )
    sock = _bound(port)
    with _throwaway_tls(ca_out) if tls else nullcontext() as certificate:
        _announce(config, f"{address(sock, tls=tls)}/ServiceCenter", ca_out if tls else None)
        serve_forever(config, sock, certificate)


def _announce(config: SandboxConfig, url: str, ca: Path | None = None) -> None:
    """Where the sandbox serves (and its CA's certificate, with --tls), the faults it plays,
    and who signs in to it."""
    errors.print(f"Sandbox Service Center: {url}")
    if ca is not None:
        errors.print(Text(f"CA certificate, for sc-license's --ca-file: {ca.absolute()}"))
    if config.invalid_after_uploads:
        uploads = config.invalid_after_uploads
        errors.print(f"Fault: the next {uploads} upload(s) will show as invalid")
    for active in config.faults.active():
        errors.print(f"Fault: {active}")
    errors.print(Text(f"Serial Number: {config.serial_number}   user: {config.user}"))
    if "SC_SANDBOX_PASSWORD" not in os.environ:
        said = f"Password (generated; set SC_SANDBOX_PASSWORD to choose): {config.password}"
        errors.print(said)


@contextmanager
def _throwaway_tls(ca_out: Path) -> Iterator[Certificate]:
    """The server's certificate from a throwaway CA, and the CA's at `ca_out`; or a clear
    refusal (exit 2) when `ca_out` cannot be written."""
    from automation.sandbox.server import throwaway_tls  # the web stack loads only for `serve`

    with ExitStack() as stack:
        try:
            certificate = stack.enter_context(throwaway_tls(ca_out))
        except OSError as error:
            said = f"Cannot write the CA's certificate to {ca_out}: {error.strerror}; choose "
            errors.print(Text(said + "another --ca-out.", style="bold red"))
            raise typer.Exit(2) from None
        yield certificate


def _installed(serial: str, license: Path | None) -> SandboxLicense:
    """The license installed at start: --license, else a fresh one for the serial."""
    if license is None:
        return issue_license(serial)
    try:
        return parse_license(license.read_bytes())
    except (OSError, InvalidLicenseFile) as exc:
        errors.print(Text(f"Cannot install {license} at start: {exc}", style="bold red"))
        raise typer.Exit(2) from None


def _bound(port: int) -> socket.socket:
    """A socket bound to 127.0.0.1:port, or a clear refusal (exit 2)."""
    from automation.sandbox.server import bind  # the web stack loads only for `serve`

    try:
        return bind("127.0.0.1", port)
    except OSError as error:
        why = error.strerror or error
        said = f"Cannot serve on 127.0.0.1:{port}: {why}; choose another --port."
        errors.print(Text(said, style="bold red"))
        raise typer.Exit(2) from None


@sandbox_app.command("license")
def write_license(
    out: Annotated[Path, typer.Option(metavar="FILE", help="Where to write the .lic file.")],
    serial: Annotated[
        str, typer.Option(metavar="SERIAL", help="The Serial Number the license is issued for.")
    ],
    end_date: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="YYYY-MM-DD or Never (default: a year from today)."),
    ] = None,
    activation_code: Annotated[
        str | None, typer.Option(metavar="CODE", help="Default: a random one.")
    ] = None,
    organization: Annotated[
        str, typer.Option(metavar="NAME", help="Organization Name.")
    ] = "Sandbox Organization",
    edition: Annotated[
        str, typer.Option(metavar="NAME", help="Edition Name.")
    ] = "OutSystems Enterprise",
    license_type: Annotated[
        str, typer.Option("--type", metavar="NAME", help="License Type.")
    ] = "Production",
    encoding: Annotated[LicenseEncoding, typer.Option(help=LICENSE_ENCODING_HELP)] = "text",
) -> None:
    """Write a license file that a sandbox with SERIAL accepts."""
    serial = _serial(serial)
    options: dict[str, object] = {}
    if end_date is not None:
        options["end_date"] = None if end_date.lower() == "never" else _date(end_date)
    license_ = issue_license(
        serial,
        activation_code=activation_code,
        organization_name=organization,
        edition_name=edition,
        license_type=license_type,
        **options,  # type: ignore[arg-type]
    )
    try:
        with out.open("xb") as file:
            file.write(render_license(license_, encoding))
    except OSError as error:
        why = "it exists" if isinstance(error, FileExistsError) else error.strerror
        errors.print(Text(f"Cannot write {out}: {why}; choose another path.", style="bold red"))
        raise typer.Exit(2) from None
    errors.print(Text(f"Wrote {out} for serial {license_.serial_number}"))


def _serial(serial: str | None) -> str:
    if serial is None:
        return random_serial()
    if not re.fullmatch(SERIAL_RE, serial):
        raise typer.BadParameter(
            f"'{serial}' is not a serial number; they look like XBI-NMO-IL5-OYI-9SO-LCU-4SQ-QUT.",
            param_hint="'--serial'",
        )
    return serial


def _faults(specs: list[str]) -> SandboxFaults:
    try:
        return parse_faults(specs)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--fault'") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date like 2027-12-31 or Never") from None


def _need_cryptography() -> None:
    """--tls makes its certificate with `cryptography`, which comes with the signing extra."""
    try:
        import cryptography  # noqa: F401
    except ImportError:
        # Asked only here: the sandbox knows nothing else of the tool it is a stage for.
        from automation.installation import add_extra

        errors.print(
            Text(
                "--tls needs the Python package 'cryptography', which is not installed. Install "
                f"the signing extra ({add_extra('signing')}), or leave out --tls.",
                style="bold red",
            )
        )
        raise typer.Exit(2) from None
