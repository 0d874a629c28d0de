"""The ways a Service Center may differ where its markup is not published, one type each.

Every dimension's first value is what the sandbox has always done; the others are what a
Service Center we had not seen did instead (issue 12). The page objects must work on all.
"""

from __future__ import annotations

from typing import Literal

# How a license file is written: the installed license at start, and so its backup.
LicenseEncoding = Literal["text", "opaque", "binary"]
LICENSE_ENCODING_HELP = (
    "How license files are written: text (signed 'Label: value' lines), opaque (base64 of "
    "an encrypted blob: no serial or activation code readable), binary (bytes with NULs: a "
    "header, a nonce and the encrypted license). Uploads of any encoding are accepted."
)
