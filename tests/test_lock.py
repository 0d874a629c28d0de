"""One change at a time per environment: the lock is the address's however it is spelled,
another address's is its own, and nothing of it is left when the run ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.errors import Refused
from automation.lock import address_key, environment_lock


def test_one_address_spelled_two_ways_is_one_lock(tmp_path: Path) -> None:
    spellings = [
        "https://SC.Example.com/ServiceCenter",
        "https://sc.example.com:443/ServiceCenter/",
    ]

    first, second = (address_key(url) for url in spellings)
    with (
        environment_lock(tmp_path, first, spellings[0], tmp_path / "run"),
        pytest.raises(Refused) as refused,
        environment_lock(tmp_path, second, spellings[1], tmp_path / "second"),
    ):
        pass

    assert str(tmp_path / "run") in str(refused.value)


@pytest.mark.parametrize(
    "other",
    ["https://sc-prod.example.com/ServiceCenter", "https://sc.prod-example.com/ServiceCenter"],
)
def test_addresses_that_differ_only_in_punctuation_have_locks_of_their_own(
    tmp_path: Path, other: str
) -> None:
    first = "https://sc.prod.example.com/ServiceCenter"

    with (
        environment_lock(tmp_path, address_key(first), first, tmp_path / "first"),
        environment_lock(tmp_path, address_key(other), other, tmp_path / "other"),
    ):
        pass  # both held at once: neither refused


def test_a_run_that_ends_leaves_no_lock_file_and_the_next_takes_the_lock(tmp_path: Path) -> None:
    url = "https://sc.example.com/ServiceCenter"
    for run in ("first", "second"):
        with environment_lock(tmp_path, address_key(url), url, tmp_path / run):
            assert len(list(tmp_path.iterdir())) == 2  # the lock and its holder's note
        assert list(tmp_path.iterdir()) == []
