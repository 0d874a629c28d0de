"""Finding a control by what it means, in one order every page object shares.

The order: role and accessible name, label, placeholder, title/aria-label, then structure
(the page's only password box, a form's submit control whatever element carries it). The
documented words are the contract with Service Center; its markup is not, so no generated
id (wtNN_...) and no style class is ever used here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page, expect

from automation.errors import ServiceCenterError

Root = Page | Frame | Locator
# A way of finding a control: what it tries, in words, and the locator that tries it.
Way = tuple[str, Locator]

# A form's own submit controls, whatever their caption; Cancel is rarely one of them.
SUBMITS = (
    ":is(input[type=submit], input[type=image], button[type=submit])"
    ':not([value="Cancel" i]):not([value="Close" i])'
)
# A <button> without a type submits too, but forms also use them to browse for a file or to
# close: those captions are not a submit, whatever the markup says.
UNTYPED_BUTTON = "button:not([type])"
NOT_SUBMIT = re.compile(r"browse|choose|select|pick|cancel|close|back|\bx\b|\u00d7", re.IGNORECASE)
SNAPSHOT_TIMEOUT_MS = 2_000


class ControlNotFound(ServiceCenterError):
    """A screen came, but without a control the procedure needs."""

    kind = "control-not-found"

    def __init__(
        self, screen: str, control: str, tried: Sequence[str], *, snapshot: str | None = None
    ) -> None:
        self.screen = screen
        self.control = control
        self.tried = tuple(tried)
        # The screen's ARIA snapshot: how it is built, for whoever teaches the page object.
        self.snapshot = snapshot
        super().__init__(
            f"{screen}: no {control}; tried {'; '.join(self.tried)}.",
            hint="This Service Center builds the screen differently, or took longer than the "
            "timeout. The step's screenshot shows what it showed; if the screen was complete, "
            "report it with this message so the page object can learn it.",
        )


@dataclass(frozen=True)
class Meaning:
    """What a control says: the words it may be captioned, labelled or titled with."""

    words: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        """The whole caption is one of the words, give or take spaces, case and punctuation."""
        words = (r"\s+".join(map(re.escape, word.split())) for word in self.words)
        return re.compile(rf"^\W*(?:{'|'.join(words)})\W*$", re.IGNORECASE)

    def __str__(self) -> str:
        return "|".join(self.words)


def meaning(*words: str) -> Meaning:
    return Meaning(words)


@dataclass(frozen=True)
class Control:
    """One control of a screen and every way of finding it, in the order they are tried."""

    screen: str
    name: str
    ways: tuple[Way, ...]
    area: Locator  # whose ARIA snapshot explains a control not found
    state: Literal["visible", "attached"] = "visible"

    @property
    def locator(self) -> Locator:
        """Any way's match (.first: several ways often find the same element), for waiting,
        outlining and asserting; actions use `require()`, which honours the order."""
        found = self.ways[0][1]
        for _, way in self.ways[1:]:
            found = found.or_(way)
        return self._shown(found).first

    @property
    def tried(self) -> tuple[str, ...]:
        return tuple(description for description, _ in self.ways)

    def require(self, timeout: float | None = None) -> Locator:
        """The control, once any way finds it: the match of the first way that does."""
        try:
            if self.state == "visible":
                expect(self.locator).to_be_visible(timeout=timeout)
            else:
                expect(self.locator).to_be_attached(timeout=timeout)
        except AssertionError:
            raise self.not_found() from None
        for _, way in self.ways:
            match = self._shown(way).first
            if match.count():
                return match
        return self.locator  # it went as it came: let the action wait for it again

    def present(self) -> Locator | None:
        """The control if it is there now, without waiting."""
        for _, way in self.ways:
            match = self._shown(way).first
            if match.count():
                return match
        return None

    def not_found(self) -> ControlNotFound:
        return ControlNotFound(self.screen, self.name, self.tried, snapshot=snapshot(self.area))

    def _shown(self, locator: Locator) -> Locator:
        return locator.filter(visible=True) if self.state == "visible" else locator


def snapshot(area: Locator) -> str | None:
    """The ARIA snapshot of an area, or None when the page will not give one."""
    with suppress(PlaywrightError):
        return area.aria_snapshot(timeout=SNAPSHOT_TIMEOUT_MS)
    return None


def area_of(root: Root) -> Locator:
    return root if isinstance(root, Locator) else root.locator("body")


def text_box(
    root: Root, screen: str, name: str, says: Meaning, structure: Way | None = None
) -> Control:
    """A box to type in: by role and name, label, placeholder, title; then `structure`."""
    pattern = says.pattern
    ways: list[Way] = [
        (f"a text box named {says}", root.get_by_role("textbox", name=pattern)),
        (f"a box labelled {says}", root.get_by_label(pattern)),
        (f"a box with the placeholder {says}", root.get_by_placeholder(pattern)),
        (f"a box titled {says}", root.locator("input, textarea").and_(root.get_by_title(pattern))),
    ]
    if structure is not None:
        ways.append(structure)
    return Control(screen, name, tuple(ways), area_of(root))


def password_box(root: Root, screen: str) -> Control:
    """The password box: by label, placeholder, title; then the page's only password box."""
    pattern = meaning("password").pattern
    ways: tuple[Way, ...] = (
        ("a box labelled password", root.get_by_label(pattern)),
        ("a box with the placeholder password", root.get_by_placeholder(pattern)),
        ("a box titled password", root.locator("input").and_(root.get_by_title(pattern))),
        ("the page's password box", password_boxes(root)),
    )
    return Control(screen, "password box", ways, area_of(root))


