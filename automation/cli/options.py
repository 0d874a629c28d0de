"""The options the commands take, each declared once (an Annotated type with its help and
panel), and the groups of them every command that runs a flow shares (HowItRuns,
WhichEnvironments): a command takes a group as one parameter, and `with_option_groups`
(automation/option_groups.py) shows typer its options."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from automation.browser.channels import Channel
from automation.defaults import ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS, OUT, Keep

if TYPE_CHECKING:  # loaded when a command runs: --help needs only the options
    from automation.cli.targets import Where

ENVIRONMENT = "Which environment"
MANY = "Many environments (the inventory)"
BROWSER = "Browser"
EVIDENCE = "Evidence and output"
CHANGE = "The change"

# Defaults, as the models they end up in have them (automation/defaults.py).
NAVIGATION_TIMEOUT_S = NAVIGATION_TIMEOUT_MS / 1000
ACTION_TIMEOUT_S = ACTION_TIMEOUT_MS / 1000
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
        metavar="URL",
        help="Service Center's address, e.g. https://host/ServiceCenter (one-off).",
        rich_help_panel=ENVIRONMENT,
    ),
]
User = Annotated[
    str | None,
    typer.Option(
        metavar="NAME", help="The Service Center user that signs in.", rich_help_panel=ENVIRONMENT
    ),
]
PasswordEnv = Annotated[
    str | None,
    typer.Option(
        metavar="VARIABLE",
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
        metavar="NAME",
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
        help="A site profile (TOML) teaching this Service Center's own words (see "
        "docs/operator-guide.md, 'Site profiles'). With the inventory, for the environments "
        "without a profile = of their own.",
        rich_help_panel=ENVIRONMENT,
    ),
]
Inventory = Annotated[
    Path,
    typer.Option(
        envvar="SC_LICENSE_INVENTORY",
        metavar="FILE",
        help="The environments file.",
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
        "--shard",
        metavar="I/N",
        help="The I-th of N stable slices, for CI matrices.",
        rich_help_panel=MANY,
    ),
]
Parallel = Annotated[
    int,
    typer.Option(
        "--parallel",
        min=1,
        metavar="N",
        help="Environments at a time, sharing a browser per core, each in a context of its own.",
        rich_help_panel=MANY,
    ),
]
MaxFail = Annotated[
    int | None,
    typer.Option(
        "--max-fail",
        min=1,
        metavar="N",
        help="Start no more environments after N have failed.",
        rich_help_panel=MANY,
    ),
]
Headed = Annotated[
    bool,
    typer.Option(
        "--headed",
        help="Show the browser, the current step and each element acted on.",
        rich_help_panel=BROWSER,
    ),
]
SlowMo = Annotated[
    int,
    typer.Option(
        "--slow-mo",
        "--slowmo",
        metavar="MS",
        help="Slow every browser action by MS milliseconds.",
        rich_help_panel=BROWSER,
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
        metavar="N",
        help="Headed only: at the end, keep the browser open N seconds (Enter ends it sooner).",
        rich_help_panel=BROWSER,
    ),
]
NavigationTimeout = Annotated[
    float,
    typer.Option(
        "--navigation-timeout",
        metavar="S",
        help="Seconds to wait for a page to load.",
        rich_help_panel=BROWSER,
    ),
]
ActionTimeout = Annotated[
    float,
    typer.Option(
        "--action-timeout",
        metavar="S",
        help="Seconds to wait for an element or a download.",
        rich_help_panel=BROWSER,
    ),
]
IgnoreHttpsErrors = Annotated[
    bool,
    typer.Option(
        "--ignore-https-errors",
        help="Accept an untrusted (e.g. self-signed) certificate; recorded as a warning.",
        rich_help_panel=BROWSER,
    ),
]
Browser = Annotated[
    Path | None,
    typer.Option(
        envvar="SC_LICENSE_BROWSER",
        metavar="FILE",
        help="The Chromium or Chrome to drive.",
        rich_help_panel=BROWSER,
    ),
]
BrowserChannel = Annotated[
    Channel | None,
    typer.Option(
        "--browser-channel",
        envvar="SC_LICENSE_BROWSER_CHANNEL",
        metavar="NAME",
        help="msedge or chrome: drive the installed Edge or Chrome (Playwright's channels). "
        "Without it, they are tried when no Chromium is found.",
        rich_help_panel=BROWSER,
    ),
]
BrowserEndpoint = Annotated[
    str | None,
    typer.Option(
        "--browser-endpoint",
        metavar="URL",
        help="A remote browser: a Chromium DevTools endpoint (http://host:9222) or a "
        "Playwright server (ws://host:port/).",
        rich_help_panel=BROWSER,
    ),
]
CaFile = Annotated[
    Path | None,
    typer.Option(
        "--ca-file",
        metavar="FILE",
        envvar="SC_LICENSE_CA_FILE",
        help="Trust this CA's certificate (PEM or DER) for HTTPS, certificates still checked; "
        "recorded in run.json.",
        rich_help_panel=BROWSER,
    ),
]
Proxy = Annotated[
    str | None,
    typer.Option(
        "--proxy",
        metavar="URL",
        help="Reach Service Center through this proxy (default: HTTPS_PROXY, HTTP_PROXY, "
        "ALL_PROXY and NO_PROXY); recorded without its password.",
        rich_help_panel=BROWSER,
    ),
]
Trace = Annotated[
    Keep,
    typer.Option(
        "--trace",
        "--tracing",
        metavar="WHEN",
        help="Keep a Playwright trace.zip: on, off or retain-on-failure.",
        rich_help_panel=EVIDENCE,
    ),
]
Video = Annotated[
    Keep,
    typer.Option(
        "--video",
        metavar="WHEN",
        help="Keep a video of the run: on, off or retain-on-failure.",
        rich_help_panel=EVIDENCE,
    ),
]
Out = Annotated[
    Path,
    typer.Option(
        envvar=OUT_VARIABLE,
        metavar="DIR",
        help="Root folder of run evidence.",
        rich_help_panel=EVIDENCE,
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
        help="Also write the endings as JUnit XML for CI: a test case per environment, "
        "failures linked to their report.",
        rich_help_panel=EVIDENCE,
    ),
]
Debug = Annotated[
    bool,
    typer.Option("--debug", help="Show tracebacks of unexpected errors.", rich_help_panel=EVIDENCE),
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
        metavar="SERIAL",
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
        metavar="TEXT",
        help="Why the license is changed, e.g. 'Annual renewal'; kept in the evidence.",
        rich_help_panel=CHANGE,
    ),
]
ChangeTicket = Annotated[
    str | None,
    typer.Option(
        "--change",
        metavar="TICKET",
        help="The change ticket the change is made under, e.g. CHG0012345; kept in the evidence.",
        rich_help_panel=CHANGE,
    ),
]


@dataclass(frozen=True)
class HowItRuns:
    """The browser and evidence options every command that runs a flow takes, the demo too."""

    headed: Headed = False
    slow_mo: SlowMo = 0
    trace: Trace = "off"
    video: Video = "off"
    pause_on_failure: PauseOnFailure = False
    hold: Hold = False
    hold_seconds: HoldSeconds = None
    navigation_timeout: NavigationTimeout = NAVIGATION_TIMEOUT_S
    action_timeout: ActionTimeout = ACTION_TIMEOUT_S
    ignore_https_errors: IgnoreHttpsErrors = False
    out: Out = OUT
    json: Json = False
    browser: Browser = None
    browser_channel: BrowserChannel = None
    debug: Debug = False


@dataclass(frozen=True)
class WhichEnvironments:
    """The options of the commands that work on real environments, one or the inventory's:
    which, how many at a time, through which remote browser, and the JUnit XML of them."""

    url: Url = None
    user: User = None
    password_env: PasswordEnv = None
    env_name: EnvName = None
    profile: Profile = None
    inventory: Inventory = INVENTORY
    env: Env = None
    group: Group = None
    all_: All = False
    shard: Shard = None
    parallel: Parallel = DEFAULT_PARALLEL
    max_fail: MaxFail = None
    browser_endpoint: BrowserEndpoint = None
    ca_file: CaFile = None
    proxy: Proxy = None
    junit_xml: JunitXml = None

    def where(self) -> Where:
        """The environments these options name (checked when the command runs them)."""
        from automation.cli.targets import Where
        from automation.inventory import Selection

        selection = Selection(
            inventory=self.inventory,
            names=self.env or [],
            groups=self.group or [],
            everything=self.all_,
            shard=self.shard,
        )
        return Where(
            url=self.url,
            user=self.user,
            password_env=self.password_env,
            env_name=self.env_name,
            profile=self.profile,
            selection=selection,
        )
