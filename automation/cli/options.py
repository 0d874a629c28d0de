"""The options the commands share, declared once (each an Annotated type with its help and
panel), and the models the commands build from them with explicit keywords."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel, ConfigDict

from automation.browser.channels import Channel
from automation.browser.ffmpeg import require_ffmpeg
from automation.cli.identity import current_actor
from automation.cli.state import state_folder, usable_state_folder, writing_refused
from automation.config import EvidenceOptions, Keep, LaunchOptions, PageOptions, RunOptions
from automation.errors import BadInput
from automation.identity import Attribution

ENVIRONMENT = "Which environment"
MANY = "Many environments (the inventory)"
BROWSER = "Browser"
EVIDENCE = "Evidence and output"
CHANGE = "The change"

# Defaults, from the models they end up in.
NAVIGATION_TIMEOUT_S = PageOptions().navigation_timeout_ms / 1000
ACTION_TIMEOUT_S = PageOptions().action_timeout_ms / 1000
OUT = EvidenceOptions().out
OUT_VARIABLE = "SC_LICENSE_OUT"
INVENTORY = Path("environments.toml")
# Each environment waits on its server most of the time, so several per core pay: they share
# a browser per core (automation/fleet.py), each in a context of its own. Chosen from
# benchmarks/bench.py's latency and CPU-bound profiles (figures in automation/fleet.py): 12
# on 2 cores, more with more cores.
DEFAULT_PARALLEL = min(24, max(12, 4 * (os.cpu_count() or 1)))

Url = Annotated[
    str | None,
    typer.Option(
        help="Service Center's address, e.g. https://host/ServiceCenter (one-off).",
        rich_help_panel=ENVIRONMENT,
    ),
]
User = Annotated[
    str | None,
    typer.Option(help="The Service Center user that signs in.", rich_help_panel=ENVIRONMENT),
]
PasswordEnv = Annotated[
    str | None,
    typer.Option(
        help="The environment variable holding the password. Default: "
        "SC_LICENSE_PASSWORD_<ENV NAME> when --env-name is given, then SC_LICENSE_PASSWORD; "
        "else a hidden prompt on a terminal.",
        rich_help_panel=ENVIRONMENT,
    ),
]
EnvName = Annotated[
    str | None,
    typer.Option(
        "--env-name",
        help="Name for the environment in evidence (default: its host).",
        rich_help_panel=ENVIRONMENT,
    ),
]
Profile = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        metavar="FILE",
        envvar="SC_LICENSE_PROFILE",
        help="A site profile (TOML) teaching this Service Center's own words: see the README. "
        "With the inventory, for the environments without a profile = of their own.",
        rich_help_panel=ENVIRONMENT,
    ),
]
Inventory = Annotated[
    Path,
    typer.Option(
        envvar="SC_LICENSE_INVENTORY",
        help="The environments file (environments.toml).",
        rich_help_panel=MANY,
    ),
]
Env = Annotated[
    list[str] | None,
    typer.Option(
        "--env",
        metavar="NAME",
        help="An environment of the inventory (repeatable).",
        rich_help_panel=MANY,
    ),
]
Group = Annotated[
    list[str] | None,
    typer.Option(
        "--group",
        metavar="NAME",
        help="The environments of a group (repeatable).",
        rich_help_panel=MANY,
    ),
]
All = Annotated[
    bool, typer.Option("--all", help="Every environment of the inventory.", rich_help_panel=MANY)
]
Shard = Annotated[
    str | None,
    typer.Option(
        "--shard", help="I/N: the I-th of N stable slices, for CI matrices.", rich_help_panel=MANY
    ),
]
Parallel = Annotated[
    int,
    typer.Option(
        "--parallel",
        min=1,
        help="Environments at a time, sharing a browser per core, each in a context of its own.",
        rich_help_panel=MANY,
    ),
]
MaxFail = Annotated[
    int | None,
    typer.Option(
        "--max-fail",
        min=1,
        help="Start no more environments after N have failed.",
        rich_help_panel=MANY,
    ),
]
Headed = Annotated[
    bool,
    typer.Option(
        help="Show the browser, the current step and each element acted on.",
        rich_help_panel=BROWSER,
    ),
]
SlowMo = Annotated[
    int,
    typer.Option(
        "--slow-mo", "--slowmo", help="Slow every browser action by MS.", rich_help_panel=BROWSER
    ),
]
PauseOnFailure = Annotated[
    bool,
    typer.Option(
        "--pause-on-failure",
        help="Headed only: on failure, keep the browser open with the Playwright inspector.",
        rich_help_panel=BROWSER,
    ),
]
Hold = Annotated[
    bool,
    typer.Option(
        "--hold",
        help="Headed only: at the end, keep the browser open until Enter is pressed.",
        rich_help_panel=BROWSER,
    ),
]
HoldSeconds = Annotated[
    float | None,
    typer.Option(
        "--hold-seconds",
        min=0,
        help="Headed only: at the end, keep the browser open N seconds (Enter ends it sooner).",
        rich_help_panel=BROWSER,
    ),
]
NavigationTimeout = Annotated[
    float,
    typer.Option(
        "--navigation-timeout",
        help="Seconds to wait for a page to load.",
        rich_help_panel=BROWSER,
    ),
]
ActionTimeout = Annotated[
    float,
    typer.Option(
        "--action-timeout",
        help="Seconds to wait for an element or a download.",
        rich_help_panel=BROWSER,
    ),
]
IgnoreHttpsErrors = Annotated[
    bool,
    typer.Option(
        "--ignore-https-errors",
        help="Accept an untrusted certificate (e.g. self-signed); recorded as a warning.",
        rich_help_panel=BROWSER,
    ),
]
Browser = Annotated[
    Path | None,
    typer.Option(
        envvar="SC_LICENSE_BROWSER",
        help="Path of the Chromium or Chrome to drive.",
        rich_help_panel=BROWSER,
    ),
]
BrowserChannel = Annotated[
    Channel | None,
    typer.Option(
        "--browser-channel",
        envvar="SC_LICENSE_BROWSER_CHANNEL",
        help="Drive the installed Microsoft Edge (msedge) or Google Chrome (chrome), through "
        "Playwright's channels. Without it, they are tried when no Chromium is found "
        "(Windows: Edge first; macOS: Chrome first).",
        rich_help_panel=BROWSER,
    ),
]
BrowserEndpoint = Annotated[
    str | None,
    typer.Option(
        "--browser-endpoint",
        help="Use a remote browser: a Chromium DevTools endpoint (http://host:9222) or a "
        "Playwright server (ws://host:port/).",
        rich_help_panel=BROWSER,
    ),
]
Trace = Annotated[
    Keep,
    typer.Option(
        "--trace", "--tracing", help="Keep a Playwright trace.zip.", rich_help_panel=EVIDENCE
    ),
]
Video = Annotated[
    Keep, typer.Option("--video", help="Keep a video of the run.", rich_help_panel=EVIDENCE)
]
Out = Annotated[
    Path,
    typer.Option(
        envvar=OUT_VARIABLE, help="Root folder for run evidence.", rich_help_panel=EVIDENCE
    ),
]
Json = Annotated[
    bool, typer.Option("--json", help="Print the result as JSON.", rich_help_panel=EVIDENCE)
]
JunitXml = Annotated[
    Path | None,
    typer.Option(
        "--junit-xml",
        metavar="FILE",
        help="Also write the endings as JUnit XML for a CI system: one test case per "
        "environment, failures linked to their report.",
        rich_help_panel=EVIDENCE,
    ),
]
Debug = Annotated[
    bool, typer.Option(help="Show tracebacks of unexpected errors.", rich_help_panel=EVIDENCE)
]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Sign in, back up and check everything; upload nothing.",
        rich_help_panel=CHANGE,
    ),
]
ExpectSerial = Annotated[
    str | None,
    typer.Option(
        help="The serial the file is for, when it cannot be read from the file.",
        rich_help_panel=CHANGE,
    ),
]
AllowEarlierEnd = Annotated[
    bool,
    typer.Option(
        "--allow-earlier-end",
        help="Install a license that ends earlier than the installed one (refused otherwise).",
        rich_help_panel=CHANGE,
    ),
]
Confirm = Annotated[
    bool,
    typer.Option(
        "--confirm",
        help="Before uploading, show the change and ask for the serial's last group "
        "(the default when headed on a terminal).",
        rich_help_panel=CHANGE,
    ),
]
Yes = Annotated[
    bool, typer.Option("--yes", "-y", help="Do not ask for approval.", rich_help_panel=CHANGE)
]
Reason = Annotated[
    str | None,
    typer.Option(
        "--reason",
        help="Why the license is changed, e.g. 'Annual renewal'; kept in the evidence.",
        rich_help_panel=CHANGE,
    ),
]
ChangeTicket = Annotated[
    str | None,
    typer.Option(
        "--change",
        help="The change ticket the change is made under, e.g. CHG0012345; kept in the evidence.",
        rich_help_panel=CHANGE,
    ),
]
# The longest --reason and --change kept: a sentence, and a ticket's reference.
MAX_REASON = 500
MAX_TICKET = 100


class Settings(BaseModel):
    """How every run of a command is carried out and reported."""

    model_config = ConfigDict(frozen=True)

    run: RunOptions
    as_json: bool = False
    debug: bool = False
    parallel: int = DEFAULT_PARALLEL
    max_fail: int | None = None
    junit_xml: Path | None = None


def run_options(
    *,
    headed: bool,
    slow_mo: int,
    browser: Path | None,
    browser_endpoint: str | None,
    navigation_timeout: float,
    action_timeout: float,
    ignore_https_errors: bool,
    trace: Keep,
    video: Keep,
    out: Path,
    pause_on_failure: bool,
    hold: bool = False,
    hold_seconds: float | None = None,
    reason: str | None = None,
    change: str | None = None,
    browser_channel: Channel | None = None,
) -> RunOptions:
    """The run options from the shared command-line options, or a clear refusal."""
    if pause_on_failure and not headed:
        raise BadInput(
            "--pause-on-failure needs --headed: there is no window to pause in.",
            hint="Add --headed, or leave out --pause-on-failure.",
        )
    holds = hold or hold_seconds is not None
    if holds and not headed:
        raise BadInput(
            "--hold needs --headed: there is no window to keep open.",
            hint="Add --headed, or leave out --hold.",
        )
    if hold and hold_seconds is None and not sys.stdin.isatty():
        raise BadInput(
            "--hold waits for Enter, and there is no terminal to press it on.",
            hint="Give --hold-seconds N instead: the browser then stays open N seconds.",
        )
    if browser is not None and browser_channel is not None:
        raise BadInput(
            "--browser and --browser-channel both name a browser.",
            hint="Give one of them: a path with --browser, or msedge or chrome with "
            "--browser-channel (check SC_LICENSE_BROWSER and SC_LICENSE_BROWSER_CHANNEL too).",
        )
    if min(navigation_timeout, action_timeout) <= 0:
        raise BadInput("Timeouts must be more than 0 seconds.", hint="E.g. --action-timeout 30.")
    # A Playwright server (ws://) records with its own ffmpeg; any other run, with this one's.
    if video != "off" and not (browser_endpoint or "").startswith(("ws://", "wss://")):
        require_ffmpeg()
    return RunOptions(
        launch=LaunchOptions(
            headed=headed,
            slow_mo_ms=slow_mo,
            executable=browser,
            channel=browser_channel,
            endpoint=browser_endpoint,
        ),
        page=PageOptions(
            navigation_timeout_ms=round(navigation_timeout * 1000),
            action_timeout_ms=round(action_timeout * 1000),
            ignore_https_errors=ignore_https_errors,
        ),
        evidence=EvidenceOptions(
            out=evidence_root(out), tracing=trace, video=video, state=usable_state_folder()
        ),
        pause_on_failure=pause_on_failure,
        hold=holds,
        hold_seconds=hold_seconds,
        locks=state_folder() / "locks",
        attribution=Attribution(
            actor=current_actor(),
            reason=plain_note("--reason", reason, MAX_REASON),
            change=plain_note("--change", change, MAX_TICKET),
        ),
    )


def plain_note(option: str, text: str | None, longest: int) -> str | None:
    """A --reason, --change or --note as it will be kept, or a clear refusal: it goes into
    every record and report of the run, and onto the terminal."""
    if text is None:
        return None
    kept = " ".join(text.split())
    if not kept:
        raise BadInput(
            f"{option} is empty.", hint=f"Give some text with {option}, or leave it out."
        )
    if len(kept) > longest:
        raise BadInput(
            f"{option} has {len(kept)} characters; at most {longest} are kept.",
            hint="Give it shorter: the details belong in the change ticket.",
        )
    if not kept.isprintable():
        raise BadInput(f"{option} holds a control or invisible character.", hint="Give plain text.")
    return kept


def evidence_root(out: Path) -> Path:
    """--out, if this user can make run folders there (it is made when the first run starts),
    or a clear refusal before any browser opens."""
    problem = writing_refused(out)
    if problem is not None:
        raise BadInput(
            f"Evidence cannot be written under {out}: {problem}. Nothing was done.",
            hint=f"Give --out (or set {OUT_VARIABLE} to) a folder this user can write to, "
            "or run from one: runs go to recordings/ in the current folder by default.",
        )
    return out
