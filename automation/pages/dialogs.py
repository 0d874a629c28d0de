"""JavaScript dialogs, handled on purpose: Playwright dismisses them when nobody listens, so an
upload that asks "Are you sure?" would silently not happen.

A dialog raised while the tool awaits one (its own Upload click) is accepted and kept as
Service Center's words: a confirm is answered yes, an alert is read as the answer. Any other
dialog is dismissed and fails the next step that looks for a control, quoted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal
from weakref import WeakKeyDictionary

from playwright.sync_api import BrowserContext, Dialog
from playwright.sync_api import Error as PlaywrightError

from automation.errors import ServiceCenterError
from automation.text import normalise, starting


@dataclass(frozen=True)
class DialogSeen:
    """A dialog a page raised, what it said and how it was answered."""

    kind: str  # alert, confirm, prompt, beforeunload
    message: str
    answer: Literal["accepted", "dismissed"]
    awaited: bool
    notice: bool = False  # one the site profile expects at any moment

    def __str__(self) -> str:
        return f"{self.kind} “{self.message}” ({self.answer})"


class UnexpectedDialog(ServiceCenterError):
    """A page raised a dialog when the tool awaited none."""

    kind = "unexpected-dialog"

    def __init__(self, seen: DialogSeen) -> None:
        super().__init__(
            f"Service Center showed a dialog at a moment the procedure does not expect one: "
            f"{seen.kind} “{seen.message}”. It was dismissed, and the run stopped there.",
            hint="The step's screenshot shows the page behind it. If this dialog belongs to the "
            "procedure on this Service Center, report it with this message.",
        )


class Dialogs:
    """Every dialog of one browser context, its popups and windows included."""

    def __init__(self, context: BrowserContext) -> None:
        self.seen: list[DialogSeen] = []
        # Notices a site profile says may come at any moment: dismissed, noted, no stop.
        self.expected: tuple[str, ...] = ()
        self._answers: list[DialogSeen] | None = None  # while the tool awaits dialogs
        self._reported = 0
        context.on("dialog", self._on_dialog)

    @classmethod
    def of(cls, context: BrowserContext) -> Dialogs:
        """The context's handler, registered on first use."""
        if context not in _HANDLERS:
            _HANDLERS[context] = cls(context)
        return _HANDLERS[context]

    @contextmanager
    def awaited(self, answers: list[DialogSeen]) -> Iterator[None]:
        """Dialogs raised meanwhile answer the tool's own action: accepted, and added to
        `answers` as they come."""
        self._answers = answers
        try:
            yield
        finally:
            self._answers = None
            self._reported = len(self.seen)

    def notices(self, start: int = 0) -> list[DialogSeen]:
        """The notices the site profile expects that came since `start` (an index in seen)."""
        return [seen for seen in self.seen[start:] if seen.notice]

    def check(self) -> None:
        """Raise for a dialog nobody awaited, once."""
        unexpected = [seen for seen in self.seen[self._reported :] if not seen.awaited]
        self._reported = len(self.seen)
        if unexpected:
            raise UnexpectedDialog(unexpected[0])

    def _on_dialog(self, dialog: Dialog) -> None:
        kind = dialog.type
        # Leaving a page is the tool's own doing (a reload, the next address).
        answers = self._answers
        message = normalise(dialog.message)
        accept = answers is not None or kind == "beforeunload"
        notice = starting(self.expected).match(message) is not None if self.expected else False
        seen = DialogSeen(
            kind,
            message,
            "accepted" if accept else "dismissed",
            awaited=accept or notice,
            notice=notice and not accept,
        )
        self.seen.append(seen)
        if answers is not None:
            answers.append(seen)
        try:
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()
        except PlaywrightError:
            pass  # the page went with its dialog


_HANDLERS: WeakKeyDictionary[BrowserContext, Dialogs] = WeakKeyDictionary()
