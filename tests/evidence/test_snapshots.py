"""The text kept beside each screenshot: searchable, and never holding a password."""

from __future__ import annotations

import json
import secrets

from playwright.sync_api import Page

from automation.evidence.snapshots import MASK, aria_text, html_text

FORM = """
<label>Username <input id=user></label>
<label>Password <input id=password type=password value="{rendered}"></label>
<iframe srcdoc='<input type=password placeholder=Password><button>Upload</button>'></iframe>
"""


def test_typed_and_rendered_passwords_are_masked_in_every_frame(page: Page) -> None:
    typed, rendered, in_frame = (secrets.token_urlsafe(12) for _ in range(3))
    typed += 'q"uo\\te: #x'  # a snapshot quotes such a value, escaped
    page.set_content(FORM.format(rendered=rendered))
    page.fill("#user", "admin")
    page.fill("#password", typed)
    page.frame_locator("iframe").get_by_placeholder("Password").fill(in_frame)

    aria = aria_text(page)
    html = html_text(page)
    for secret in (typed, rendered, in_frame):
        for form in (secret, json.dumps(secret)[1:-1]):
            assert form not in aria
            assert form not in html
    assert 'textbox "Username": admin' in aria
    assert MASK in aria
    assert 'button "Upload"' in aria  # the popup's frame is there too
    assert "<button>Upload</button>" in html
