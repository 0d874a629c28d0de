"""sc-license: install, back up and read OutSystems 11 licenses through Service Center."""

from __future__ import annotations

import logging
import signal
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import SecretStr

from automation.audit_cli import audit_app
from automation.config import (
    BrowserOptions,
    Keep,
    Target,
    environment_label,
    service_center_url,
    slug,
)
from automation.demo import sandbox_with_new_license
from automation.errors import BadInput
from automation.output import ask_approval, errors, expected_errors, live_steps, show_run
from automation.passwords import password
from automation.runner import Flow, execute
from automation.sandbox.cli import sandbox_app
from automation.setup import ensure_browser, ensure_ffmpeg
from flows.backup_license import backup_license
from flows.install_license import Approve, install_license, restore_license
from flows.license_status import license_status

app = typer.Typer(
    help=__doc__, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False
)
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(audit_app, name="audit")

PASSWORD_VARIABLE = "SC_LICENSE_PASSWORD"

Url = Annotated[
    str, typer.Option(help="Service Center's address, e.g. https://host/ServiceCenter.")
]
User = Annotated[str, typer.Option(help="The Service Center user that signs in.")]
PasswordEnv = Annotated[
    str | None,
    typer.Option(
        help="The environment variable holding the password. Default: "
        "SC_LICENSE_PASSWORD_<ENV NAME> when --env-name is given, then SC_LICENSE_PASSWORD; "
        "else a hidden prompt on a terminal."
    ),
]
EnvName = Annotated[
    str | None,
    typer.Option("--env-name", help="Name for the environment in evidence (default: its host)."),
]
Headed = Annotated[
    bool,
    typer.Option(help="Show the browser, the current step and each element acted on."),
]
SlowMo = Annotated[int, typer.Option("--slow-mo", help="Slow every browser action by MS.")]
Trace = Annotated[Keep, typer.Option("--trace", help="Keep a Playwright trace.zip.")]
Video = Annotated[Keep, typer.Option("--video", help="Keep a video of the run.")]
PauseOnFailure = Annotated[
    bool,
    typer.Option(
        "--pause-on-failure",
        help="Headed only: on failure, keep the browser open with the Playwright inspector.",
    ),
]
NavigationTimeout = Annotated[
    float, typer.Option("--navigation-timeout", help="Seconds to wait for a page to load.")
]
ActionTimeout = Annotated[
    float,
    typer.Option("--action-timeout", help="Seconds to wait for an element or a download."),
]
IgnoreHttpsErrors = Annotated[
    bool,
    typer.Option(
        "--ignore-https-errors",
        help="Accept an untrusted certificate (e.g. self-signed); recorded as a warning.",
    ),
]
Out = Annotated[Path, typer.Option(help="Root folder for run evidence.")]
Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
Browser = Annotated[
    Path | None,
    typer.Option(envvar="SC_LICENSE_BROWSER", help="Path of the Chromium or Chrome to drive."),
]
Debug = Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors.")]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Sign in, back up and check everything; upload nothing.")
]
ExpectSerial = Annotated[
    str | None,
    typer.Option(help="The serial the file is for, when it cannot be read from the file."),
]
Confirm = Annotated[
    bool,
    typer.Option(
        "--confirm",
        help="Before uploading, show the change and ask for the serial's last group "
        "(the default when headed on a terminal).",
    ),
]
Yes = Annotated[bool, typer.Option("--yes", help="Do not ask for approval.")]


@dataclass(frozen=True)
class Settings:
    """How every run is carried out and reported, from the options all commands share."""

    browser: BrowserOptions
    out: Path
    as_json: bool
    debug: bool


