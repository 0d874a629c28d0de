"""The ways a Service Center may differ where its markup is not published, one type each.

Every dimension's first value is what the sandbox has always done; the others are what a
Service Center we had not seen did instead (issue 12). The page objects must work on all.
"""

from __future__ import annotations

from typing import Literal

# How the sign-in page names its user name and password boxes.
SignInLabels = Literal["label", "placeholder", "aria-label"]
SIGN_IN_LABELS_HELP = (
    "How the sign-in boxes are named: label (a <label> each), placeholder (no label, "
    "placeholder 'Username'/'Password' only), aria-label (an aria-label only)."
)

# What the sign-in button and the upload form's submit control are made of.
SubmitControl = Literal["input", "button", "link"]
SUBMIT_CONTROL_HELP = (
    "The Login and Upload controls: input (<input type=submit>), button (<button "
    "type=submit>), link (an <a href='#'> styled as a button that submits the form by "
    "script, as OutSystems Traditional Web renders many buttons)."
)

# How Upload New License shows its form.
UploadFormStyle = Literal["page", "popup", "delayed-popup", "window"]
UPLOAD_FORM_HELP = (
    "How Upload New License shows its form: page (a page of its own), popup (an in-page "
    "dialog with an iframe), delayed-popup (the dialog is inserted by script a moment after "
    "the click), window (a new browser window opened by script)."
)
# How long a delayed popup takes to appear after the click.
POPUP_DELAY_MS = 800

# What the browser shows after Service Center accepted a license.
UploadAnswer = Literal["navigate", "message-then-reload"]
UPLOAD_ANSWER_HELP = (
    "After an accepted upload: navigate (the top page goes to Licensing at once), "
    "message-then-reload (the form says the license was uploaded, then a moment later the "
    "page, the popup's parent or the window's opener reloads Licensing; a window closes "
    "itself). A rejected file is always answered inside the form."
)
# How long a success message stays before Licensing is loaded.
RELOAD_DELAY_MS = 1000

# How a license file is written: the installed license at start, and so its backup.
LicenseEncoding = Literal["text", "opaque", "binary"]
LICENSE_ENCODING_HELP = (
    "How license files are written: text (signed 'Label: value' lines), opaque (base64 of "
    "an encrypted blob: no serial or activation code readable), binary (bytes with NULs: a "
    "header, a nonce and the encrypted license). Uploads of any encoding are accepted."
)
