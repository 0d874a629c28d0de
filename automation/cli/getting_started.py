"""`setup` and `demo`: a browser for this machine, and a rehearsal on a local sandbox."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr

import automation.sandbox as sandbox_package
from automation.browser.ffmpeg import ensure_ffmpeg
from automation.browser.install import ensure_browser
from automation.cli.consoles import errors
from automation.cli.display import expected_errors
from automation.cli.literal import markup, shown
from automation.cli.options import (
    Browser,
    BrowserChannel,
    Debug,
    DryRun,
    HowItRuns,
    Profile,
)
from automation.cli.running import run_one
from automation.cli.settings import settings
from automation.cli.targets import site_profile
from automation.config import Target, service_center_url
from automation.installation import add_extra, this_command
from automation.option_groups import with_option_groups
from automation.procedure import Procedure
from automation.sandbox.stage import STAGE, Stage
from flows.install_license import install_license

# The site profile that teaches the sandbox's other-release words, shipped with it.
OTHER_RELEASE_PROFILE = Path(sandbox_package.__file__).parent / "profiles" / "other-release.toml"

LatencyOption = Annotated[
    int,
    typer.Option(
        "--latency-ms", min=0, help="Milliseconds every page takes.", rich_help_panel=STAGE
    ),
]


def say(line: str) -> None:
    errors.print(shown(line))


def setup(
    browser: Browser = None, browser_channel: BrowserChannel = None, debug: Debug = False
) -> None:
    """Find the browsers to drive (a headless shell for headless runs, Chromium for headed
    ones; installing what is missing) and ffmpeg for video."""
    with expected_errors(debug):
        ensure_browser(browser, say, browser_channel)
        try:
            ffmpeg = ensure_ffmpeg(say)
        except (OSError, StopIteration) as error:  # e.g. a browsers folder it cannot write
            say(f"ffmpeg could not be put in place: {error}")
            ffmpeg = None
        if ffmpeg is None:
            # Only --video needs it: say so, and let everything else go on.
            warning = "[yellow]Warning:[/] no ffmpeg for --video; runs still work. {}"
            errors.print(markup(warning, no_ffmpeg()))


def no_ffmpeg() -> str:
    """What to do for video after `setup` found no ffmpeg, as this copy was installed."""
    again = this_command("setup")
    return (
        f"For video, install the video extra ({add_extra('video')}) or an ffmpeg that encodes "
        f"VP8, then run `{again}` again."
    )


@with_option_groups
def demo(
    how: HowItRuns,
    stage: Stage,
    dry_run: DryRun = False,
    profile: Profile = None,
    latency_ms: LatencyOption = 0,
) -> None:
    """Install a fresh license on a local sandbox Service Center, exactly as on a real one.

    The sandbox can play each way a Service Center you have not seen may differ: how its
    sign-in boxes are named, what its buttons are, where Upload New License opens, how it
    answers, and how its license files are written. Playing the other-release words without
    a --profile, the demo uses the site profile that teaches them.
    """
    # The web stack loads only here.
    from automation.cli.demo import NextStep, sandbox_with_new_license

    with expected_errors(how.debug):
        chosen = settings(how)
        if profile is None and stage.words == "other-release":
            profile = OTHER_RELEASE_PROFILE
            errors.print(shown(f"Other-release words, taught by the site profile {profile}"))
        taught = site_profile(profile)  # checked before the sandbox starts
        with sandbox_with_new_license(stage, latency_ms) as (server, license_path, password):
            errors.print(shown(f"Sandbox Service Center running at {server.url}/ServiceCenter"))
            target = Target(
                name="sandbox",
                url=service_center_url(server.url),
                user=server.state.config.user,
                password=SecretStr(password),
                profile=taught,
            )
            flow = partial(install_license, license_path=license_path, dry_run=dry_run)
            procedure = Procedure("install", flow, changes=not dry_run)
            run_one(procedure, target, chosen, more=NextStep())