def _settings(options: dict[str, Any]) -> Settings:
    """The settings from the options every command shares (given as the command's locals())."""
    if options["pause_on_failure"] and not options["headed"]:
        raise BadInput(
            "--pause-on-failure needs --headed: there is no window to pause in.",
            hint="Add --headed, or leave out --pause-on-failure.",
        )
    if min(options["navigation_timeout"], options["action_timeout"]) <= 0:
        raise BadInput("Timeouts must be more than 0 seconds.", hint="E.g. --action-timeout 30.")
    browser = BrowserOptions(
        headed=options["headed"],
        slow_mo_ms=options["slow_mo"],
        executable=options["browser"],
        tracing=options["trace"],
        video=options["video"],
        pause_on_failure=options["pause_on_failure"],
        navigation_timeout_ms=round(options["navigation_timeout"] * 1000),
        action_timeout_ms=round(options["action_timeout"] * 1000),
        ignore_https_errors=options["ignore_https_errors"],
    )
    return Settings(browser, options["out"], options["json"], options["debug"])


@app.command()
def install(
    url: Url,
    user: User,
    license: Annotated[Path, typer.Option(help="The .lic file to install.")],
    dry_run: DryRun = False,
    expect_serial: ExpectSerial = None,
    confirm: Confirm = False,
    yes: Yes = False,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    headed: Headed = False,
    slow_mo: SlowMo = 0,
    trace: Trace = "off",
    video: Video = "off",
    pause_on_failure: PauseOnFailure = False,
    navigation_timeout: NavigationTimeout = 30.0,
    action_timeout: ActionTimeout = 15.0,
    ignore_https_errors: IgnoreHttpsErrors = False,
    out: Out = Path("recordings"),
    json: Json = False,
    browser: Browser = None,
    debug: Debug = False,
) -> None:
    """Back up the installed license, check the new one, upload it and verify it.

    If Service Center then does not show the new license as valid, the backup is
    uploaded again and verified.
    """
    with expected_errors(debug):
        settings = _settings(locals())
        approve = _approval(confirm, yes, headed)
        target = _target(url, user, password_env, env_name)
        flow = partial(
            install_license,
            target=target,
            license_path=license,
            dry_run=dry_run,
            expect_serial=expect_serial,
            approve=approve,
        )
        _run("install", flow, target, settings, changes=not dry_run)


@app.command()
def restore(
    url: Url,
    user: User,
    from_: Annotated[
        Path, typer.Option("--from", help="A backup .lic file, or a run folder with a backup.")
    ],
    dry_run: DryRun = False,
    confirm: Confirm = False,
    yes: Yes = False,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    headed: Headed = False,
    slow_mo: SlowMo = 0,
    trace: Trace = "off",
    video: Video = "off",
    pause_on_failure: PauseOnFailure = False,
    navigation_timeout: NavigationTimeout = 30.0,
    action_timeout: ActionTimeout = 15.0,
    ignore_https_errors: IgnoreHttpsErrors = False,
    out: Out = Path("recordings"),
    json: Json = False,
    browser: Browser = None,
    debug: Debug = False,
) -> None:
    """Upload a backup again through the same checked and verified flow as install."""
    with expected_errors(debug):
        settings = _settings(locals())
        approve = _approval(confirm, yes, headed)
        target = _target(url, user, password_env, env_name)
        flow = partial(
            restore_license, target=target, source=from_, dry_run=dry_run, approve=approve
        )
        _run("restore", flow, target, settings, changes=not dry_run)


@app.command()
def backup(
    url: Url,
    user: User,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    headed: Headed = False,
    slow_mo: SlowMo = 0,
    trace: Trace = "off",
    video: Video = "off",
    pause_on_failure: PauseOnFailure = False,
    navigation_timeout: NavigationTimeout = 30.0,
    action_timeout: ActionTimeout = 15.0,
    ignore_https_errors: IgnoreHttpsErrors = False,
    out: Out = Path("recordings"),
    json: Json = False,
    browser: Browser = None,
    debug: Debug = False,
) -> None:
    """Download the installed license with Backup License into a new run folder."""
    with expected_errors(debug):
        settings = _settings(locals())
        target = _target(url, user, password_env, env_name)
        _run("backup", partial(backup_license, target=target), target, settings)


