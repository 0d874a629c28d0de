"""Run one flow against one environment: evidence folder, browser session, outcome, seal."""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import playwright as playwright_package
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.browser.session import BrowserSession, SessionFactory, open_session
from automation.browser.supervision import HIDDEN_IN_SCREENSHOTS, step_display
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
from automation.evidence.records import (
    CaFileUsed,
    FlowResult,
    ProfileUsed,
    ProxyUsed,
    RunRecord,
)
from automation.evidence.run import Listener, Run
from automation.lock import address_key, environment_lock, serial_key
from automation.pages import find, network
from automation.procedure import Flow, Procedure

FLEET_STOP_GRACE_S = 0.5
# A disk that is full, read-only or out of quota: the evidence has nowhere to go.
UNWRITABLE = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM}
# Playwright's calls that wait for a page to load, with the navigation timeout; its other
# waits (actions, expect()) have the action timeout.
NAVIGATIONS = {
    "goto",
    "reload",
    "go_back",
    "go_forward",
    "wait_for_url",
    "wait_for_load_state",
    "expect_navigation",
}
PLAYWRIGHT_CODE = os.path.join(playwright_package.__path__[0], "")  # its own functions' folder


@dataclass
class Finished:
    """A sealed run, and what only the command that started it needs to know."""

    folder: Path
    record: RunRecord
    unexpected: Exception | None = None  # re-raised with --debug
    unsealed: str | None = None  # why the report or the audit log could not be written


def execute(
    procedure: Procedure,
    target: Target,
    options: RunOptions,
    *,
    listener: Listener | None = None,
    session: SessionFactory = open_session,
    stopping: threading.Event | None = None,
    changing: threading.Event | None = None,
    index: bool = True,
    fleet_run: str | None = None,
    hold: Callable[[], None] | None = None,
) -> Finished:
    """Open a browser and a run folder, run the flow, record how it ended, and seal it.

    The browser comes first: one that does not start (NoBrowser, or CannotReach for a remote
    one) is raised before anything is made, no run folder and no audit log line, as for any
    refusal before the run. Once the run folder is made, expected failures end in run.json
    with their exit code; anything else is recorded as unexpected (exit 1) and handed back for
    the CLI's --debug. An interrupt is recorded and sealed as the run's ending (exit 130).
    Every run ends with its report, a line in the audit log and an updated index, failed ones
    included. `session` opens the run's page (by default in a browser of its own, from the
    driver lent to this thread or one started for the run: automation/browser/session.py's
    start_playwright). `hold`, when given, is called at the end of the flow, before the browser
    closes (not after an interrupt).
    """
    options = options.model_copy(update={"page": options.page.for_address(target.url)})
    keep_video = options.evidence.video
    video_dir = Path(tempfile.mkdtemp(prefix="sc-license-video-")) if keep_video != "off" else None
    held = ExitStack()  # the browser and the locks: released together once the flow ends
    browser = _start(session, options, video_dir, held)
    try:
        run = _open_run(procedure, target, options, listener, stopping, changing, fleet_run)
    except BaseException:
        held.close()
        _discard(video_dir)
        raise
    locks = _Locks(options.locks or options.evidence.out / ".locks", run.folder, held)
    if procedure.changes:  # one change at a time per environment, by its address and by its serial
        run.on_serial = locks.claim_serial
    finished = Finished(run.folder, run.record)
    video: Path | None = None
    failed = True  # until the flow returns
    try:
        with held:
            if isinstance(browser, BaseException):
                raise browser  # an interrupt, or unexpected: the run records it
            if procedure.changes:
                locks.claim_address(target.url)
            video = _watch(run, browser, options)
            try:
                result = _run_flow(procedure.flow, browser.page, run, target, options)
                failed = False
            finally:
                _after_flow(browser.page, run, options, failed, stopping, hold)
        _finish(run, result, stopping)
    except BaseException as error:
        finished.unexpected = _record_failure(error, run, target, options, stopping)
        if not isinstance(error, Exception | KeyboardInterrupt):
            raise  # not a failure (SystemExit, a greenlet ended): recorded, and passed on
    finally:
        if video is not None and keeps(keep_video, failed):
            _keep_video(run, video)
        _discard(video_dir)
        _seal(run, finished, options, index=index)
    return finished


