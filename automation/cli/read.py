"""`backup` and `status`: the commands that only read an environment's license."""

from __future__ import annotations

from typing import Annotated

import typer

from automation.cli.display import expected_errors
from automation.cli.options import (
    ACTION_TIMEOUT_S,
    DEFAULT_PARALLEL,
    INVENTORY,
    NAVIGATION_TIMEOUT_S,
    OUT,
    ActionTimeout,
    All,
    Browser,
    BrowserChannel,
    BrowserEndpoint,
    Debug,
    Env,
    EnvName,
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
    Settings,
    Shard,
    SlowMo,
    Trace,
    Url,
    User,
    Video,
    run_options,
)
from automation.cli.running import run_selected
from automation.cli.targets import Where
from automation.errors import ExitCode
from automation.inventory import Selection
from flows.backup_license import backup_license
from flows.license_status import watching


def backup(
    url: Url = None,
    user: User = None,
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
    """Download the installed license with Backup License into a new run folder."""
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
        run_selected("backup", backup_license, where, settings)


def status(
    url: Url = None,
    user: User = None,
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
    warn_days: Annotated[
        int | None,
        typer.Option(
            "--warn-days",
            min=0,
            help=f"Exit {ExitCode.LICENSE_NEEDS_ATTENTION.value} when a license ends within N "
            "days too (one shown invalid always does).",
        ),
    ] = None,
    out: Out = OUT,
    json: Json = False,
    junit_xml: JunitXml = None,
    browser: Browser = None,
    browser_channel: BrowserChannel = None,
    debug: Debug = False,
) -> None:
    """Show the license installed on an environment, as its Licensing page shows it.

    A license the page shows not valid ends the run as "attention" (exit 8)."""
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
        run_selected("status", watching(warn_days), where, settings, warn_days=warn_days)
