"""Several runs on one thread's Playwright connection, interleaved: each in a greenlet of its
own that passes control on whenever it waits for the browser, as Playwright's own event
handlers do. A browser then serves several environments at once, each in its own context,
without a thread, a driver and a browser for each.

Playwright's sync API runs its event loop in a "dispatcher" greenlet; a sync call schedules its
task on that loop and switches to the dispatcher until the task is done. Started from the
loop, a task's greenlet runs until its first call and hands the loop on; the loop resumes
whichever greenlet's call finished. Nothing here may block the thread in between (no sleeps,
no lock held across a Playwright call): every lane of the thread would wait. The loop, and
waiting on it as a sync call does, are Playwright's private parts (playwright_adapter.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial

from greenlet import greenlet  # type: ignore[import-untyped]  # Playwright's own
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Playwright

from automation.browser.playwright_adapter import loop_of, wait_as_sync_call


def interleave(playwright: Playwright, tasks: Sequence[Callable[[], None]]) -> None:
    """Run every task to its end, interleaved on `playwright` (started on this thread). A task
    that raises ends alone; the first such error is raised once all have ended."""
    if len(tasks) <= 1:
        for task in tasks:
            task()
        return
    loop = loop_of(playwright)
    errors: list[BaseException] = []
    all_ended = loop.create_future()
    left = len(tasks)

    def lane(task: Callable[[], None]) -> None:
        nonlocal left
        try:
            task()
        except BaseException as error:  # the others run on; raised at the end
            errors.append(error)
        finally:
            left -= 1
            if left == 0 and not all_ended.done():
                all_ended.set_result(None)

    # Each lane's parent is this greenlet: an ended lane hands control back here, and this
    # greenlet, still waiting, hands it on to the loop.
    lanes = [greenlet(partial(lane, task)) for task in tasks]
    for each in lanes:
        loop.call_soon(each.switch)

    async def ended() -> None:
        await all_ended

    # If the driver goes away, the lanes still waiting on it learn so below, and end.
    with suppress(PlaywrightError):
        wait_as_sync_call(playwright, ended())
    for each in lanes:
        while not each.dead:  # resumed, a lane's wait finds the connection closed and raises
            each.switch()
    if errors:
        raise errors[0]
