"""`setup` and `demo`: a browser for this machine, and a rehearsal on a local sandbox."""

from __future__ import annotations

from functools import partial

from pydantic import SecretStr

from automation.browser.install import ensure_browser, ensure_ffmpeg
from automation.cli.display import errors, expected_errors
from automation.cli.options import (
    ACTION_TIMEOUT_S,
    NAVIGATION_TIMEOUT_S,
    OUT,
    ActionTimeout,
    Browser,
    Debug,
    Headed,
    IgnoreHttpsErrors,
    Json,
    NavigationTimeout,
    Out,
    PauseOnFailure,
    Settings,
    SlowMo,
    Trace,
    Video,
    run_options,
)
from automation.cli.running import run_one
from automation.config import Target, service_center_url
from flows.install_license import install_license


def setup(browser: Browser = None, debug: Debug = False) -> None:
    """Find a Chromium to drive (installing one if none is there) and ffmpeg for video."""
    with expected_errors(debug):
        ensure_browser(browser, errors.print)
        try:
            ensure_ffmpeg(errors.print)
        except (OSError, StopIteration, ImportError) as error:
            # Only --video needs it: say so, and let everything else go on.
            errors.print(f"[yellow]Warning:[/] no ffmpeg for --video ({error}); runs still work.")


def demo(
    headed: Headed = False,
    slow_mo: SlowMo = 0,
    trace: Trace = "off",
    video: Video = "off",
    pause_on_failure: PauseOnFailure = False,
    navigation_timeout: NavigationTimeout = NAVIGATION_TIMEOUT_S,
    action_timeout: ActionTimeout = ACTION_TIMEOUT_S,
    ignore_https_errors: IgnoreHttpsErrors = False,
    out: Out = OUT,
    json: Json = False,
    browser: Browser = None,
    debug: Debug = False,
) -> None:
    """Install a fresh license on a local sandbox Service Center, exactly as on a real one."""
    from automation.cli.demo import sandbox_with_new_license  # the sandbox loads only here

    with expected_errors(debug):
        settings = Settings(
            run=run_options(
                headed=headed,
                slow_mo=slow_mo,
                browser=browser,
                browser_endpoint=None,
                navigation_timeout=navigation_timeout,
                action_timeout=action_timeout,
                ignore_https_errors=ignore_https_errors,
                trace=trace,
                video=video,
                out=out,
                pause_on_failure=pause_on_failure,
            ),
            as_json=json,
            debug=debug,
        )
        with sandbox_with_new_license() as (server, license_path, password):
            errors.print(f"Sandbox Service Center running at {server.url}/ServiceCenter")
            target = Target(
                name="sandbox",
                url=service_center_url(server.url),
                user=server.state.config.user,
                password=SecretStr(password),
            )
            flow = partial(install_license, license_path=license_path)
            run_one("install", flow, target, settings, changes=True)
