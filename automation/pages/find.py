"""Finding a control by what it means, in one order every page object shares.

The order: role and accessible name, label, placeholder, title/aria-label, then structure
(the page's only password box, a form's submit control whatever element carries it). The
documented words are the contract with Service Center; its markup is not, so no generated
id (wtNN_...) and no style class is ever used here.

Words match whatever decorates them (icons, carets, counters, colons, any white space or
invisible character: automation.text), and every control is looked for in the page and in
each of its frames, at any depth: a console may keep its content in an iframe.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page, expect

from automation.errors import ServiceCenterError
from automation.pages.dialogs import Dialogs
from automation.text import caption

Root = Page | Frame | Locator
# A way of finding a control: what it tries, in words, and the locator that tries it.
Way = tuple[str, Locator]
# The ways of finding a control in one page or frame.
Ways = Callable[[Root], Sequence[Way]]

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
# A tab or link drawn as a plain element (a <span> or <li> with a click handler) is found by
# its text; a heading that says the same words is a title, not something to click.
HEADINGS = "h1, h2, h3, h4, h5, h6, [role=heading]"
NAVIGATION = "nav, [role=navigation], [role=menubar], [role=menu], [role=tablist]"
NOT_A_HEADING = f"*:not(:is({HEADINGS}, title, option, script), :is({HEADINGS}) *)"
# How long a control is awaited: the run's action timeout (the runner sets it).
patience_ms: ContextVar[int] = ContextVar("patience_ms", default=15_000)
# While a control is awaited, frames other than the page's own are looked at this often.
FRAME_CHECK_MS = 250


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
            "timeout: the step's screenshot shows what it showed. If the screen was complete, "
            "run `sc-license probe` on this environment: it names what it did not recognise "
            "and proposes a site profile (--profile) that teaches the tool its words; if no "
            "profile can, report it with this message.",
        )


@dataclass(frozen=True)
class Meaning:
    """What a control says: the words it may be captioned, labelled or titled with."""

    words: tuple[str, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        """The whole caption is one of the words, with any decoration around it and any
        spacing inside it, in any case (automation.text.caption)."""
        return caption(self.words)

    def plus(self, extra: Sequence[str]) -> Meaning:
        """These words and an operator's own (a site profile's), documented ones first."""
        return Meaning(self.words + tuple(word for word in extra if word not in self.words))

    def __str__(self) -> str:
        return "|".join(self.words)


def meaning(*words: str) -> Meaning:
    return Meaning(words)


@dataclass(frozen=True)
class Control:
    """One control of a screen and every way of finding it, in the order they are tried, in
    the root and in every frame below it."""

    screen: str
    name: str
    ways_in: Ways
    root: Root
    state: Literal["visible", "attached"] = "visible"
    says: Meaning | None = None  # a link's words: the option to choose in a drop-down list

    @property
    def ways(self) -> tuple[Way, ...]:
        return tuple(self.ways_in(self.root))

    @property
    def locator(self) -> Locator:
        """Any way's match in the root itself (.first: several ways often find the same
        element), for outlining and asserting; actions use `require()`, which honours the
        order and looks in every frame."""
        ways = self.ways
        found = ways[0][1]
        for _, way in ways[1:]:
            found = found.or_(way)
        return self._shown(found).first

    @property
    def tried(self) -> tuple[str, ...]:
        return tuple(description for description, _ in self.ways)

    def follow(self) -> None:
        """Go where the control leads, as a person would: click it, or, when it is a
        drop-down list (a menu drawn as a <select>), choose the option that reads its words."""
        found = self.require()
        says = self.says
        options = (
            found.locator("option").all_text_contents()
            if says is not None and found.evaluate("e => e.tagName") == "SELECT"
            else []
        )
        chosen = [n for n, said in enumerate(options) if says and says.pattern.search(said)]
        if chosen:
            found.select_option(index=chosen[0])
        else:  # anything else, a drop-down list titled with the words included
            found.click()

    def require(self, timeout: float | None = None) -> Locator:
        """The control, once any way finds it in any frame: the first way's match."""
        found = self.wait(timeout=timeout)
        assert found is not None  # nothing else was awaited
        return found

    def wait(
        self, instead: Locator | Control | None = None, timeout: float | None = None
    ) -> Locator | None:
        """Wait until the control shows in any frame (return it), or `instead` shows (return
        None); when neither comes in time, ControlNotFound says what was awaited and the ways
        tried. One web-first wait on the root, cut into slices only to look in its frames as
        they come and go."""
        dialogs = Dialogs.of(page_of(self.root).context)
        dialogs.check()  # a dialog nobody awaited stops the procedure here, quoted
        budget_ms = patience_ms.get() if timeout is None else timeout
        deadline = time.monotonic() + budget_ms / 1000
        other = instead.locator if isinstance(instead, Control) else instead
        awaited = self.locator if other is None else self.locator.or_(other).first
        while True:
            found = self.present()
            if found is not None:
                return found
            if shows(instead):
                return None
            left_ms = (deadline - time.monotonic()) * 1000
            if left_ms <= 0:
                raise self.not_found()
            slice_ms = left_ms if isinstance(self.root, Locator) else min(FRAME_CHECK_MS, left_ms)
            with suppress(AssertionError):
                if self.state == "visible":
                    expect(awaited).to_be_visible(timeout=slice_ms)
                else:
                    expect(awaited).to_be_attached(timeout=slice_ms)

    def present(self) -> Locator | None:
        """The control if it is there now, in the root or any frame below it, without
        waiting: the match of the first way that finds it, frame by frame."""
        found = self.found_by()
        return found[1] if found else None

    def found_by(self) -> tuple[str, Locator] | None:
        """The way that finds the control now, in words ("a link named ..., in a frame"),
        and its match; None when no way finds it."""
        for root in roots_below(self.root):
            for description, way in self.ways_in(root):
                match = self._shown(way).first
                with suppress(PlaywrightError):  # a frame that went meanwhile
                    if match.count():
                        where = ""
                        if isinstance(root, Frame) and root.parent_frame is not None:
                            where = f", in the frame at {root.url}"
                        return f"{description}{where}", match
        return None

    def not_found(self) -> ControlNotFound:
        return ControlNotFound(
            self.screen, self.name, self.tried, snapshot=snapshot(area_of(self.root))
        )

    def _shown(self, locator: Locator) -> Locator:
        return locator.filter(visible=True) if self.state == "visible" else locator