def password_boxes(root: Root) -> Locator:
    """Any password box: what makes a sign-in page one, however its boxes are named."""
    return root.locator("input[type=password]")


def action(
    root: Root, screen: str, name: str, says: Meaning, structure: Sequence[Way] = ()
) -> Control:
    """A button or whatever acts as one (a link styled as a button, an element with a button
    role): by role and caption, title; then `structure`."""
    pattern = says.pattern
    ways: list[Way] = [
        (f"a button captioned {says}", root.get_by_role("button", name=pattern)),
        (f"a link captioned {says}", root.get_by_role("link", name=pattern)),
        (f"a control titled {says}", root.get_by_title(pattern)),
        (f"an <a> with the text {says}", root.locator("a").filter(has_text=pattern)),
    ]
    ways.extend(structure)
    return Control(screen, name, tuple(ways), area_of(root))


def submit_of(form: Locator, description: str) -> tuple[Way, Way]:
    """Structure: a form's own submit control, whatever its caption: one marked as a submit
    first, then a button of no type that is not captioned to browse, choose or close."""
    return (
        (description, form.locator(SUBMITS)),
        (
            f"{description} (a button of no type)",
            form.locator(UNTYPED_BUTTON).filter(has_not_text=NOT_SUBMIT),
        ),
    )


def link(root: Root, screen: str, name: str, text: str) -> Control:
    """A documented link, tab or menu item, by its exact words."""
    exact = re.compile(rf"^\s*{re.escape(text)}\s*$")
    ways: tuple[Way, ...] = (
        (f"a link named '{text}'", root.get_by_role("link", name=text, exact=True)),
        (
            f"a tab or menu item named '{text}'",
            root.get_by_role("tab", name=text, exact=True).or_(
                root.get_by_role("menuitem", name=text, exact=True)
            ),
        ),
        (f"a button named '{text}'", root.get_by_role("button", name=text, exact=True)),
        (f"a control titled '{text}'", root.get_by_title(text, exact=True)),
        (f"an <a> with the text '{text}'", root.locator("a").filter(has_text=exact)),
    )
    return Control(screen, name, ways, area_of(root))


def text(root: Root, screen: str, name: str, pattern: re.Pattern[str], words: str) -> Control:
    """A piece of text the screen shows, e.g. a status banner or a field's label."""
    return Control(screen, name, ((words, root.get_by_text(pattern)),), area_of(root))


def file_input(root: Root, screen: str) -> Control:
    """A file input: labelled or not, and often styled out of sight, so attached is enough."""
    ways: tuple[Way, ...] = (("a file input", root.locator("input[type=file]")),)
    return Control(screen, "file input", ways, area_of(root), state="attached")
