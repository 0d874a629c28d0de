"""When `status` calls for attention (exit 8), as a table: a license Service Center shows not
valid, whatever --warn-days says, and one that ends within --warn-days."""

from __future__ import annotations

import pytest

from automation.licenses import InstalledLicense
from flows.license_status import needs_attention

VALID = "This license is valid."
EXPIRED = "This license is not valid: it expired."

# shown valid, days left, --warn-days -> why it needs attention (None: it does not)
CASES = {
    "shown-invalid-without-warn-days": (False, 200, None, EXPIRED),
    "shown-invalid-with-warn-days": (False, 200, 30, EXPIRED),
    "shown-invalid-with-no-end-date": (False, None, None, EXPIRED),
    "valid-ending-within-warn-days": (True, 3, 30, "the license ends in 3 days (2027-01-31)"),
    "valid-ending-on-the-last-warn-day": (True, 30, 30, "the license ends in 30 days (2027-01-31)"),
    "valid-ending-after-warn-days": (True, 31, 30, None),
    "valid-ending-soon-without-warn-days": (True, 3, None, None),
    "valid-never-ending": (True, None, 30, None),
}


@pytest.mark.parametrize(("valid", "days", "warn_days", "why"), CASES.values(), ids=CASES)
def test_a_license_shown_invalid_or_ending_within_warn_days_needs_attention(
    valid: bool, days: int | None, warn_days: int | None, why: str | None
) -> None:
    shown = InstalledLicense(banner=VALID if valid else EXPIRED, valid=valid, end_date="2027-01-31")

    assert needs_attention(shown, days, warn_days) == why
