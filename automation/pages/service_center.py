"""The frame around every Service Center page: top tabs and the Administration submenu."""

from __future__ import annotations

from playwright.sync_api import Page

from automation.pages import find
from automation.pages.arrival import arrive
from automation.pages.licensing import LicensingPage
from automation.profile import NO_PROFILE, SiteProfile

ADMINISTRATION = find.meaning("Administration")
LICENSING = find.meaning("Licensing")


class ServiceCenter:
    """The header every signed-in page shares."""

    def __init__(self, page: Page, profile: SiteProfile = NO_PROFILE) -> None:
        self.page = page
        self.profile = profile
        words = profile.words
        # .first inside: the sidebar's Recent Items can repeat a link; the header comes first.
        self._administration = find.link(
            page,
            "Service Center header",
            "Administration tab",
            ADMINISTRATION.plus(words.administration),
        )
        self._licensing = find.link(
            page, "Administration submenu", "Licensing item", LICENSING.plus(words.licensing)
        )
        self.administration_tab = self._administration.locator
        self.licensing_submenu = self._licensing.locator

    def shown(self) -> bool:
        """Whether a signed-in page shows now (its Administration tab, in any frame)."""
        return self._administration.present() is not None

    def open_administration(self) -> ServiceCenter:
        self._administration.follow()
        arrive(self.page, self._licensing)
        return self

    def open_licensing(self) -> LicensingPage:
        self._licensing.follow()
        return self.licensing_page().wait_until_shown()

    def licensing_page(self) -> LicensingPage:
        """The Licensing page object this header opens (the pytest plugin's read-only one
        refuses uploads)."""
        return LicensingPage(self.page, self.profile)
