"""The frame around every Service Center page: top tabs and the Administration submenu."""

from __future__ import annotations

from playwright.sync_api import Page

from automation.pages import find
from automation.pages.arrival import arrive
from automation.pages.licensing import LicensingPage


class ServiceCenter:
    """The header every signed-in page shares."""

    def __init__(self, page: Page) -> None:
        self.page = page
        # .first inside: the sidebar's Recent Items can repeat a link; the header comes first.
        self._administration = find.link(
            page, "Service Center header", "Administration tab", "Administration"
        )
        self._licensing = find.link(page, "Administration submenu", "Licensing item", "Licensing")
        self.administration_tab = self._administration.locator
        self.licensing_submenu = self._licensing.locator

    def open_administration(self) -> ServiceCenter:
        self._administration.require().click()
        arrive(self.page, self.licensing_submenu)
        return self

    def open_licensing(self) -> LicensingPage:
        self._licensing.require().click()
        return LicensingPage(self.page).wait_until_shown()
