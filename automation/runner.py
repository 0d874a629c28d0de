"""Run one flow against one environment: evidence folder, browser session, outcome."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from playwright.sync_api import Page

from automation.browser import open_session
from automation.config import BrowserOptions, Target
from automation.errors import ScLicenseError
from automation.evidence import Run
from automation.lock import environment_lock
from flows.common import FlowResult

Flow = Callable[[Page, Run], FlowResult]


def execute(
    flow_name: str,
    flow: Flow,
    target: Target,
    options: BrowserOptions,
    out_dir: Path,
    *,
    changes: bool = False,
) -> Run:
    """Open a run folder and a browser, run the flow, and record how it ended.

    Expected failures end in run.json with their exit code; anything else is recorded as
    unexpected (exit 1) and kept on the run for the CLI's --debug. An interrupt is recorded,
    then raised again.
    """
    run = Run.create(
        out_dir, flow=flow_name, environment=target.name, url=target.url, user=target.user
    )
    run.record.headless = not options.headed
    try:
        with ExitStack() as stack:
            if changes:  # one change at a time per environment
                stack.enter_context(environment_lock(out_dir, target.url, run.folder))
            session = stack.enter_context(open_session(options))
            run.record.browser = session.browser
            result = flow(session.page, run)
        run.finish(result.outcome, 0, result.message)
    except ScLicenseError as error:
        run.fail(error)
    except Exception as error:
        run.fail(error)
        run.unexpected = error
    except BaseException as error:
        run.fail(error)
        raise
    return run
