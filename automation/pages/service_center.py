"""The frame around every Service Center page: top tabs and the Administration submenu."""

from __future__ import annotations

from playwright.sync_api import Page

from automation.pages.arrival import arrive
from automation.pages.licensing import LicensingPage


class ServiceCenter:
    """The header every signed-in page shares."""

    def __init__(self, page: Page) -> None:
        self.page = page
        # .first: the sidebar's Recent Items can repeat a link; the header comes first.
        self.administration_tab = page.get_by_role("link", name="Administration", exact=True).first
        self.licensing_submenu = page.get_by_role("link", name="Licensing", exact=True).first

    def open_administration(self) -> ServiceCenter:
        self.administration_tab.click()
        arrive(self.page, self.licensing_submenu)
        return self

    def open_licensing(self) -> LicensingPage:
        self.licensing_submenu.click()
        return LicensingPage(self.page).wait_until_shown()
