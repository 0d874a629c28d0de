"""sc-license: install, back up and read OutSystems 11 licenses through Service Center."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr

from automation.audit_cli import audit_app
from automation.cli_options import (
    ActionTimeout,
    All,
    Browser,
    BrowserEndpoint,
    Confirm,
    Debug,
    DryRun,
    Env,
    EnvName,
    ExpectSerial,
    Group,
    Headed,
    IgnoreHttpsErrors,
    Inventory,
    Json,
    MaxFail,
    NavigationTimeout,
    Out,
    Parallel,
    PasswordEnv,
    PauseOnFailure,
    Shard,
    SlowMo,
    Trace,
    Url,
    User,
    Video,
    Yes,
)
from automation.cli_runs import (
    approval,
    run_fleet_from_cli,
    run_one,
    run_selected,
    selection_from,
    settings_from,
)
from automation.config import (
    Target,
    service_center_url,
)
from automation.errors import BadInput
from automation.fleet_cli import (
    DEFAULT_PARALLEL,
    LICENSE_NEEDS_ATTENTION,
)
from automation.fleet_records import fleet_folders
from automation.license_folder import LicenseFolder
from automation.output import errors, expected_errors
from automation.records import FleetEntry
from automation.runner import Flow
from automation.sandbox.cli import sandbox_app
from automation.setup import ensure_browser, ensure_ffmpeg
from flows.backup_license import backup_license
from flows.install_license import (
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
        settings = settings_from(locals())
        approve = approval(confirm, yes, headed)
        selection = selection_from(locals())
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

            run_fleet_from_cli(
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

        run_selected(
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
        settings = settings_from(locals())
        approve = approval(confirm, yes, headed)
        selection = selection_from(locals())
        if from_ == Path():
            raise BadInput("Restore from what?", hint="Give --from with a backup or run folder.")
        fleet = fleet_folders(from_) if selection.given else {}

        def restore_from(target: Target) -> Flow:
            source = fleet.get(target.name, from_) if fleet else from_
            return partial(
                restore_license, target=target, source=source, dry_run=dry_run, approve=approve
            )

        run_selected(
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
        settings = settings_from(locals())
        selection = selection_from(locals())

        def backup_of(target: Target) -> Flow:
            return partial(backup_license, target=target)

        run_selected("backup", selection, url, user, password_env, env_name, backup_of, settings)


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
        settings = settings_from(locals())
        selection = selection_from(locals())

        def status_of(target: Target) -> Flow:
            return partial(license_status, target=target)

        run_selected(
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
        settings = settings_from(locals())
        with sandbox_with_new_license() as (server, license_path, password):
            errors.print(f"Sandbox Service Center running at {server.url}/ServiceCenter")
            target = Target(
                name="sandbox",
                url=service_center_url(server.url),
                user=server.state.config.user,
                password=SecretStr(password),
            )
            flow = partial(install_license, target=target, license_path=license_path)
            run_one("install", flow, target, settings, changes=True)
