"""What a download's transfer says of its file, as a table: the browser's failure, the size
against the Content-Length, or a second download compared byte for byte. No format is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.pages.download import Transfer, verdict

# first transfer (bytes or a failure, Content-Length), second (bytes or a failure, or None)
# -> confirmed by, or what the refusal says
CASES = {
    "length-announced-and-met": ((b"ABCD", 4), None, "content-length"),
    "length-announced-and-short": ((b"AB", 4), None, "downloaded 2 bytes where the server"),
    "transfer-failed": (("canceled", 4), None, "the browser said “canceled”"),
    "no-length-and-two-same-downloads": ((b"ABCD", None), b"ABCD", "second download"),
    "no-length-and-two-downloads-differ": ((b"ABCD", None), b"ABCE", "Two downloads of X differ"),
    "no-length-and-the-second-failed": ((b"ABCD", None), "canceled", "that download failed"),
    # Empty, a web page: whole as transfers; what the file is, the flow judges.
    "an-empty-file-of-length-0": ((b"", 0), None, "content-length"),
}


def saved(tmp_path: Path, name: str, got: bytes | str, length: int | None) -> Transfer:
    if isinstance(got, str):
        return Transfer(None, 0, length, failure=got)
    path = tmp_path / name
    path.write_bytes(got)
    return Transfer(path, len(got), length)


@pytest.mark.parametrize(("first", "second", "said"), CASES.values(), ids=CASES)
def test_a_download_is_whole_only_by_what_its_transfer_said(
    first: tuple[bytes | str, int | None], second: bytes | str | None, said: str, tmp_path: Path
) -> None:
    again = None if second is None else saved(tmp_path, "again", second, None)

    got = verdict(saved(tmp_path, "first", *first), again, "X")

    if said in ("content-length", "second download"):
        assert (got.confirmed_by, got.problem) == (said, None)
    else:
        assert got.confirmed_by is None and got.problem is not None and said in got.problem
    assert got.evidence  # always something to record