def _start(
    session: SessionFactory, options: RunOptions, video_dir: Path | None, held: ExitStack
) -> BrowserSession | BaseException:
    """The run's browser and page, kept in `held`. One that did not start (an expected
    failure: none found, no display, it failed) is raised here, before the run folder: nothing
    was done, so nothing is recorded, and the CLI says why. Anything else (an interrupt) is
    handed back, for the run to record."""
    try:
        return held.enter_context(session(options, video_dir))
    except ScLicenseError:
        _discard(video_dir)
        raise
    except BaseException as error:
        return error


def _discard(video_dir: Path | None) -> None:
    if video_dir is not None:
        shutil.rmtree(video_dir, ignore_errors=True)


def _open_run(
    procedure: Procedure,
    target: Target,
    options: RunOptions,
    listener: Listener | None,
    stopping: threading.Event | None,
    changing: threading.Event | None,
    fleet_run: str | None,
) -> Run:
    """The run's folder and record, with what is known before the browser starts."""
    out = options.evidence.out
    try:
        run = Run.create(
            options.evidence,
            flow=procedure.name,
            environment=target.name,
            url=target.url,
            user=target.user,
            profile=ProfileUsed.of(target.profile),
            attribution=options.attribution,
            listener=listener,
            show_step=step_display(target.name) if options.supervised else None,
            hidden_in_screenshots=HIDDEN_IN_SCREENSHOTS,
            stopping=stopping,
            navigation_timeout_ms=options.page.navigation_timeout_ms,
            changing=changing,
            fleet_run=fleet_run,
        )
    except OSError as error:  # no run folder, so no record: the CLI says so
        raise EvidenceNotWritten(
            f"No run folder could be made under {out} ({error.strerror or error}); nothing was "
            "done.",
            hint="Free some space in (or choose another) --out folder, then run again.",
        ) from None
    run.recall = Recall.of(target, out)
    for warning in register(out, options.evidence.state, run.folder, run.record):
        run.warn(warning)  # an earlier run on this environment was cut off
    if options.page.ignore_https_errors:
        run.warn(
            "Certificate errors were ignored (--ignore-https-errors): the server's identity "
            "was not checked."
        )
    return run


class _Locks:
    """The locks that keep changes to one environment one at a time, each naming the run
    that holds it, all released with the browser (`held`)."""

    def __init__(self, folder: Path, run_folder: Path, held: ExitStack) -> None:
        self.folder = folder
        self.run_folder = run_folder
        self.held = held

    def claim_address(self, url: str) -> None:
        self.held.enter_context(
            environment_lock(self.folder, address_key(url), url, self.run_folder)
        )

    def claim_serial(self, serial: str) -> None:
        """The same environment may be reached by another address: hold its serial too."""
        what = f"the environment with serial {serial}"
        self.held.enter_context(
            environment_lock(self.folder, serial_key(serial), what, self.run_folder)
        )


def _watch(run: Run, browser: BrowserSession, options: RunOptions) -> Path | None:
    """Record which browser runs and which page the steps act on; the video it will leave."""
    used = browser.used
    run.used_browser(
        browser.browser,
        headless=not options.launch.headed,
        kind=used.kind if used else None,
        executable=used.executable if used else None,
    )
    run.record.ca_files = (
        [CaFileUsed(path=t.path, sha256=t.sha256) for t in used.trusted] if used else []
    )
    proxy = options.page.proxy
    run.record.proxy = ProxyUsed(source=proxy.source, url=proxy.url) if proxy else None
    run.watch(browser.page)
    # Known now, while Playwright runs; the file is complete once the context closes.
    return Path(browser.page.video.path()) if browser.page.video else None


