"""Run one flow against one environment: evidence folder, browser session, outcome, seal."""

from __future__ import annotations

import errno
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.browser.session import SessionFactory, open_session
from automation.config import RunOptions, Target, keeps
from automation.errors import (
    EvidenceNotWritten,
    ExitCode,
    ScLicenseError,
    ServiceCenterError,
    SignInFailed,
)
from automation.evidence.audit import seal
from automation.evidence.commands import Recall
from automation.evidence.liveness import register
from automation.evidence.records import FlowResult, ProfileUsed, RunRecord
from automation.evidence.run import Listener, Run
from automation.lock import address_key, environment_lock, serial_key
from automation.pages import find

FLEET_STOP_GRACE_S = 0.5
# A disk that is full, read-only or out of quota: the evidence has nowhere to go.
UNWRITABLE = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM}

# A business procedure: it drives the page for the target and records into the run.
Flow = Callable[[Page, Run, Target], FlowResult]


@dataclass
class Finished:
    """A sealed run, and what only the command that started it needs to know."""

    folder: Path
    record: RunRecord
    unexpected: Exception | None = None  # re-raised with --debug
    unsealed: str | None = None  # why the report or the audit log could not be written


def execute(
    flow_name: str,
    flow: Flow,
    target: Target,
    options: RunOptions,
    *,
    changes: bool = False,
    listener: Listener | None = None,
    session: SessionFactory = open_session,
    stopping: threading.Event | None = None,
    changing: threading.Event | None = None,
    index: bool = True,
    fleet_run: str | None = None,
    hold: Callable[[], None] | None = None,
) -> Finished:
    """Open a run folder and a browser, run the flow, record how it ended, and seal it.

    Expected failures end in run.json with their exit code; anything else is recorded as
    unexpected (exit 1) and handed back for the CLI's --debug. An interrupt is recorded,
    sealed, then raised again. Every run ends with its report, a line in the audit log and
    an updated index, failed ones included. `hold`, when given, is called at the end of the
    flow, before the browser closes (not after an interrupt).
    """
    out = options.evidence.out
    locks = options.locks or out / ".locks"
    stack = ExitStack()

    def claim_serial(serial: str) -> None:
        """The same environment may be reached by another address: hold its serial too."""
        what = f"the environment with serial {serial}"
        stack.enter_context(environment_lock(locks, serial_key(serial), what, run.folder))

    try:
        run = Run.create(
            options.evidence,
            flow=flow_name,
            environment=target.name,
            url=target.url,
            user=target.user,
            profile=ProfileUsed.of(target.profile),
            attribution=options.attribution,
            listener=listener,
            supervised=options.supervised,
            stopping=stopping,
            navigation_timeout_ms=options.page.navigation_timeout_ms,
            changing=changing,
            on_serial=claim_serial if changes else None,
            fleet_run=fleet_run,
        )
    except OSError as error:  # no run folder, so no record: the CLI says so
        raise EvidenceNotWritten(
            f"No run folder could be made under {out} ({error.strerror or error}); nothing was "
            "done.",
            hint="Free some space in (or choose another) --out folder, then run again.",
        ) from None
    run.recall = Recall.of(target, out)
    finished = Finished(run.folder, run.record)
    for warning in register(out, options.evidence.state, run.folder, run.record):
        run.warn(warning)  # an earlier run on this environment was cut off
    if options.page.ignore_https_errors:
        run.warn(
            "Certificate errors were ignored (--ignore-https-errors): the server's identity "
            "was not checked."
        )
    keep_video = options.evidence.video
    video_dir = Path(tempfile.mkdtemp(prefix="sc-license-video-")) if keep_video != "off" else None
    video: Path | None = None
    failed = True
    try:
        with stack:
            if changes:  # one change at a time per environment
                key = address_key(target.url)
                stack.enter_context(environment_lock(locks, key, target.url, run.folder))
            browser = stack.enter_context(session(options, video_dir))
            used = browser.used
            run.used_browser(
                browser.browser,
                headless=not options.launch.headed,
                kind=used.kind if used else None,
                executable=used.executable if used else None,
            )
            run.watch(browser.page)
            # Known now, while Playwright runs; the file is complete once the context closes.
            video = Path(browser.page.video.path()) if browser.page.video else None
            # Every control is awaited as long as the action timeout (pages/find.py).
            patience = find.patience_ms.set(options.page.action_timeout_ms)
            try:
                result = flow(browser.page, run, target)
                failed = False
            finally:
                find.patience_ms.reset(patience)
                run.stop_trace(keep=keeps(options.evidence.tracing, failed))
                if failed and options.pause_on_failure and options.launch.headed:
                    browser.page.pause()  # the operator looks, then closes the inspector
                elif hold is not None and not _interrupted(stopping):
                    hold()  # the operator looks at the final state
        if stopping is not None and stopping.is_set() and run.changing.is_set():
            # Asked to stop during the change: it was seen through, and now the run stops.
            note = " An interrupt came during the change; it was seen through first."
            run.finish(result.outcome, ExitCode.INTERRUPTED, result.message + note)
        else:
            run.finish(result.outcome, result.exit_code, result.message)
    except ScLicenseError as error:
        # Once the upload has begun, how the change ended (rolled back, or not) is the news.
        stopped = not run.changing.is_set() and _fleet_stopping(stopping)
        run.fail(KeyboardInterrupt() if stopped else _password_named(error, target))
    except KeyboardInterrupt as error:  # Ctrl-C, or SIGTERM (see the CLI)
        run.fail(error)
    except Exception as error:
        if not run.changing.is_set() and _fleet_stopping(stopping):
            run.fail(KeyboardInterrupt())
        else:
            explained = _explain(error, run, options)
            run.fail(explained or error)
            if explained is None:
                finished.unexpected = error
    except BaseException as error:
        run.fail(error)
        raise
    finally:
        if video is not None and keeps(keep_video, failed):
            _keep_video(run, video)
        if video_dir is not None:
            shutil.rmtree(video_dir, ignore_errors=True)
        try:
            seal(out, run.folder, options.evidence.state, index=index)
        except OSError as error:  # a full disk, a read-only folder: say so, keep the outcome
            finished.unsealed = f"The report and audit log could not be written: {error}"
        if run.unwritten:
            lost = "; ".join(run.unwritten)
            finished.unsealed = (
                f"Part of the evidence could not be written ({lost}): run.json and the report "
                "may lag behind what happened, which is what is shown here."
                + (f" {finished.unsealed}" if finished.unsealed else "")
            )
        if finished.unsealed and run.changing.is_set() and run.record.exit_code == ExitCode.OK:
            run.record.exit_code = ExitCode.EVIDENCE_DOES_NOT_VERIFY  # a change, not all recorded
    return finished


