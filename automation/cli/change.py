"""`install` and `restore`: the commands that change an environment's license."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from automation.cli.display import expected_errors
from automation.cli.options import (
    ACTION_TIMEOUT_S,
    DEFAULT_PARALLEL,
    ENVIRONMENT,
    INVENTORY,
    NAVIGATION_TIMEOUT_S,
    OUT,
    ActionTimeout,
    All,
    AllowEarlierEnd,
    Browser,
    BrowserChannel,
    BrowserEndpoint,
    ChangeTicket,
    Confirm,
    Debug,
    DryRun,
    Env,
    EnvName,
    ExpectSerial,
    Group,
    Headed,
    Hold,
    HoldSeconds,
    IgnoreHttpsErrors,
    Inventory,
    Json,
    JunitXml,
    MaxFail,
    NavigationTimeout,
    Out,
    Parallel,
    PasswordEnv,
    PauseOnFailure,
    Profile,
    Reason,
    Settings,
    Shard,
    SlowMo,
    Trace,
    Url,
    User,
    Video,
    Yes,
    run_options,
)
from automation.cli.running import run_selected
from automation.cli.targets import Where, approval
from automation.errors import BadInput
from automation.evidence.runs import fleet_folders
from automation.inventory import Selection
from automation.license_files import LicenseFolder, readable
from flows.install_license import install_license, install_matching, restore_license


def install(
    url: Url = None,
    user: User = None,
    license: Annotated[
        Path | None, typer.Option(help="The .lic file to install.", rich_help_panel=ENVIRONMENT)
    ] = None,
    licenses: Annotated[
        Path | None,
        typer.Option(
            help="With --env/--group/--all: a folder of .lic files, matched by serial.",
            rich_help_panel=ENVIRONMENT,
        ),
    ] = None,
    dry_run: DryRun = False,
    expect_serial: ExpectSerial = None,
    allow_earlier_end: AllowEarlierEnd = False,
    confirm: Confirm = False,
    yes: Yes = False,
    reason: Reason = None,
    change: ChangeTicket = None,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    profile: Profile = None,
    inventory: Inventory = INVENTORY,
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
    hold: Hold = False,
    hold_seconds: HoldSeconds = None,
    navigation_timeout: NavigationTimeout = NAVIGATION_TIMEOUT_S,
    action_timeout: ActionTimeout = ACTION_TIMEOUT_S,
    ignore_https_errors: IgnoreHttpsErrors = False,
    out: Out = OUT,
    json: Json = False,
    junit_xml: JunitXml = None,
    browser: Browser = None,
    browser_channel: BrowserChannel = None,
    debug: Debug = False,
) -> None:
    """Back up the installed license, check the new one, upload it and verify it.

    If Service Center then does not show the new license as valid, the backup is
    uploaded again and verified.
    """
    with expected_errors(debug):
        settings = Settings(
            run=run_options(
                headed=headed,
                slow_mo=slow_mo,
                browser=browser,
                browser_channel=browser_channel,
                browser_endpoint=browser_endpoint,
                navigation_timeout=navigation_timeout,
                action_timeout=action_timeout,
                ignore_https_errors=ignore_https_errors,
                trace=trace,
                video=video,
                out=out,
                pause_on_failure=pause_on_failure,
                hold=hold,
                hold_seconds=hold_seconds,
                reason=reason,
                change=change,
            ),
            as_json=json,
            debug=debug,
            parallel=parallel,
            max_fail=max_fail,
            junit_xml=junit_xml,
        )
        where = Where(
            url=url,
            user=user,
            password_env=password_env,
            env_name=env_name,
            profile=profile,
            selection=Selection(
                inventory=inventory,
                names=env or [],
                groups=group or [],
                everything=all_,
                shard=shard,
            ),
        )
        approve, asks = approval(confirm, yes, headed, settings.run.attribution.actor)
        changes = not dry_run
        if licenses is not None and license is not None:
            raise BadInput(
                "Give either --license (one file) or --licenses (a folder matched by serial).",
                hint="Not both: --licenses installs, on each environment, the file issued for "
                "its serial.",
            )
        if licenses is not None:
            if not where.selection.given:
                raise BadInput("--licenses works with --env, --group or --all.", hint="Add one.")
            folder = LicenseFolder.read(licenses)
            from automation.fleet import shown_serials  # a fleet's: one environment needs none

            run_selected(
                "install",
                partial(
                    install_matching,
                    folder=folder,
                    dry_run=dry_run,
                    approve=approve,
                    allow_earlier_end=allow_earlier_end,
                ),
                where,
                settings,
                changes=changes,
                interactive=asks,
                after=lambda entries: folder.left_over(shown_serials(entries)),
            )
        if license is None:
            raise BadInput("Which license file?", hint="Give --license FILE (or --licenses DIR).")
        where.check()
        readable(license)  # a mistyped path leaves no run folder
        flow = partial(
            install_license,
            license_path=license,
            dry_run=dry_run,
            expect_serial=expect_serial,
            approve=approve,
            allow_earlier_end=allow_earlier_end,
        )
        run_selected("install", flow, where, settings, changes=changes, interactive=asks)


def restore(
    url: Url = None,
    user: User = None,
    from_: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A backup .lic file, a run folder with a backup, or a fleet's run.",
            rich_help_panel=ENVIRONMENT,
        ),
    ] = None,
    dry_run: DryRun = False,
    confirm: Confirm = False,
    yes: Yes = False,
    reason: Reason = None,
    change: ChangeTicket = None,
    password_env: PasswordEnv = None,
    env_name: EnvName = None,
    profile: Profile = None,
    inventory: Inventory = INVENTORY,
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
    hold: Hold = False,
    hold_seconds: HoldSeconds = None,
    navigation_timeout: NavigationTimeout = NAVIGATION_TIMEOUT_S,
    action_timeout: ActionTimeout = ACTION_TIMEOUT_S,
    ignore_https_errors: IgnoreHttpsErrors = False,
    out: Out = OUT,
    json: Json = False,
    junit_xml: JunitXml = None,
    browser: Browser = None,
    browser_channel: BrowserChannel = None,
    debug: Debug = False,
) -> None:
    """Upload a backup again through the same checked and verified flow as install."""
    with expected_errors(debug):
        settings = Settings(
            run=run_options(
                headed=headed,
                slow_mo=slow_mo,
                browser=browser,
                browser_channel=browser_channel,
                browser_endpoint=browser_endpoint,
                navigation_timeout=navigation_timeout,
                action_timeout=action_timeout,
                ignore_https_errors=ignore_https_errors,
                trace=trace,
                video=video,
                out=out,
                pause_on_failure=pause_on_failure,
                hold=hold,
                hold_seconds=hold_seconds,
                reason=reason,
                change=change,
            ),
            as_json=json,
            debug=debug,
            parallel=parallel,
            max_fail=max_fail,
            junit_xml=junit_xml,
        )
        where = Where(
            url=url,
            user=user,
            password_env=password_env,
            env_name=env_name,
            profile=profile,
            selection=Selection(
                inventory=inventory,
                names=env or [],
                groups=group or [],
                everything=all_,
                shard=shard,
            ),
        )
        approve, asks = approval(confirm, yes, headed, settings.run.attribution.actor)
        if from_ is None:
            raise BadInput("Restore from what?", hint="Give --from with a backup or run folder.")
        if not where.check().selection.given and not from_.is_dir():
            readable(from_, "The backup")  # a mistyped path leaves no run folder
        flow = partial(
            restore_license,
            source=from_,
            by_environment=fleet_folders(from_) if where.selection.given else None,
            dry_run=dry_run,
            approve=approve,
        )
        run_selected("restore", flow, where, settings, changes=not dry_run, interactive=asks)
