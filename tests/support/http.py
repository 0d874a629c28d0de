"""What the sandbox tests do over HTTP: sign in, upload a file, read the Licensing page."""

from __future__ import annotations

import httpx

from tests.support.markup import Element, parse
from tests.support.sandboxes import Sandbox

USER_FIELD = "wt12$wtMainContent$wtUserNameInput"
PASSWORD_FIELD = "wt12$wtMainContent$wtPasswordInput"
FILE_FIELD = "wt7$wtMainContent$wtLicenseFileUpload"
LICENSING = "/ServiceCenter/Licensing.aspx"
UPLOAD = "/ServiceCenter/LicenseUpload.aspx"


def sign_in(sandbox: Sandbox) -> httpx.Client:
    client = httpx.Client(base_url=sandbox.origin)
    response = client.post(
        "/ServiceCenter/Login.aspx",
        data={USER_FIELD: sandbox.user, PASSWORD_FIELD: sandbox.password},
    )
    assert response.status_code == 303
    return client


def upload(client: httpx.Client, data: bytes, filename: str = "new.lic") -> httpx.Response:
    """Post a file through the Upload New License form, following where it leads."""
    files = {FILE_FIELD: (filename, data, "application/octet-stream")}
    return client.post(UPLOAD, files=files, data={"__OSVSTATE": "x"}, follow_redirects=True)


def licensing_page(client: httpx.Client, **query: str) -> Element:
    response = client.get(LICENSING, params=query)
    assert response.status_code == 200
    return parse(response.text)


def fields(page: Element) -> dict[str, str]:
    """The label/value pairs of the license, as a reader pairs them."""
    pairs = {}
    for field in page.find_all(**{"class": "LicenseInfo_Field"}):
        label, *value = field.lines()
        pairs[label] = value[0] if value else ""
    return pairs


def banner(page: Element) -> list[str]:
    return page.find(id="wt20_wtMainContent_wtLicenseStatus").lines()
