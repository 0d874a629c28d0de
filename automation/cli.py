"""sc-license: install, back up and read OutSystems 11 licenses through Service Center."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
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
from automation.errors import BadInput
from automation.fleet_cli import (
    DEFAULT_PARALLEL,
    LICENSE_NEEDS_ATTENTION,
    Selection,
    needing_attention,
    options_for,
    run_many,
    status_table,
    target_of,
)
from automation.fleet_records import fleet_folders
from automation.inventory import Environment
from automation.license_folder import LicenseFolder
from automation.output import ask_approval, console, errors, expected_errors, live_steps, show_run
from automation.passwords import password
from automation.records import FleetEntry
from automation.runner import Flow, execute
from automation.sandbox.cli import sandbox_app
from automation.setup import ensure_browser, ensure_ffmpeg
from flows.backup_license import backup_license
from flows.install_license import (
    Approve,
    install_license,
    install_matching,
    restore_license,
)
from flows.license_status import license_status

app = typer.Typer(
    help=__doc__, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False
)
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(audit_app, name="audit")

PASSWORD_VARIABLE = "SC_LICENSE_PASSWORD"

Url = Annotated[
    str | None,
    typer.Option(help="Service Center's address, e.g. https://host/ServiceCenter (one-off)."),
]
User = Annotated[str | None, typer.Option(help="The Service Center user that signs in.")]
Inventory = Annotated[
    Path,
    typer.Option(envvar="SC_LICENSE_INVENTORY", help="The environments file (environments.toml)."),
]
Env = Annotated[
    list[str] | None, typer.Option("--env", help="An environment of the inventory (repeatable).")
]
Group = Annotated[
    list[str] | None, typer.Option("--group", help="The environments of a group (repeatable).")
]
All = Annotated[bool, typer.Option("--all", help="Every environment of the inventory.")]
Shard = Annotated[
    str | None, typer.Option("--shard", help="I/N: the I-th of N stable slices, for CI matrices.")
]
Parallel = Annotated[
    int, typer.Option("--parallel", min=1, help="Environments at a time, in one browser.")
]
MaxFail = Annotated[
    int | None,
    typer.Option("--max-fail", min=1, help="Start no more environments after N have failed."),
]
BrowserEndpoint = Annotated[
    str | None,
    typer.Option(
        "--browser-endpoint",
        help="Use a remote browser: a Chromium DevTools endpoint (http://host:9222) or a "
        "Playwright server (ws://host:port/).",
    ),
]
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
    parallel: int = DEFAULT_PARALLEL
    max_fail: int | None = None


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
        endpoint=options.get("browser_endpoint"),
    )
    return Settings(
        browser,
        options["out"],
        options["json"],
        options["debug"],
        options.get("parallel", DEFAULT_PARALLEL),
        options.get("max_fail"),
    )


def _selection(options: dict[str, Any]) -> Selection:
    selection = Selection(
        inventory=options["inventory"],
        names=options["env"] or [],
        groups=options["group"] or [],
        everything=options["all_"],
        shard=options["shard"],
    )
    if selection.given and options.get("url"):
        raise BadInput(
            "Give either --url (one environment) or --env/--group/--all (the inventory).",
            hint="Not both.",
        )
    if options["shard"] and not selection.given:
        raise BadInput("--shard needs --env, --group or --all.", hint="Add --all.")
    return selection


@app.command()
def install(
    url: Url = None,
    user: User = None,
    license: Annotated[Path | None, typer.Option(help="The .lic file to install.")] = None,
    licenses: Annotated[
        Path | None,
        typer.Option(help="With --env/--group/--all: a folder of .lic files, matched by serial."),
    ] = None,
    dry_run: DryRun = False,
    expect_serial: ExpectSerial = None,
    confirm: Confirm = False,
    yes: Yes = False,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    inventory: Inventory = Path("environments.toml"),
    env: Env = None,
    group: Group = None,
    all_: All = False,
    shard: Shard = None,
    parallel: Parallel = DEFAULT_PARALLEL,
    max_fail: MaxFail = None,
    browser_endpoint: BrowserEndpoint = None,
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
        selection = _selection(locals())
        if licenses is not None:
            if not selection.given:
                raise BadInput("--licenses works with --env, --group or --all.", hint="Add one.")
            folder = LicenseFolder.read(licenses)

            def install_matched(target: Target) -> Flow:
                return partial(
                    install_matching, target=target, folder=folder, dry_run=dry_run, approve=approve
                )

            def unmatched(entries: list[FleetEntry]) -> list[str]:
                serials = {
                    e.shown.serial_number for e in entries if e.shown and e.shown.serial_number
                }
                return folder.problems + folder.unmatched(serials)

            _run_many(
                "install",
                selection,
                install_matched,
                settings,
                not dry_run,
                interactive=approve is not None,
                after=unmatched,
            )
            return
        if license is None:
            raise BadInput("Which license file?", hint="Give --license FILE (or --licenses DIR).")

        def install_file(target: Target) -> Flow:
            return partial(
                install_license,
                target=target,
                license_path=license,
                dry_run=dry_run,
                expect_serial=expect_serial,
                approve=approve,
            )

        _run_selected(
            "install",
            selection,
            url,
            user,
            password_env,
            env_name,
            install_file,
            settings,
            changes=not dry_run,
            interactive=approve is not None,
        )


@app.command()
def restore(
    url: Url = None,
    user: User = None,
    from_: Annotated[
        Path,
        typer.Option(
            "--from", help="A backup .lic file, a run folder with a backup, or a fleet's run."
        ),
    ] = Path(),
    dry_run: DryRun = False,
    confirm: Confirm = False,
    yes: Yes = False,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    inventory: Inventory = Path("environments.toml"),
    env: Env = None,
    group: Group = None,
    all_: All = False,
    shard: Shard = None,
    parallel: Parallel = DEFAULT_PARALLEL,
    max_fail: MaxFail = None,
    browser_endpoint: BrowserEndpoint = None,
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
        selection = _selection(locals())
        if from_ == Path():
            raise BadInput("Restore from what?", hint="Give --from with a backup or run folder.")
        fleet = fleet_folders(from_) if selection.given else {}

        def restore_from(target: Target) -> Flow:
            source = fleet.get(target.name, from_) if fleet else from_
            return partial(
                restore_license, target=target, source=source, dry_run=dry_run, approve=approve
            )

        _run_selected(
            "restore",
            selection,
            url,
            user,
            password_env,
            env_name,
            restore_from,
            settings,
            changes=not dry_run,
            interactive=approve is not None,
        )


@app.command()
def backup(
    url: Url = None,
    user: User = None,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    inventory: Inventory = Path("environments.toml"),
    env: Env = None,
    group: Group = None,
    all_: All = False,
    shard: Shard = None,
    parallel: Parallel = DEFAULT_PARALLEL,
    max_fail: MaxFail = None,
    browser_endpoint: BrowserEndpoint = None,
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
        selection = _selection(locals())

        def backup_of(target: Target) -> Flow:
            return partial(backup_license, target=target)

        _run_selected("backup", selection, url, user, password_env, env_name, backup_of, settings)


@app.command()
def status(
    url: Url = None,
    user: User = None,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    inventory: Inventory = Path("environments.toml"),
    env: Env = None,
    group: Group = None,
    all_: All = False,
    shard: Shard = None,
    parallel: Parallel = DEFAULT_PARALLEL,
    max_fail: MaxFail = None,
    browser_endpoint: BrowserEndpoint = None,
    headed: Headed = False,
    slow_mo: SlowMo = 0,
    trace: Trace = "off",
    video: Video = "off",
    pause_on_failure: PauseOnFailure = False,
    navigation_timeout: NavigationTimeout = 30.0,
    action_timeout: ActionTimeout = 15.0,
    ignore_https_errors: IgnoreHttpsErrors = False,
    warn_days: Annotated[
        int | None,
        typer.Option(
            "--warn-days",
            min=0,
            help=f"Exit {LICENSE_NEEDS_ATTENTION} when a license ends within N days or is invalid.",
        ),
    ] = None,
    out: Out = Path("recordings"),
    json: Json = False,
    browser: Browser = None,
    debug: Debug = False,
) -> None:
    """Show the license installed on an environment, as its Licensing page shows it."""
    with expected_errors(debug):
        settings = _settings(locals())
        selection = _selection(locals())

        def status_of(target: Target) -> Flow:
            return partial(license_status, target=target)

        _run_selected(
            "status",
            selection,
            url,
            user,
            password_env,
            env_name,
            status_of,
            settings,
            warn_days=warn_days,
        )


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
    from automation.demo import sandbox_with_new_license  # the sandbox loads only here

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


def _run_selected(
    flow_name: str,
    selection: Selection,
    url: str | None,
    user: str | None,
    password_env: str | None,
    env_name: str | None,
    flow_for: Callable[[Target], Flow],
    settings: Settings,
    *,
    changes: bool = False,
    interactive: bool = False,
    warn_days: int | None = None,
) -> None:
    """One environment (by --url, or a single --env) or many (the inventory, as a fleet)."""
    if not selection.given:
        if not url or not user:
            raise BadInput(
                "Which environment?",
                hint="Give --url and --user, or --env/--group/--all with an inventory.",
            )
        target = _target(url, user, password_env, env_name)
        _run(flow_name, flow_for(target), target, settings, changes=changes, warn_days=warn_days)
        return
    environments = selection.environments()
    if (len(environments) == 1 and not interactive) or (len(environments) == 1 and interactive):
        environment = environments[0]
        target = target_of(environment)
        single = replace(settings, browser=options_for(environment, settings.browser))
        _run(flow_name, flow_for(target), target, single, changes=changes, warn_days=warn_days)
        return
    _run_many(
        flow_name,
        selection,
        flow_for,
        settings,
        changes,
        interactive=interactive,
        warn_days=warn_days,
        environments=environments,
    )


def _run_many(
    flow_name: str,
    selection: Selection,
    flow_for: Callable[[Target], Flow],
    settings: Settings,
    changes: bool,
    *,
    interactive: bool = False,
    after: Callable[[list[FleetEntry]], list[str]] | None = None,
    warn_days: int | None = None,
    environments: list[Environment] | None = None,
) -> None:
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    code, entries = run_many(
        flow_name,
        environments or selection.environments(),
        flow_for,
        settings.browser,
        settings.out,
        parallel=settings.parallel,
        max_fail=settings.max_fail,
        changes=changes,
        as_json=settings.as_json,
        interactive=interactive,
        after=after,
    )
    if flow_name == "status" and not settings.as_json:
        console.print(status_table(entries, date.today()))
    raise typer.Exit(_attention(code, entries, warn_days))


def _attention(code: int, entries: list[FleetEntry], warn_days: int | None) -> int:
    """With --warn-days, a license that ends soon or is invalid makes the exit code say so."""
    if warn_days is None or code != 0:
        return code
    found = needing_attention(entries, warn_days, date.today())
    for line in found:
        errors.print(f"[bold yellow]Attention:[/] {line}")
    return LICENSE_NEEDS_ATTENTION if found else 0


def _run(
    flow_name: str,
    flow: Flow,
    target: Target,
    settings: Settings,
    *,
    changes: bool = False,
    warn_days: int | None = None,
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
    entry = FleetEntry(
        environment=target.name,
        url=target.url,
        outcome=run.record.outcome,
        exit_code=run.record.exit_code or 0,
        message=run.record.message or "",
        license_before=run.record.license_before,
        license_after=run.record.license_after,
    )
    raise typer.Exit(_attention(entry.exit_code, [entry], warn_days))

