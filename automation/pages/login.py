"""Service Center's sign-in page (Login.aspx)."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from automation.errors import CannotReach, SignInFailed
from automation.pages import find
from automation.pages.arrival import error_heading, error_page
from automation.pages.network import TRANSIENT_STATUSES, unreachable
from automation.pages.service_center import ServiceCenter

ENVIRONMENT_NAME = re.compile(r"environmentName\s*:\s*'([^']*)'")
LOGIN_ERROR = re.compile(r"invalid|incorrect|wrong|locked|not allowed|failed", re.IGNORECASE)
SCREEN = "Sign-in page"
USER_NAME = find.meaning("username", "user name", "user", "user id", "email", "e-mail")
SIGN_IN = find.meaning("login", "log in", "sign in", "signin", "enter", "ok", "submit", "continue")


class LoginPage:
    """Where every visit to Service Center starts when no one is signed in."""

    def __init__(self, page: Page) -> None:
        self.page = page
        # Structure, when nothing names them: the box before the password box, and the
        # submit control of the password's form.
        before_password = page.locator(
            "xpath=//input[@type='password']"
            "/preceding::input[not(@type) or @type='text' or @type='email'][1]"
        )
        sign_in_form = page.locator("form").filter(has=find.password_boxes(page))
        self._username = find.text_box(
            page,
            SCREEN,
            "user name box",
            USER_NAME,
            ("the box before the password box", before_password),
        )
        self._password = find.password_box(page, SCREEN)
        self._login_button = find.action(
            page,
            SCREEN,
            "sign-in button",
            SIGN_IN,
            find.submit_of(sign_in_form, "the sign-in form's submit control"),
        )
        self.username = self._username.locator
        self.password = self._password.locator
        self.login_button = self._login_button.locator
        self.error = page.get_by_role("alert").or_(page.get_by_text(LOGIN_ERROR)).first
        self.service_center = ServiceCenter(page)

    @classmethod
    def open(cls, page: Page, service_center_url: str) -> LoginPage:
        """Go to Service Center's address; it answers with the sign-in page."""
        try:
            response = page.goto(service_center_url)
        except PlaywrightError as exc:
            raise unreachable(service_center_url, exc) from None
        status = response.status if response else None
        if status in TRANSIENT_STATUSES:
            raise CannotReach(
                f"Service Center at {service_center_url} is unavailable (HTTP {status}).",
                hint="The server may be restarting; run again in a few minutes.",
                transient=True,
            )
        login = cls(page)
        error = error_heading(page)
        try:
            # A browser that still has a session goes straight past the sign-in page.
            expect(
                login.password.or_(login.service_center.administration_tab).or_(error).first
            ).to_be_visible()
        except AssertionError:
            raise CannotReach(
                f"{page.url} answered, but shows no Service Center sign-in page.",
                hint="Check the address points to the environment's /ServiceCenter.",
            ) from None
        if error.first.is_visible():
            raise error_page(page, status)
        return login

    def environment_name(self) -> str | None:
        """The name Service Center gives itself, from the page's environmentName script."""
        match = ENVIRONMENT_NAME.search(self.page.content())
        return match.group(1) if match else None

    def login(self, user: str, password: str) -> ServiceCenter:
        service_center = self.service_center
        if service_center.administration_tab.is_visible():
            return service_center  # already signed in
        self._username.require().fill(user)
        self._password.require().fill(password)
        login_button = self._login_button.require()
        # Signing in posts the form: wait for the page that answers, so a message that was
        # already on the sign-in page is not taken for the answer.
        with self.page.expect_navigation():
            login_button.click()
        expect(service_center.administration_tab.or_(self.error).first).to_be_visible()
        if not service_center.administration_tab.is_visible():
            said = " ".join(self.error.inner_text().split())
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
