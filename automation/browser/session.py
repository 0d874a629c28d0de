"""Open a page for a run: playwright -> browser -> context -> page."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from automation.browser.discovery import CLOSED_NETWORK_ARGS, BrowserChoice, find_browser
from automation.browser.downloads import close_browser, without_download_bubble
from automation.browser.hints import launch_failure_hint, no_browser_hint, no_display
from automation.browser.supervision import SUPERVISION_SCRIPT
from automation.browser.trust import Trusted, trusting
from automation.browser.windows import window_args
from automation.config import LaunchOptions, RunOptions
from automation.errors import CannotReach, NoBrowser
from automation.installation import this_command

VIEWPORT = {"width": 1280, "height": 900}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def launch_args(choice: BrowserChoice, options: LaunchOptions) -> dict[str, object]:
    """Keyword arguments for chromium.launch() of the chosen browser."""
    args: dict[str, object] = {
        "headless": not options.headed,
        "slow_mo": options.slow_mo_ms,
        "args": [*CLOSED_NETWORK_ARGS, *window_args(options)],
    }
    if choice.channel is not None:
        args["channel"] = choice.channel  # Playwright finds the installed Edge or Chrome
    elif choice.executable is not None:
        args["executable_path"] = str(choice.executable)
    return args


def launch(
    playwright: Playwright,
    choice: BrowserChoice,
    options: LaunchOptions,
    env: Mapping[str, str] | None = None,
) -> Browser:
    """Start the chosen browser; headed, without the download bubble over the page.

    The browser outlives a terminal's Ctrl-C, which reaches Playwright's driver too (the
    driver ignores it; the browser runs in a process group of its own): the run decides when
    it ends, so a change under way is seen through first (verified, or rolled back) and the
    run closes its browser itself. Should the run die, the driver closes the browser when its
    pipe closes. Playwright 1.64 and later keep their sync calls usable after an interrupt
    raised inside one (pyproject.toml's lower bound). A SIGTERM to the whole process group
    ends the driver, browser and all (Node's default): a service manager should send it to
    sc-license alone (systemd's KillMode=mixed; docs/operator-guide.md). `env`: the
    browser's environment, when it is not this process's (automation/browser/trust.py)."""
    args = {**launch_args(choice, options), "handle_sigint": False}
    if env is not None:
        args["env"] = env
    if options.headed:
        return without_download_bubble(playwright, args)
    return playwright.chromium.launch(**args)  # type: ignore[arg-type]


@dataclass(frozen=True)
class UsedBrowser:
    """What the evidence says about the browser: a sentence, and which binary ran (None for
    a remote browser, whose binary this machine cannot see)."""

    description: str
    kind: str | None = None  # e.g. "headless shell (system)"
    executable: str | None = None
    trusted: tuple[Trusted, ...] = ()  # CA files it trusts besides its own (--ca-file)


@dataclass
class BrowserSession:
    """The page a flow drives, and what the evidence says about the browser."""

    page: Page
    browser: str
    used: UsedBrowser | None = None


SessionFactory = Callable[[RunOptions, "Path | None"], AbstractContextManager[BrowserSession]]
Driver = Callable[[], AbstractContextManager[Playwright]]

# A driver lent to the runs of one thread in place of one each (see lending).
_lent: ContextVar[Driver | None] = ContextVar("lent_driver", default=None)


def start_playwright() -> AbstractContextManager[Playwright]:
    """Playwright's driver for a run: the one lent to this thread, if any, else its own."""
    lent = _lent.get()
    return lent() if lent is not None else sync_playwright()


@contextmanager
def lending(driver: Driver) -> Iterator[None]:
    """Meanwhile, the runs of this thread (and of no other) take their Playwright from
    `driver`: the tests lend one driver to all their in-process runs."""
    token = _lent.set(driver)
    try:
        yield
    finally:
        _lent.reset(token)


@contextmanager
def open_session(options: RunOptions, video_dir: Path | None = None) -> Iterator[BrowserSession]:
    """Get a browser (launched, or at the endpoint) from the run's driver (start_playwright),
    and open one page."""
    with ExitStack() as stack:
        playwright = stack.enter_context(start_playwright())
        browser, used = stack.enter_context(open_browser(playwright, options.launch))
        yield stack.enter_context(new_session(browser, used, options, video_dir))


@contextmanager
def open_browser(
    playwright: Playwright, options: LaunchOptions
) -> Iterator[tuple[Browser, UsedBrowser]]:
    """Launch a local browser, or connect to the one at options.endpoint; close it after."""
    with ExitStack() as stack:  # what the launched browser needs while it runs
        if options.endpoint:
            browser = connect(playwright, options.endpoint, options.slow_mo_ms, options)
            used = UsedBrowser(f"Chromium {browser.version} at {options.endpoint}")
        else:
            browser, used = launched(playwright, options, stack)
        try:
            yield browser, used
        finally:
            # A connected browser is only disconnected from: other runs may share it.
            close_browser(browser)


def launched(
    playwright: Playwright,
    options: LaunchOptions,
    stack: ExitStack,
    platform: str = sys.platform,
    environ: Mapping[str, str] = os.environ,
) -> tuple[Browser, UsedBrowser]:
    """The browser the options choose, started, or why it cannot be, in the operator's
    terms: none found, a headless shell for a headed run, no display, or how it failed.
    What it needs while it runs (the CAs' database) is left in `stack`."""
    choice = find_browser(
        playwright, options.executable, headless=not options.headed, channel=options.channel
    )
    if choice is None:
        raise NoBrowser("No Chromium, Chrome or Edge was found.", hint=no_browser_hint())
    if options.headed and choice.is_shell:
        raise NoBrowser(
            f"{choice.executable} is a headless shell: it has no window to show.",
            hint="Give --browser a full Chromium or Chrome for --headed, or leave --browser "
            "out: headed runs find the full browser by themselves.",
        )
    if options.headed and no_display(platform, environ):
        raise NoBrowser(
            "A headed run needs a display, and this session has none (neither DISPLAY nor "
            "WAYLAND_DISPLAY is set).",
            hint="Run it on the desktop (or over `ssh -X`), under a virtual display "
            f"(`xvfb-run {this_command()} ...`), or leave out --headed.",
        )
    env: dict[str, str] | None = None
    trusted: list[Trusted] = []
    if options.ca_files:
        env, trusted = stack.enter_context(trusting(options.ca_files, environ))
    try:
        browser = launch(playwright, choice, options, env)
    except PlaywrightError as error:
        raise NoBrowser(
            f"The browser {choice.describe()} did not start ({str(error).splitlines()[0]}).",
            hint=launch_failure_hint(),
        ) from None
    executable = str(choice.executable) if choice.executable else None
    description = f"{choice.describe()}, version {browser.version}"
    return browser, UsedBrowser(description, choice.label, executable, tuple(trusted))


def connect(
    playwright: Playwright,
    endpoint: str,
    slow_mo_ms: int = 0,
    options: LaunchOptions | None = None,
) -> Browser:
    """A Chromium DevTools endpoint (http://host:port, ws://.../devtools/browser/...) or a
    Playwright server (ws://host:port/...), which launches a Chromium for this connection."""
    try:
        if endpoint.startswith(("http://", "https://")) or "/devtools/" in endpoint:
            return playwright.chromium.connect_over_cdp(endpoint, slow_mo=slow_mo_ms)
        launch = server_launch_options(playwright, options or LaunchOptions(), endpoint)
        return playwright.chromium.connect(
            endpoint,
            slow_mo=slow_mo_ms,
            headers={"x-playwright-launch-options": json.dumps(launch)},
        )
    except PlaywrightError as error:
        if "Executable doesn't exist" in str(error):  # a server answered, with no Chromium
            raise NoBrowser(
                f"The Playwright server at {endpoint} cannot launch Chromium "
                f"({str(error).splitlines()[0].removeprefix('BrowserType.connect: ')}).",
                hint="Run `playwright install chromium` where the server runs, or start it "
                "with `playwright run-server --unsafe` so that it launches the Chromium given "
                "with --browser (on this machine: the one "
                f"`{this_command('setup')}` finds).",
            ) from None
        raise CannotReach(
            f"No browser answered at {endpoint} ({str(error).splitlines()[0]}).",
            hint="Check that the remote browser is running and the endpoint is right: a "
            "Chromium started with --remote-debugging-port, or `playwright run-server`.",
        ) from None


def server_launch_options(
    playwright: Playwright, options: LaunchOptions, endpoint: str
) -> dict[str, object]:
    """How a Playwright server should launch its Chromium, as Playwright's
    x-playwright-launch-options header carries it. A server started with --unsafe also takes
    the closed-network arguments and the executable: the one given with --browser, or, for a
    server on this machine, the one found here (a server without Playwright's own Chromium
    needs it). Other servers ignore those two and launch their own build."""
    launch: dict[str, object] = {"headless": not options.headed, "args": CLOSED_NETWORK_ARGS}
    executable = options.executable
    if executable is None and urlsplit(endpoint).hostname in LOOPBACK:
        choice = find_browser(playwright, None, headless=not options.headed)
        executable = choice.executable if choice else None
    if executable is not None:
        launch["executablePath"] = str(executable)
    return launch


def context_args(options: RunOptions, video_dir: Path | None) -> dict[str, Any]:
    """Keyword arguments for browser.new_context() of a run's own context."""
    page_options = options.page
    return {
        "accept_downloads": True,
        "ignore_https_errors": page_options.ignore_https_errors,
        "viewport": VIEWPORT,
        "record_video_dir": video_dir,
        "record_video_size": VIEWPORT if video_dir else None,
        "proxy": page_options.proxy.playwright_args() if page_options.proxy else None,
    }


@contextmanager
def new_session(
    browser: Browser,
    used: UsedBrowser,
    options: RunOptions,
    video_dir: Path | None,
    new_context: Callable[..., BrowserContext] | None = None,
) -> Iterator[BrowserSession]:
    """One context and page of its own for a run, closed after it (that completes a video).
    `new_context` makes the context in place of browser.new_context (the pytest plugin hands
    in pytest-playwright's, whose tracing, screenshots and video then apply)."""
    page_options = options.page
    with _opening(used):
        context = (new_context or browser.new_context)(**context_args(options, video_dir))
    if options.supervised:
        context.add_init_script(script=SUPERVISION_SCRIPT)
    context.set_default_timeout(page_options.action_timeout_ms)
    context.set_default_navigation_timeout(page_options.navigation_timeout_ms)
    # expect() has a default of its own (5 s), for the whole process, that the context's does
    # not reach: each expect() of the page objects is given its timeout instead.
    try:
        with _opening(used):
            page = context.new_page()
        yield BrowserSession(page, used.description, used)
    finally:
        # After an interrupt the browser may be gone already; the evidence so far matters
        # more than a clean close.
        with suppress(PlaywrightError):
            context.close()


@contextmanager
def _opening(used: UsedBrowser) -> Iterator[None]:
    """A browser that cannot open a run's page (gone, e.g. a fleet's between two runs) is a
    browser that did not start, for that run: no run folder is made for it."""
    try:
        yield
    except PlaywrightError as error:
        raise NoBrowser(
            f"The browser ({used.description}) opened no page ({str(error).splitlines()[0]}).",
            hint=launch_failure_hint(),
        ) from None
