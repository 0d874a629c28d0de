"""Run one flow against one environment: evidence folder, browser session, outcome, seal."""

from __future__ import annotations

import shutil
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
from automation.errors import ScLicenseError, ServiceCenterError
from automation.evidence.audit import seal
from automation.evidence.liveness import register
from automation.evidence.records import FlowResult, RunRecord
from automation.evidence.run import Listener, Run
from automation.lock import environment_lock

FLEET_STOP_GRACE_S = 0.5

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
    index: bool = True,
) -> Finished:
    """Open a run folder and a browser, run the flow, record how it ended, and seal it.

    Expected failures end in run.json with their exit code; anything else is recorded as
    unexpected (exit 1) and handed back for the CLI's --debug. An interrupt is recorded,
    sealed, then raised again. Every run ends with its report, a line in the audit log and
    an updated index, failed ones included.
    """
    out = options.evidence.out
    run = Run.create(
        options.evidence,
        flow=flow_name,
        environment=target.name,
        url=target.url,
        user=target.user,
        listener=listener,
        supervised=options.supervised,
        stopping=stopping,
        navigation_timeout_ms=options.page.navigation_timeout_ms,
    )
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
        with ExitStack() as stack:
            if changes:  # one change at a time per environment
                stack.enter_context(environment_lock(out, target.url, run.folder))
            browser = stack.enter_context(session(options, video_dir))
            run.used_browser(browser.browser, headless=not options.launch.headed)
            run.watch(browser.page)
            # Known now, while Playwright runs; the file is complete once the context closes.
            video = Path(browser.page.video.path()) if browser.page.video else None
            try:
                result = flow(browser.page, run, target)
                failed = False
            finally:
                run.stop_trace(keep=keeps(options.evidence.tracing, failed))
                if failed and options.pause_on_failure and options.launch.headed:
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
    return finished


def _fleet_stopping(stopping: threading.Event | None) -> bool:
    """Whether this run failed because its fleet is being interrupted: Ctrl-C reaches
    Playwright's driver too, so the browser goes away under the run, and a rollback then
    fails for the same reason. The driver may go a moment before the interrupt reaches the
    fleet's main thread, so a failure in a fleet waits that moment before it counts as a
    failure of its own."""
    return stopping is not None and stopping.wait(FLEET_STOP_GRACE_S)


def _keep_video(run: Run, recorded: Path) -> None:
    """The browser has closed, so the recording is complete: move it into the run folder."""
    if recorded.is_file():
        target = run.folder / "video.webm"
        shutil.move(recorded, target)
        run.add_file(target, "video")


def _explain(error: Exception, run: Run, options: RunOptions) -> ScLicenseError | None:
    """A Playwright wait that ran out means Service Center did not show what a step expects."""
    waited = isinstance(error, PlaywrightTimeoutError) or (
        isinstance(error, AssertionError)
        and str(error).startswith(("Locator expected", "Page expected"))
    )
    if not waited:
        return None
    where = run.page.url if run.page is not None and not run.page.is_closed() else "?"
    page = options.page
    seconds = max(page.action_timeout_ms, page.navigation_timeout_ms) / 1000
    return ServiceCenterError(
        f"Service Center did not show what the step “{run.current_step}” waits for within "
        f"{seconds:g} s (at {where}).",
        hint="Its screenshot shows what it showed instead. If Service Center is just slow, "
        "allow more time with --action-timeout and --navigation-timeout.",
    )
