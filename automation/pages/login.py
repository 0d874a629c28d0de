"""Service Center's sign-in page (Login.aspx)."""

from __future__ import annotations

import re
from contextlib import suppress
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from pydantic import SecretStr

from automation.errors import CannotReach, SignInFailed
from automation.pages import find
from automation.pages.arrival import error_heading, error_page
from automation.pages.dialogs import Dialogs
from automation.pages.find import ControlNotFound, Root
from automation.pages.network import TRANSIENT_STATUSES, through, unavailable, unreachable
from automation.pages.service_center import ServiceCenter
from automation.profile import NO_PROFILE, SiteProfile
from automation.text import normalise

ENVIRONMENT_NAME = re.compile(r"environmentName\s*:\s*'([^']*)'")
LOGIN_ERROR = re.compile(r"invalid|incorrect|wrong|locked|not allowed|failed", re.IGNORECASE)
SCREEN = "Sign-in page"
USER_NAME = find.meaning("username", "user name", "user", "user id", "email", "e-mail")
NEXT = find.meaning("next", "continue", "proceed")
SIGN_IN = find.meaning("login", "log in", "sign in", "signin", "enter", "ok", "submit", "continue")


class LoginPage:
    """Where every visit to Service Center starts when no one is signed in."""

    def __init__(
        self,
        page: Page,
        profile: SiteProfile = NO_PROFILE,
        service_center_url: str | None = None,
        sign_in_origin: str | None = None,
    ) -> None:
        self.page = page
        Dialogs.of(page.context).expected = profile.dialogs.expected
        # Where the password may be typed: Service Center's own origin, and the sign-in host
        # the operator allowed, never another.
        self.origin = origin_of(service_center_url or page.url)
        self.allowed = {self.origin} | ({origin_of(sign_in_origin)} if sign_in_origin else set())

        # Structure, when nothing names them: the box before the password box, and the
        # submit control of the password's form.
        def before_password(root: Root) -> list[find.Way]:
            box = root.locator(
                "xpath=//input[@type='password']"
                "/preceding::input[not(@type) or @type='text' or @type='email'][1]"
            )
            return [("the box before the password box", box)]

        def sign_in_form(root: Root) -> Locator:
            return root.locator("form").filter(has=find.password_boxes(root))

        self._username = find.text_box(page, SCREEN, "user name box", USER_NAME, before_password)
        self._password = find.password_box(page, SCREEN)
        self._login_button = find.action(
            page,
            SCREEN,
            "sign-in button",
            SIGN_IN,
            find.submit_of(sign_in_form, "the sign-in form's submit control"),
        )
        self._error = find.Control(
            SCREEN,
            "sign-in message",
            lambda root: [
                ("an alert", root.get_by_role("alert")),
                ("a text saying the sign-in failed", root.get_by_text(LOGIN_ERROR)),
            ],
            page,
        )
        # A sign-in in two steps asks for the user name first, behind a Next button.
        self._next = find.action(page, SCREEN, "next button", NEXT)
        self.username = self._username.locator
        self.password = self._password.locator
        self.login_button = self._login_button.locator
        self.error = self._error.locator
        self.service_center = ServiceCenter(page, profile)
        # What shows when Service Center answers: its sign-in page, or a signed-in page when
        # the browser still has a session.
        self._arrival = find.either(
            find.either(self._password, self._username, "sign-in box"),
            self.service_center._administration,
            "sign-in page",
        )

    @classmethod
    def open(
        cls,
        page: Page,
        service_center_url: str,
        profile: SiteProfile = NO_PROFILE,
        sign_in_origin: str | None = None,
    ) -> LoginPage:
        """Go to Service Center's address; it answers with the sign-in page."""
        try:
            response = page.goto(service_center_url)
        except PlaywrightError as exc:
            raise unreachable(service_center_url, exc) from None
        status = response.status if response else None
        if status in TRANSIENT_STATUSES:
            raise unavailable(service_center_url, status)
        login = cls(page, profile, service_center_url, sign_in_origin)
        error = error_heading(page)
        try:
            login._arrival.wait(instead=error.first)
        except ControlNotFound as not_found:
            raise CannotReach(
                f"{page.url} answered{through()}, but shows no Service Center sign-in page "
                f"(looked for {'; '.join(not_found.tried)}).",
                hint="Check the address points to the environment's /ServiceCenter.",
            ) from None
        if error.first.is_visible():
            raise error_page(page, status)
        return login

    def environment_name(self) -> str | None:
        """The name Service Center gives itself, from the page's environmentName script."""
        match = ENVIRONMENT_NAME.search(self.page.content())
        return match.group(1) if match else None

    def login(self, user: str, password: str | SecretStr) -> ServiceCenter:
        """Sign in. Given as a SecretStr, the password is unwrapped only where it is typed: a
        traceback that shows each frame's arguments (pytest --tb=long) shows it masked."""
        service_center = self.service_center
        if service_center.shown():
            return service_center  # already signed in
        password_box = self._password.present()
        if password_box is None:  # two steps: the user name, Next, then the password
            user_box = self._username.require()
            self._check_origin(user_box)  # before anything is typed
            user_box.fill(user)
            self._next.require().click()
            password_box = self._password.require()
            self._check_origin(password_box)
        else:
            self._check_origin(password_box)  # before anything is typed
            self._username.require().fill(user)
        password_box.fill(_plain(password))
        login_button = self._login_button.require()
        # Signing in posts the form: wait for the page that answers, so a message that was
        # already on the sign-in page is not taken for the answer. The form may be in a frame.
        form = frame_of(login_button, self.page)
        try:
            with form.expect_navigation():
                login_button.click()
        except PlaywrightTimeoutError:
            raise SignInFailed(
                f"The sign-in form at {form.url} was not sent{refused_by_browser(form)}.",
                hint="The browser did not send what was typed: check the user name's form "
                "(an e-mail address where the page asks for one), or sign in by hand to see "
                "what the page asks for.",
            ) from None
        if service_center._administration.wait(instead=self._error) is None:
            said = normalise(self._error.require().inner_text())
            locked = "locked" in said.lower()
            raise SignInFailed(
                f"Service Center refused the sign-in of '{user}': {said}",
                hint="The account is locked: ask a Service Center administrator to unlock it "
                "before any retry."
                if locked
                else "Check the user name and the password variable. Do not retry blindly: "
                "after several failures Service Center may lock the account.",
            )
        return service_center

    def _check_origin(self, box: Locator) -> None:
        """A sign-in box is typed into only on Service Center's own origin: a redirect or a
        frame to another address (a compromised or misconfigured proxy) gets nothing."""
        there = frame_of(box, self.page).url
        downgrade = urlsplit(there).scheme == "http" and self.origin.startswith("https:")
        if origin_of(there) in self.allowed and not downgrade:
            return
        said = (
            f"The sign-in page that came is at {there}, not on Service Center's own address "
            f"({self.origin}): the password was not typed."
        )
        if downgrade:
            said += " It would have gone over plain http."
        raise SignInFailed(
            said,
            hint="Something between this machine and Service Center (a reverse proxy, a "
            "redirect) sends the sign-in elsewhere. Open the address in a browser and check where "
            "it leads before any retry; give Service Center's own address with --url. A separate "
            "sign-in host is allowed per environment with sign_in_origin = in the inventory.",
        )


def _plain(password: str | SecretStr) -> str:
    return password.get_secret_value() if isinstance(password, SecretStr) else password


def origin_of(url: str) -> str:
    """scheme://host:port, the port spelled out, for comparing where pages are."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def refused_by_browser(frame: Frame) -> str:
    """What the browser says of a field it will not send (the page's own validation)."""
    with suppress(PlaywrightError):
        said = frame.evaluate(
            "() => { const bad = document.querySelector(':is(input, select, textarea):invalid');"
            " return bad ? bad.validationMessage : null; }"
        )
        if said:
            return f": the browser says “{normalise(str(said))}”"
    return ""


def frame_of(control: Locator, page: Page) -> Frame:
    """The frame a control is in: its navigations are that frame's."""
    handle = control.element_handle()
    return handle.owner_frame() or page.main_frame
