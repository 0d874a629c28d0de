"""Service Center's sign-in page (Login.aspx)."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from automation.errors import CannotReach, SignInFailed
from automation.pages.service_center import ServiceCenter

ENVIRONMENT_NAME = re.compile(r"environmentName\s*:\s*'([^']*)'")
LOGIN_ERROR = re.compile(r"invalid|incorrect|wrong|locked|not allowed|failed", re.IGNORECASE)


class LoginPage:
    """Where every visit to Service Center starts when no one is signed in."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.username = page.get_by_label(re.compile(r"^user\s*name", re.IGNORECASE))
        self.password = page.get_by_label(re.compile(r"^password", re.IGNORECASE))
        self.login_button = page.get_by_role(
            "button", name=re.compile(r"^\s*(log\s*in|sign\s*in)\s*$", re.IGNORECASE)
        )
        self.error = page.get_by_role("alert").or_(page.get_by_text(LOGIN_ERROR)).first
        self.service_center = ServiceCenter(page)

    @classmethod
    def open(cls, page: Page, service_center_url: str) -> LoginPage:
        """Go to Service Center's address; it answers with the sign-in page."""
        try:
            page.goto(service_center_url)
        except PlaywrightError as exc:
            raise CannotReach(
                f"Service Center at {service_center_url} did not answer ({_network_reason(exc)}).",
                hint="Check the address, that the server is running, and that this machine "
                "may reach it (VPN, proxy, firewall).",
            ) from None
        login = cls(page)
        try:
            # A browser that still has a session goes straight past the sign-in page.
            expect(
                login.password.or_(login.service_center.administration_tab).first
            ).to_be_visible()
        except AssertionError:
            raise CannotReach(
                f"{page.url} answered, but shows no Service Center sign-in page.",
                hint="Check the address points to the environment's /ServiceCenter, and that "
                "this machine is inside Service Center's allowed network.",
            ) from None
        return login

    def environment_name(self) -> str | None:
        """The name Service Center gives itself, from the page's environmentName script."""
        match = ENVIRONMENT_NAME.search(self.page.content())
        return match.group(1) if match else None

    def login(self, user: str, password: str) -> ServiceCenter:
        service_center = self.service_center
        if service_center.administration_tab.is_visible():
            return service_center  # already signed in
        self.username.fill(user)
        self.password.fill(password)
        self.login_button.click()
        expect(service_center.administration_tab.or_(self.error).first).to_be_visible()
        if not service_center.administration_tab.is_visible():
            raise SignInFailed(
                f"Service Center refused the sign-in of '{user}': "
                f"{self.error.inner_text().strip()}",
                hint="Check the user name and the password variable; after several failures "
                "the account may be locked, so ask an administrator before retrying.",
            )
        return service_center


def _network_reason(error: PlaywrightError) -> str:
    match = re.search(r"net::(ERR_[A-Z_]+)", str(error))
    return match.group(1) if match else str(error).splitlines()[0]
