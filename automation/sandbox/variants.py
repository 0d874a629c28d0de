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
UploadFormStyle = Literal["page", "popup", "delayed-popup", "window", "nested-popup"]
UPLOAD_FORM_HELP = (
    "How Upload New License shows its form: page (a page of its own), popup (an in-page "
    "dialog with an iframe), delayed-popup (the dialog is inserted by script a moment after "
    "the click), window (a new browser window opened by script), nested-popup (the dialog's "
    "iframe holds a page whose own iframe holds the form: two frames deep)."
)
# How long a delayed popup takes to appear after the click.
POPUP_DELAY_MS = 800

# What the browser shows after Service Center accepted a license.
UploadAnswer = Literal["navigate", "message-then-reload", "alert"]
UPLOAD_ANSWER_HELP = (
    "After an accepted upload: navigate (the top page goes to Licensing at once), "
    "message-then-reload (the form says the license was uploaded, then a moment later the "
    "page, the popup's parent or the window's opener reloads Licensing; a window closes "
    "itself), alert (a JavaScript alert 'The license was uploaded successfully.', then "
    "Licensing as navigate). A rejected file is always answered inside the form; with alert, "
    "by an alert with the same text too."
)
# How long a success message stays before Licensing is loaded.
RELOAD_DELAY_MS = 1000

# How a license file is written: the installed license at start, and so its backup.
LicenseEncoding = Literal["text", "opaque", "binary", "header-base64"]
LICENSE_ENCODING_HELP = (
    "How license files are written: text (signed 'Label: value' lines), opaque (base64 of "
    "an encrypted blob: no serial or activation code readable), binary (bytes with NULs: a "
    "header, a nonce and the encrypted license), header-base64 (an 'OSLIC2' line, then "
    "base64 of the encrypted blob). Uploads of any encoding are accepted."
)

# How captions are written around the documented words.
Captions = Literal["plain", "decorated"]
CAPTIONS_HELP = (
    "How captions are written: plain (the documented words alone), decorated (the words "
    "inside decorations: the tabs are buttons 'Administration ▾', submenu items carry "
    "counters 'Licensing (1)', links read '⤓ Backup&nbsp;License' and 'Upload New License »' "
    "(a zero-width space after 'Upload'), the sign-in button 'Log in →', the upload form's "
    "submit 'Upload ✓')."
)

# How the Licensing page lays out the six license values.
FieldLayout = Literal["divs", "nbsp-dl"]
FIELD_LAYOUT_HELP = (
    "How the six license values are laid out: divs (a label above each value), nbsp-dl (a "
    "<dl>: each label a <dt>, its value the <dd> after it; a non-breaking space inside "
    "every two-word label and a trailing colon, as in Serial&nbsp;Number:)."
)

# How the upload form asks for its file.
FilePicker = Literal["input", "browse-button"]
FILE_PICKER_HELP = (
    "How the upload form asks for its file: input (a visible <input type=file>), "
    "browse-button (the input hidden behind a 'Browse...' button that clicks it; the "
    "submit control stays disabled until a file is chosen)."
)

UPLOAD_CONFIRM_HELP = (
    "Ask 'Are you sure you want to upload this license file?' (a JavaScript confirm) when "
    "the upload form is submitted; dismissed, nothing is posted."
)

# How Backup License hands over its file.
BackupDownload = Literal["attachment", "blob", "chunked"]
BACKUP_DOWNLOAD_HELP = (
    "How Backup License sends the file: attachment (a link to the file, sent with its "
    "Content-Length), blob (the link fetches the file by script and saves it through "
    "URL.createObjectURL and an <a download>), chunked (a link to the file, streamed "
    "without a Content-Length)."
)

BACKUP_REENCODES_HELP = (
    "Backup License returns the installed license written anew: the same license, other "
    "bytes (text: features in another order, CRLF line endings and so a new signature; "
    "encrypted encodings: a new nonce). Uploading it back is accepted as the same license."
)

# Which release's words the Licensing page uses where they were changed.
Words = Literal["documented", "other-release"]
WORDS_HELP = (
    "The Licensing page's words: documented, or other-release (status 'This license is "
    "valid.' or 'This license is not valid: <reason>', 'Expiration Date' written "
    "day/month/year, 'Serial'; the site profile teaching them is other-release.toml in "
    "the sandbox's profiles folder)."
)
