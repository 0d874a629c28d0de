"""Evidence files are replaced whole: where another process has the file open for a moment
(Windows refuses the replace with a sharing violation), the write is tried again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from automation.evidence.files import write_atomically


def refusing(times: int) -> tuple[list[int], object]:
    """os.replace as Windows does it while a reader holds the target open `times` times."""
    calls: list[int] = []

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        calls.append(1)
        if len(calls) <= times:
            raise PermissionError(13, "The process cannot access the file", str(target))
        os.replace(source, target)

    return calls, replace


def test_an_index_held_open_for_a_moment_is_still_replaced(tmp_path: Path) -> None:
    index = tmp_path / "index.html"
    index.write_text("<p>old</p>", encoding="utf-8")
    calls, replace = refusing(2)

    write_atomically(index, b"<p>new</p>", replace=replace)  # type: ignore[arg-type]

    assert index.read_bytes() == b"<p>new</p>"
    assert len(calls) == 3
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]


def test_an_index_held_open_for_good_is_reported_and_left_as_it_was(tmp_path: Path) -> None:
    index = tmp_path / "index.html"
    index.write_text("<p>old</p>", encoding="utf-8")
    _, replace = refusing(1000)

    with pytest.raises(PermissionError):
        write_atomically(index, b"<p>new</p>", replace=replace)  # type: ignore[arg-type]

    assert index.read_bytes() == b"<p>old</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
