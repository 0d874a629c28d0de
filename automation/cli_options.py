"""The options the commands share, declared once: each an Annotated type with its help."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from automation.config import Keep

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
    int,
    typer.Option("--parallel", min=1, help="Environments at a time, each worker with a browser."),
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