@app.command()
def status(
    url: Url,
    user: User,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    headed: Headed = False,
    slow_mo: SlowMo = 0,
    trace: Trace = "off",
    video: Video = "off",
    pause_on_failure: PauseOnFailure = False,
    navigation_timeout: NavigationTimeout = 30.0,
    action_timeout: ActionTimeout = 15.0,
    ignore_https_errors: IgnoreHttpsErrors = False,
    out: Out = Path("recordings"),
    json: Json = False,
    browser: Browser = None,
    debug: Debug = False,
) -> None:
    """Show the license installed on an environment, as its Licensing page shows it."""
    with expected_errors(debug):
        settings = _settings(locals())
        target = _target(url, user, password_env, env_name)
        _run("status", partial(license_status, target=target), target, settings)


@app.command()
def setup(browser: Browser = None, debug: Debug = False) -> None:
    """Find a Chromium to drive (installing one if none is there) and ffmpeg for video."""
    with expected_errors(debug):
        ensure_browser(browser, errors.print)
        try:
            ensure_ffmpeg(errors.print)
        except (OSError, StopIteration, ImportError) as error:
            # Only --video needs it: say so, and let everything else go on.
            errors.print(f"[yellow]Warning:[/] no ffmpeg for --video ({error}); runs still work.")


@app.command()
def demo(
    headed: Headed = False,
    slow_mo: SlowMo = 0,
    trace: Trace = "off",
    video: Video = "off",
    pause_on_failure: PauseOnFailure = False,
    navigation_timeout: NavigationTimeout = 30.0,
    action_timeout: ActionTimeout = 15.0,
    ignore_https_errors: IgnoreHttpsErrors = False,
    out: Out = Path("recordings"),
    json: Json = False,
    browser: Browser = None,
    debug: Debug = False,
) -> None:
    """Install a fresh license on a local sandbox Service Center, exactly as on a real one."""
    with expected_errors(debug):
        settings = _settings(locals())
        with sandbox_with_new_license() as (server, license_path, password):
            errors.print(f"Sandbox Service Center running at {server.url}/ServiceCenter")
            target = Target(
                name="sandbox",
                url=service_center_url(server.url),
                user=server.state.config.user,
                password=SecretStr(password),
            )
            flow = partial(install_license, target=target, license_path=license_path)
            _run("install", flow, target, settings, changes=True)


def _approval(confirm: bool, yes: bool, headed: bool) -> Approve | None:
    """Ask before uploading: on --confirm, or by default when headed on a terminal."""
    on_terminal = sys.stdin.isatty()
    if yes:
        return None
    if confirm and not on_terminal:
        raise BadInput(
            "--confirm needs a terminal to ask on, and there is none.",
            hint="Run on a terminal, or leave out --confirm (use --yes in unattended jobs).",
        )
    return ask_approval if confirm or (headed and on_terminal) else None


def _target(url: str, user: str, password_env: str | None, env_name: str | None) -> Target:
    address = service_center_url(url)
    if password_env:
        variables = [password_env]
    elif env_name:
        per_environment = f"{PASSWORD_VARIABLE}_{slug(env_name).replace('-', '_').upper()}"
        variables = [per_environment, PASSWORD_VARIABLE]
    else:
        variables = [PASSWORD_VARIABLE]
    return Target(
        name=env_name or environment_label(address),
        url=address,
        user=user,
        password=password(variables, address),
    )


def _run(
    flow_name: str, flow: Flow, target: Target, settings: Settings, *, changes: bool = False
) -> None:
    listener = None if settings.as_json else live_steps()
    # A service manager's stop (SIGTERM) ends a run like Ctrl-C: recorded, sealed, exit 130.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    # After Ctrl-C Playwright's driver is gone too; its event loop's complaints about that
    # are noise next to the message that says what happened.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    run = execute(
        flow_name, flow, target, settings.browser, settings.out, changes=changes, listener=listener
    )
    if run.unexpected is not None and settings.debug:
        raise run.unexpected
    show_run(run, as_json=settings.as_json)
    raise typer.Exit(run.record.exit_code or 0)
