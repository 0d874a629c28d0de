"""Run one flow against one environment: evidence folder, browser session, outcome."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from automation.browser import open_session
from automation.config import BrowserOptions, Target
from automation.errors import LicenseRejected, ScLicenseError, VerificationFailed
from automation.evidence import Run
from flows.common import FlowResult

Flow = Callable[[Page, Run], FlowResult]


def execute(
    flow_name: str, flow: Flow, target: Target, options: BrowserOptions, out_dir: Path
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
        with open_session(options) as session:
            run.record.browser = session.browser
            result = flow(session.page, run)
        run.finish(result.outcome, 0, result.message)
    except LicenseRejected as error:
        run.fail(error, "rejected")
    except VerificationFailed as error:
        run.fail(error, "verification-failed")
    except ScLicenseError as error:
        run.fail(error)
    except Exception as error:
        run.fail(error)
        run.unexpected = error
    except BaseException as error:
        run.fail(error)
        raise
    return run
