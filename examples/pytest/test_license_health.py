"""Every environment's license: valid, issued for its own server, and not about to end.

Run with the environments to check, e.g.
    pytest examples/pytest --sc-inventory environments.toml --sc-group production
or against a sandbox Service Center started for the run:
    pytest examples/pytest --sc-sandbox
"""

import pytest

from sc_license import EnvironmentLicense, ScEnvironment


def test_the_license_is_valid(installed_license: EnvironmentLicense) -> None:
    assert installed_license.valid


def test_the_license_is_for_this_server(
    installed_license: EnvironmentLicense, sc_environment: ScEnvironment
) -> None:
    if sc_environment.serial is None:
        pytest.skip(f"the inventory gives no serial for {sc_environment.name} (serial = ...)")
    assert installed_license.serial_number == sc_environment.serial


def test_the_license_has_time_left(
    installed_license: EnvironmentLicense, minimum_days_left: int
) -> None:
    days_left = installed_license.days_left()  # None: it never ends
    assert days_left is None or days_left > minimum_days_left, (
        f"{installed_license.environment}'s license ends {installed_license.end_date}, in "
        f"{days_left} days: renew it"
    )
