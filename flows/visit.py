"""One visit to Service Center that rides out what real servers do: a restart during a page
load (retried, with a pause), and a session that expires mid-flow (signed in again, once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from playwright.sync_api import Page
from tenacity import (
    RetryCallState,
    Retrying,
    nap,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from automation.config import Target
from automation.errors import CannotReach, SignedOut
from automation.evidence.run import Run
from automation.pages.dialogs import Dialogs
from automation.pages.login import LoginPage

T = TypeVar("T")

NAVIGATION_ATTEMPTS = 3


class Visit:
    """The page, the run's evidence and the target, for the flows' steps."""

    def __init__(self, page: Page, run: Run, target: Target) -> None:
        self.page = page
        self.run = run
        self.target = target
        self.signed_in_again = False
        self.resumed_upload = False
        self._dialogs_noted = 0

    def note_notices(self) -> None:
        """Notices the site profile expects, dismissed on the way: kept in run.json."""
        dialogs = Dialogs.of(self.page.context)
        notices = dialogs.notices(self._dialogs_noted)
        self._dialogs_noted = len(dialogs.seen)
        self.run.saw_dialogs([f"{seen} (a notice the site profile expects)" for seen in notices])

    def retrying(self, load: Callable[[], T]) -> T:
        """Load a page; if the server is briefly away, try again after a growing pause."""
        retrying = Retrying(
            stop=stop_after_attempt(NAVIGATION_ATTEMPTS),
            wait=wait_exponential(multiplier=1, min=1, max=8),
            retry=retry_if_exception(lambda e: isinstance(e, CannotReach) and e.transient),
            before_sleep=self._record_retry,
            sleep=self._pause,
            reraise=True,
        )
        return retrying(load)

    def resuming(self, action: Callable[[], T], back_to: Callable[[], object] | None = None) -> T:
        """Do a step; if Service Center signed us out, sign in again once and redo it."""
        try:
            return action()
        except SignedOut as signed_out:
            if self.signed_in_again:
                raise SignedOut(
                    f"Service Center signed us out again: {signed_out.message}",
                    hint="Its sessions end too soon for this flow; check Service Center's "
                    "session settings, then run again.",
                ) from None
            self.signed_in_again = True
            self.run.retried(1, f"signed out: {signed_out.message}; signed in again", 0.0)
            self.run.signing_in_again()  # the password must not reach a trace
            # Signed in from Service Center's front door, not from where the session ended:
            # the sign-in page would go back there, and a download (Backup License) is no page.
            target = self.target
            login = LoginPage.open(self.page, target.url, target.profile, target.sign_in_origin)
            login.login(self.target.user, self.target.password)
            self.run.signed_in()
            if back_to is not None:
                back_to()
            return action()

    def _pause(self, seconds: float) -> None:
        """The pause before a retry, charged to the step's time as waited."""
        with self.run.timed("waited"):
            nap.sleep(seconds)

    def _record_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        waited = state.next_action.sleep if state.next_action else 0.0
        self.run.retried(state.attempt_number, str(error), waited)
