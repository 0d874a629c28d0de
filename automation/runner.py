"""Run one flow against one environment: evidence folder, browser session, outcome, seal."""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from automation.audit import seal as seal_run
from automation.browser import SessionFactory, open_session
from automation.config import BrowserOptions, Target, keeps
from automation.errors import ScLicenseError, ServiceCenterError
from automation.evidence import Run, StepEvent
from automation.lock import environment_lock
from flows.common import FlowResult

FLEET_STOP_GRACE_S = 0.5

Flow = Callable[[Page, Run], FlowResult]


def execute(
    flow_name: str,
    flow: Flow,
    target: Target,
    options: BrowserOptions,
    out_dir: Path,
    *,
    changes: bool = False,
    listener: Callable[[StepEvent], None] | None = None,
    session: SessionFactory = open_session,
    stopping: threading.Event | None = None,
    index: bool = True,
) -> Run:
    """Open a run folder and a browser, run the flow, record how it ended, and seal it.

    Expected failures end in run.json with their exit code; anything else is recorded as
    unexpected (exit 1) and kept on the run for the CLI's --debug. An interrupt is recorded,
    sealed, then raised again. Every run ends with its report, a line in the audit log and
    an updated index, failed ones included.
    """
    run = Run.create(
        out_dir, flow=flow_name, environment=target.name, url=target.url, user=target.user
    )
    run.record.headless = not options.headed
    run.supervised = options.supervised
    run.tracing = options.tracing
    run.navigation_timeout_ms = options.navigation_timeout_ms
    run.stopping = stopping
    if listener is not None:
        run.listeners.append(listener)
    if options.ignore_https_errors:
        run.record.warnings.append(
            "Certificate errors were ignored (--ignore-https-errors): the server's identity "
            "was not checked."
        )
    video_dir = (
        Path(tempfile.mkdtemp(prefix="sc-license-video-")) if options.video != "off" else None
    )
    video: Path | None = None
    failed = True
    try:
        with ExitStack() as stack:
            if changes:  # one change at a time per environment
                stack.enter_context(environment_lock(out_dir, target.url, run.folder))
            browser = stack.enter_context(session(options, video_dir))
            run.record.browser = browser.browser
            # Known now, while Playwright runs; the file is complete once the context closes.
            video = Path(browser.page.video.path()) if browser.page.video else None
            try:
                result = flow(browser.page, run)
                failed = False
            finally:
                run.stop_trace(keep=keeps(options.tracing, failed))
                if failed and options.pause_on_failure and options.headed:
                    browser.page.pause()  # the operator looks, then closes the inspector
        run.finish(result.outcome, 0, result.message)
    except ScLicenseError as error:
        run.fail(KeyboardInterrupt() if _fleet_stopping(stopping) else error)
    except KeyboardInterrupt as error:  # Ctrl-C, or SIGTERM (see the CLI)
        run.fail(error)
    except Exception as error:
        if _fleet_stopping(stopping):
            run.fail(KeyboardInterrupt())
        else:
            explained = _explain(error, run, options)
            run.fail(explained or error)
            if explained is None:
                run.unexpected = error
    except BaseException as error:
        run.fail(error)
        raise
    finally:
        if video is not None and keeps(options.video, failed):
            _keep_video(run, video)
        if video_dir is not None:
            shutil.rmtree(video_dir, ignore_errors=True)
        try:
            seal(run, out_dir, index=index)
        except OSError as error:  # a full disk, a read-only folder: say so, keep the outcome
            run.unsealed = f"The report and audit log could not be written: {error}"
    return run


def _fleet_stopping(stopping: threading.Event | None) -> bool:
    """Whether this run failed because its fleet is being interrupted: Ctrl-C reaches
    Playwright's driver too, so the browser goes away under the run, and a rollback then
    fails for the same reason. The driver may go a moment before the interrupt reaches the
    fleet's main thread, so a failure in a fleet waits that moment before it counts as a
    failure of its own."""
    return stopping is not None and stopping.wait(FLEET_STOP_GRACE_S)


def seal(run: Run, out_dir: Path, *, index: bool = True) -> None:
    """Build the run's report, chain it into the audit log, and refresh the index."""
    seal_run(out_dir, run.folder, index=index)


def _keep_video(run: Run, recorded: Path) -> None:
    """The browser has closed, so the recording is complete: move it into the run folder."""
    if recorded.is_file():
        target = run.folder / "video.webm"
        shutil.move(recorded, target)
        run.add_file(target, "video")


def _explain(error: Exception, run: Run, options: BrowserOptions) -> ScLicenseError | None:
    """A Playwright wait that ran out means Service Center did not show what a step expects."""
    waited = isinstance(error, PlaywrightTimeoutError) or (
        isinstance(error, AssertionError)
        and str(error).startswith(("Locator expected", "Page expected"))
    )
    if not waited:
        return None
    where = run.page.url if run.page is not None and not run.page.is_closed() else "?"
    seconds = max(options.action_timeout_ms, options.navigation_timeout_ms) / 1000
    return ServiceCenterError(
        f"Service Center did not show what the step “{run.current_step}” waits for within "
        f"{seconds:g} s (at {where}).",
        hint="Its screenshot shows what it showed instead. If Service Center is just slow, "
        "allow more time with --action-timeout and --navigation-timeout.",
    )