def _run_flow(flow: Flow, page: Page, run: Run, target: Target, options: RunOptions) -> FlowResult:
    # Every control is awaited as long as the action timeout (pages/find.py); every message
    # about reaching Service Center names the proxy (pages/network.py).
    patience = find.patience_ms.set(options.page.action_timeout_ms)
    proxy = network.proxy.set(options.page.proxy)
    try:
        return flow(page, run, target)
    finally:
        network.proxy.reset(proxy)
        find.patience_ms.reset(patience)


def _after_flow(
    page: Page,
    run: Run,
    options: RunOptions,
    failed: bool,
    stopping: threading.Event | None,
    hold: Callable[[], None] | None,
) -> None:
    """Keep the trace or not; then let the operator look, before the browser closes."""
    run.stop_trace(keep=keeps(options.evidence.tracing, failed))
    if failed and options.pause_on_failure and options.launch.headed:
        page.pause()  # the operator looks, then closes the inspector
    elif hold is not None and not _interrupted(stopping):
        hold()  # the operator looks at the final state


def _finish(run: Run, result: FlowResult, stopping: threading.Event | None) -> None:
    """Record the flow's own ending."""
    if stopping is not None and stopping.is_set() and run.changing.is_set():
        # Asked to stop during the change: it was seen through, and now the run stops.
        note = " An interrupt came during the change; it was seen through first."
        run.finish(result.outcome, ExitCode.INTERRUPTED, result.message + note)
    else:
        run.finish(result.outcome, result.exit_code, result.message)


def _record_failure(
    error: BaseException,
    run: Run,
    target: Target,
    options: RunOptions,
    stopping: threading.Event | None,
) -> Exception | None:
    """Record how the run failed; hand back the error when nobody expected it (--debug)."""
    if isinstance(error, ScLicenseError):
        # Once the upload has begun, how the change ended (rolled back, or not) is the news.
        stopped = not run.changing.is_set() and _fleet_stopping(stopping)
        run.fail(KeyboardInterrupt() if stopped else _password_named(error, target))
    elif isinstance(error, Exception):
        if not run.changing.is_set() and _fleet_stopping(stopping):
            run.fail(KeyboardInterrupt())
            return None
        explained = _explain(error, run, options)
        run.fail(explained or error)
        return error if explained is None else None
    else:  # Ctrl-C, or SIGTERM (see the CLI); or the interpreter ending
        run.fail(error)
    return None


def _seal(run: Run, finished: Finished, options: RunOptions, *, index: bool) -> None:
    """The report, the audit log's line and the index; what could not be written is said."""
    try:
        seal(options.evidence.out, run.folder, options.evidence.state, index=index)
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
    calls = _playwright_calls(error)
    # expect() says that it ran out with an AssertionError raised in Playwright's own code
    # (an assert of ours that Playwright called back into is not a wait that ran out).
    frames = list(traceback.walk_tb(error.__traceback__))
    raised_there = bool(frames) and frames[-1][0].f_code.co_filename.startswith(PLAYWRIGHT_CODE)
    ran_out = isinstance(error, AssertionError) and raised_there
    if not (ran_out or isinstance(error, PlaywrightTimeoutError)):
        return None
    page = options.page
    loading = not NAVIGATIONS.isdisjoint(calls)
    waited_ms = page.navigation_timeout_ms if loading else page.action_timeout_ms
    proxy = f", through proxy {page.proxy.url} (from {page.proxy.source})" if page.proxy else ""
    return ServiceCenterError(
        f"Service Center did not show what the step “{run.current_step}” waits for within "
        f"{waited_ms / 1000:g} s (at {run.failed_at or '?'}{proxy}).",
        hint="Its screenshot shows what it showed instead. If Service Center is just slow, "
        "allow more time with --action-timeout and --navigation-timeout.",
    )


def _playwright_calls(error: BaseException) -> set[str]:
    """The functions of Playwright's own that `error` came up through: which wait it was."""
    return {
        frame.f_code.co_name
        for frame, _ in traceback.walk_tb(error.__traceback__)
        if frame.f_code.co_filename.startswith(PLAYWRIGHT_CODE)
    }
