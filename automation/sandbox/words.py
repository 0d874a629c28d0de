"""Another release's words on the Licensing page: its status texts, labels and dates."""

from __future__ import annotations

import datetime

from automation.sandbox import messages
from automation.sandbox.state import Banner
from automation.sandbox.variants import Words

# The labels that release changed, by field id; the site profile profiles/other-release.toml
# teaches them to the tool.
OTHER_RELEASE_LABELS = {"SerialNumber": "Serial", "EndDate": "Expiration Date"}


def banner(shown: Banner, words: Words) -> Banner:
    """The status as this release words it: valid (expiring soon too), or not valid and why."""
    if words == "documented":
        return shown
    if shown.kind in ("valid", "warning"):
        return Banner(shown.kind, (messages.OTHER_RELEASE_VALID,))
    reason, *more = shown.lines
    return Banner(shown.kind, (messages.other_release_not_valid(reason), *more))


def label(field: str, documented: str, words: Words) -> str:
    return OTHER_RELEASE_LABELS.get(field, documented) if words == "other-release" else documented


def end_date(end: datetime.date | None, installed: bool, words: Words) -> str:
    if not installed:
        return ""
    if end is None:
        return "Never"
    return end.strftime("%d/%m/%Y") if words == "other-release" else end.isoformat()