def shows(something: Locator | Control | None) -> bool:
    """Whether a control (in any frame) or a locator shows now."""
    if isinstance(something, Control):
        return something.present() is not None
    return something is not None and something.is_visible()


def either(first: Control, second: Control, name: str) -> Control:
    """One control for two: whichever shows, e.g. the sign-in page or a signed-in one."""
    return Control(
        first.screen, name, lambda root: [*first.ways_in(root), *second.ways_in(root)], first.root
    )


def page_of(root: Root) -> Page:
    return root if isinstance(root, Page) else root.page


def roots_below(root: Root) -> list[Root]:
    """A page or frame and every frame in it at any depth, outermost first; a locator is
    looked in as it is."""
    if isinstance(root, Locator):
        return [root]
    frames = root.frames if isinstance(root, Page) else [root, *descendants(root)]
    return [frame for frame in frames if not frame.is_detached()]


def descendants(frame: Frame) -> list[Frame]:
    found: list[Frame] = []
    for child in frame.child_frames:
        found += [child, *descendants(child)]
    return found


def snapshot(area: Locator) -> str | None:
    """The ARIA snapshot of an area, or None when the page will not give one."""
    with suppress(PlaywrightError):
        return area.aria_snapshot(timeout=SNAPSHOT_TIMEOUT_MS)
    return None


def area_of(root: Root) -> Locator:
    return root if isinstance(root, Locator) else root.locator("body")


def no_more(root: Root) -> list[Way]:
    """No ways beyond the meaning's: the default structure."""
    return []


def text_box(
    root: Root, screen: str, name: str, says: Meaning, structure: Ways = no_more
) -> Control:
    """A box to type in: by role and name, label, placeholder, title; then `structure`."""
    pattern = says.pattern

    def ways(root: Root) -> list[Way]:
        return [
            (f"a text box named {says}", root.get_by_role("textbox", name=pattern)),
            (f"a box labelled {says}", root.get_by_label(pattern)),
            (f"a box with the placeholder {says}", root.get_by_placeholder(pattern)),
            (
                f"a box titled {says}",
                root.locator("input, textarea").and_(root.get_by_title(pattern)),
            ),
            *structure(root),
        ]

    return Control(screen, name, ways, root)


