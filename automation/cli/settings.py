"""What the command-line options become: the settings of a command's runs, checked before any
browser opens."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from automation.browser.ffmpeg import require_ffmpeg
from automation.browser.trust import read_certificates, uses_nss
from automation.cli.identity import current_actor
from automation.cli.options import DEFAULT_PARALLEL, OUT_VARIABLE, HowItRuns, WhichEnvironments
from automation.cli.state import state_folder, usable_state_folder, writing_refused
from automation.config import EvidenceOptions, LaunchOptions, PageOptions, RunOptions
from automation.defaults import Keep
from automation.errors import BadInput
from automation.identity import Attribution
from automation.proxy import proxy_option

# The longest --reason and --change kept: a sentence, and a ticket's reference.
MAX_REASON = 500
MAX_TICKET = 100
# The variables Chromium takes a proxy from, in either case (config.environment_proxy).
PROXY_VARIABLES = ("all_proxy", "http_proxy", "https_proxy", "no_proxy")


class Settings(BaseModel):
    """How every run of a command is carried out and reported."""

    model_config = ConfigDict(frozen=True)

    run: RunOptions
    as_json: bool = False
    debug: bool = False
    parallel: int = DEFAULT_PARALLEL
    max_fail: int | None = None
    junit_xml: Path | None = None


def settings(
    how: HowItRuns,
    which: WhichEnvironments | None = None,
    *,
    reason: str | None = None,
    change: str | None = None,
) -> Settings:
    """The settings from a command's options, or a clear refusal. The demo gives no `which`:
    its one environment is the sandbox it starts."""
    which = which or WhichEnvironments()
    run = run_options(how, which.browser_endpoint, reason=reason, change=change)
    return Settings(
        run=reaching(run, which),
        as_json=how.json,
        debug=how.debug,
        parallel=which.parallel,
        max_fail=which.max_fail,
        junit_xml=which.junit_xml,
    )


def run_options(
    how: HowItRuns,
    browser_endpoint: str | None = None,
    *,
    reason: str | None = None,
    change: str | None = None,
) -> RunOptions:
    """The run options from the browser and evidence options, or a clear refusal."""
    if how.pause_on_failure and not how.headed:
        raise BadInput(
            "--pause-on-failure needs --headed: there is no window to pause in.",
            hint="Add --headed, or leave out --pause-on-failure.",
        )
    holds = how.hold or how.hold_seconds is not None
    if holds and not how.headed:
        raise BadInput(
            "--hold needs --headed: there is no window to keep open.",
            hint="Add --headed, or leave out --hold.",
        )
    if how.hold and how.hold_seconds is None and not sys.stdin.isatty():
        raise BadInput(
            "--hold waits for Enter, and there is no terminal to press it on.",
            hint="Give --hold-seconds N instead: the browser then stays open N seconds.",
        )
    if how.browser is not None and how.browser_channel is not None:
        raise BadInput(
            "--browser and --browser-channel both name a browser.",
            hint="Give one of them: a path with --browser, or msedge or chrome with "
            "--browser-channel (check SC_LICENSE_BROWSER and SC_LICENSE_BROWSER_CHANNEL too).",
        )
    if min(how.navigation_timeout, how.action_timeout) <= 0:
        raise BadInput("Timeouts must be more than 0 seconds.", hint="E.g. --action-timeout 30.")
    # A Playwright server (ws://) records with its own ffmpeg; any other run, with this one's.
    if how.video != "off" and not (browser_endpoint or "").startswith(("ws://", "wss://")):
        require_ffmpeg()
    return RunOptions(
        launch=LaunchOptions(
            headed=how.headed,
            slow_mo_ms=how.slow_mo,
            executable=how.browser,
            channel=how.browser_channel,
            endpoint=browser_endpoint,
        ),
        page=PageOptions(
            navigation_timeout_ms=round(how.navigation_timeout * 1000),
            action_timeout_ms=round(how.action_timeout * 1000),
            ignore_https_errors=how.ignore_https_errors,
        ),
        evidence=evidence_options(how.out, how.trace, how.video),
        pause_on_failure=how.pause_on_failure,
        hold=holds,
        hold_seconds=how.hold_seconds,
        locks=state_folder() / "locks",
        attribution=attribution(reason, change),
    )


def evidence_options(out: Path, tracing: Keep, video: Keep) -> EvidenceOptions:
    """Where runs go (checked writable) and where the audit trail's head is kept."""
    return EvidenceOptions(
        out=evidence_root(out), tracing=tracing, video=video, state=usable_state_folder()
    )


def attribution(
    reason: str | None,
    change: str | None,
    *,
    reason_option: str = "--reason",
    change_option: str = "--change",
) -> Attribution:
    """Who runs it (the account, and the CI identity in CI) and why, checked as kept."""
    return Attribution(
        actor=current_actor(),
        reason=plain_note(reason_option, reason, MAX_REASON),
        change=plain_note(change_option, change, MAX_TICKET),
    )


def reaching(
    run: RunOptions,
    which: WhichEnvironments,
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
) -> RunOptions:
    """`run` with how its pages reach Service Center: the CAs the browser trusts (--ca-file
    and the selected environments' ca_file) and the proxy (--proxy; the inventory's and the
    proxy variables are applied per environment)."""
    ca_files = trusted_cas(which)
    if ca_files:
        trust_refused(which.browser_endpoint, platform)
    page = run.page.model_copy(
        update={
            "proxy": proxy_option(which.proxy, "--proxy") if which.proxy else None,
            "proxy_variables": {
                name: value for name, value in environ.items() if name.lower() in PROXY_VARIABLES
            },
        }
    )
    launch = run.launch.model_copy(update={"ca_files": ca_files})
    return run.model_copy(update={"launch": launch, "page": page})


def trusted_cas(which: WhichEnvironments) -> tuple[Path, ...]:
    """--ca-file and the ca_file of each environment selected, each once, read and checked:
    a fleet's browsers serve several environments, so each trusts them all."""
    files = [which.ca_file] if which.ca_file else []
    where = which.where()
    if where.selection.given:
        where.check()  # what is wrong with the options is said before the inventory is read
        environments, _ = where.selection.environments()
        files += [environment.ca_file for environment in environments if environment.ca_file]
    unique = {path.absolute(): path for path in files}
    for path in unique.values():
        read_certificates(path)  # a file that holds no certificate is refused now
    return tuple(unique.values())


def trust_refused(endpoint: str | None, platform: str) -> None:
    """A CA can be trusted only in a Chromium sc-license launches on Linux: elsewhere, a
    clear refusal saying where the CA goes instead."""
    if endpoint:
        raise BadInput(
            f"--ca-file (or ca_file in the inventory) trusts a CA in the browser sc-license "
            f"launches; the browser at {endpoint} trusts what its own machine trusts.",
            hint="Add the CA to the trusted certificates where that browser runs, or leave out "
            "--browser-endpoint.",
        )
    if uses_nss(platform):
        return
    if platform == "win32":
        where = "Windows' certificate store"
        how = "Import the CA into Trusted Root Certification Authorities (certmgr.msc, or "
        how += "`certutil -user -addstore Root FILE`)"
    else:
        where = "the macOS keychain"
        how = "Add the CA to the login keychain, trusted for SSL (Keychain Access, or "
        how += "`security add-trusted-cert -r trustRoot -k "
        how += "~/Library/Keychains/login.keychain-db FILE`)"
    raise BadInput(
        f"--ca-file (or ca_file in the inventory) works on Linux; here Chrome and Edge trust "
        f"the CAs in {where}.",
        hint=f"{how}, then run without --ca-file.",
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
