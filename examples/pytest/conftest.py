import pytest


@pytest.fixture
def minimum_days_left() -> int:
    return 30  # a license ending sooner fails the suite: time to renew it