def password_box(root: Root, screen: str) -> Control:
    """The password box: by label, placeholder, title; then the page's only password box."""
    pattern = meaning("password").pattern

    def ways(root: Root) -> list[Way]:
        return [
            ("a box labelled password", root.get_by_label(pattern)),
            ("a box with the placeholder password", root.get_by_placeholder(pattern)),
            ("a box titled password", root.locator("input").and_(root.get_by_title(pattern))),
            ("the page's password box", password_boxes(root)),
        ]

    return Control(screen, "password box", ways, root)


def password_boxes(root: Root) -> Locator:
    """Any password box: what makes a sign-in page one, however its boxes are named."""
    return root.locator("input[type=password]")


def action(root: Root, screen: str, name: str, says: Meaning, structure: Ways = no_more) -> Control:
    """A button or whatever acts as one (a link styled as a button, an element with a button
    role): by role and caption, title; then `structure`."""
    pattern = says.pattern

    def ways(root: Root) -> list[Way]:
        return [
            (f"a button captioned {says}", root.get_by_role("button", name=pattern)),
            (f"a link captioned {says}", root.get_by_role("link", name=pattern)),
            (f"a control titled {says}", root.get_by_title(pattern)),
            (f"an <a> with the text {says}", root.locator("a").filter(has_text=pattern)),
            *structure(root),
        ]

    return Control(screen, name, ways, root)


def submit_of(form_of: Callable[[Root], Locator], description: str) -> Ways:
    """Structure: a form's own submit control, whatever its caption: one marked as a submit
    first, then a button of no type that is not captioned to browse, choose or close."""

    def ways(root: Root) -> list[Way]:
        form = form_of(root)
        return [
            (description, form.locator(SUBMITS)),
            (
                f"{description} (a button of no type)",
                form.locator(UNTYPED_BUTTON).filter(has_not_text=NOT_SUBMIT),
            ),
        ]

    return ways


def link(root: Root, screen: str, name: str, says: Meaning) -> Control:
    """A documented link, tab or menu item, by its words with any decoration around them,
    whatever element carries it."""
    pattern = says.pattern

    def ways(root: Root) -> list[Way]:
        return [
            # A sidebar's Recent Items or a module may carry the same words: the page's
            # navigation is where a tab or a submenu item is.
            (
                f"a link named {says} in the page's navigation",
                root.locator(NAVIGATION).get_by_role("link", name=pattern),
            ),
            (f"a link named {says}", root.get_by_role("link", name=pattern)),
            (
                f"a tab or menu item named {says}",
                root.get_by_role("tab", name=pattern).or_(
                    root.get_by_role("menuitem", name=pattern)
                ),
            ),
            (f"a button named {says}", root.get_by_role("button", name=pattern)),
            (f"a control titled {says}", root.get_by_title(pattern)),
            (f"an <a> with the text {says}", root.locator("a").filter(has_text=pattern)),
            (
                f"any element reading {says}, not a heading",
                root.locator(NOT_A_HEADING).and_(root.get_by_text(pattern)),
            ),
            (
                f"a drop-down list with an option reading {says}",
                root.locator("select").filter(has=root.get_by_role("option", name=pattern)),
            ),
        ]

    return Control(screen, name, ways, root, says=says)


def text(root: Root, screen: str, name: str, pattern: re.Pattern[str], words: str) -> Control:
    """A piece of text the screen shows, e.g. a status banner or a field's label."""
    return Control(screen, name, lambda root: [(words, root.get_by_text(pattern))], root)


# A file input is often styled out of sight behind a "Browse..." button; its form shows. One
# in a form that does not show (a hidden feedback form, a closed dialog) is not the form's.
SHOWN_FILE_INPUT = "form:visible input[type=file], input[type=file]:visible"


def file_input(root: Root, screen: str) -> Control:
    """A file input: labelled or not, and often styled out of sight, so attached is enough;
    one that shows, or whose form does, first."""
    return Control(
        screen,
        "file input",
        lambda root: [
            ("a file input that shows, or whose form does", root.locator(SHOWN_FILE_INPUT)),
            ("a file input", root.locator("input[type=file]")),
        ],
        root,
        state="attached",
    )