def _interrupted(stopping: threading.Event | None) -> bool:
    """Whether the run is ending because it was interrupted (Ctrl-C or SIGTERM)."""
    return isinstance(sys.exc_info()[1], KeyboardInterrupt) or bool(
        stopping is not None and stopping.is_set()
    )


def _fleet_stopping(stopping: threading.Event | None) -> bool:
    """Whether this run failed because it is being interrupted: a stop signal sent to the
    whole process group may end Playwright's driver, and the browser with it, a moment before
    the interrupt reaches the main thread, so a failure waits that moment before it counts as
    a failure of its own."""
    return stopping is not None and stopping.wait(FLEET_STOP_GRACE_S)


def _password_named(error: ScLicenseError, target: Target) -> ScLicenseError:
    """A refused sign-in with a password from a fallback variable says so: the fallback may
    hold another environment's password, and each retry with it counts toward a lock."""
    passed_over = target.password_passed_over
    if isinstance(error, SignInFailed) and passed_over:
        unset = " and ".join(passed_over)
        error.hint += (
            f" The password was read from {target.password_env}, because {unset} "
            f"{'is' if len(passed_over) == 1 else 'are'} not set."
        )
    return error


def _keep_video(run: Run, recorded: Path) -> None:
    """The browser has closed, so the recording is complete: move it into the run folder."""
    if recorded.is_file():
        target = run.folder / "video.webm"
        try:
            shutil.move(recorded, target)
            run.add_file(target, "video")
        except OSError as error:
            target.unlink(missing_ok=True)
            run.unwritten.append(f"video: {error}")


def _explain(error: Exception, run: Run, options: RunOptions) -> ScLicenseError | None:
    """A Playwright wait that ran out means Service Center did not show what a step expects;
    a file that cannot be written means the evidence has nowhere to go."""
    if isinstance(error, OSError) and error.errno in UNWRITABLE:
        return EvidenceNotWritten(
            f"The evidence could not be written to {run.folder} ({error.strerror}); nothing "
            "was changed.",
            hint="Free some space in (or choose another) --out folder, then run again.",
        )
    waited = isinstance(error, PlaywrightTimeoutError) or (
        isinstance(error, AssertionError)
        and str(error).startswith(("Locator expected", "Page expected"))
    )
    if not waited:
        return None
    where = run.failed_at or "?"
    ran_out = re.search(r"timeout (\d+)ms", str(error), re.IGNORECASE)
    page = options.page
    waited_ms = int(ran_out.group(1)) if ran_out else page.action_timeout_ms
    return ServiceCenterError(
        f"Service Center did not show what the step “{run.current_step}” waits for within "
        f"{waited_ms / 1000:g} s (at {where}).",
        hint="Its screenshot shows what it showed instead. If Service Center is just slow, "
        "allow more time with --action-timeout and --navigation-timeout.",
    )
