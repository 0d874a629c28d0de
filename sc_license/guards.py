"""Page objects of a pytest run that allows no change: signing in, reading and Backup License
work; Upload New License refuses, saying how to allow it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from automation.pages.licensing import LicensingPage
from automation.pages.service_center import ServiceCenter
from automation.pages.upload import UploadForm
from automation.profile import SiteProfile


def refused_change(environment: str) -> str:
    return (
        f"Refused to change {environment}'s license: this run does not allow changes. Nothing "
        "was done.\nWhat to do: give --sc-allow-changes on the command line of a run meant to "
        "change licenses; sc_install(..., dry_run=True) rehearses one."
    )


class ReadOnlyServiceCenter(ServiceCenter):
    """Service Center whose Licensing page cannot upload."""

    def __init__(self, page: Page, profile: SiteProfile, environment: str) -> None:
        super().__init__(page, profile)
        self.environment = environment

    def licensing_page(self) -> LicensingPage:
        return ReadOnlyLicensingPage(self.page, self.profile, self.environment)


class ReadOnlyLicensingPage(LicensingPage):
    """The Licensing page whose Upload New License refuses."""

    def __init__(self, page: Page, profile: SiteProfile, environment: str) -> None:
        super().__init__(page, profile)
        self.environment = environment

    def open_upload(self) -> UploadForm:
        raise pytest.fail.Exception(refused_change(self.environment), pytrace=False)
