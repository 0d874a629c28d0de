"""A file a click downloads, kept with what its transfer says of it: the browser's failure, the
size against the Content-Length the server sent, or, when the transfer says nothing of the
file's length, a second download compared byte for byte. No file format is assumed."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from playwright.sync_api import Download, Page, Response

# How a download was shown whole: by the length the server announced for it, or by a second
# download of the same bytes.
Confirmation = Literal["content-length", "second download"]
# Clicks what starts the download, then waits until `started()` says it began.
Click = Callable[[Callable[[], bool]], None]


@dataclass(frozen=True)
class Transfer:
    """One download as the browser ended it."""

    path: Path | None  # None: the transfer failed, and nothing of it was saved
    size: int
    content_length: int | None  # None: not sent (chunked, a Blob) or not the file's (compressed)
    failure: str | None = None  # the browser's word for a transfer that did not finish


@dataclass(frozen=True)
class Downloaded:
    """A file a click downloaded, and whether its transfer showed it whole, or why not."""

    path: Path | None  # None: the transfer failed, and nothing of it was saved
    size: int
    content_length: int | None
    confirmed_by: Confirmation | None  # None: not shown whole; `problem` says why
    problem: str | None = None
    second: Path | None = None  # the second download, taken when the first said no length
    evidence: str = ""  # what the transfer said, in words


def download_whole(page: Page, click: Click, folder: Path, prefix: str, what: str) -> Downloaded:
    """Download with `click` into `folder`; when the server announced no length, download again
    and compare. `what` names the download in the words said of it ("Backup License")."""
    first = transfer(page, click, folder, prefix)
    if first.failure is not None or first.content_length is not None:
        return verdict(first, None, what)
    try:
        second = transfer(page, click, folder, f"{prefix}-again")
    except BaseException:
        # The first file was never handed over: whoever does this again downloads it anew.
        if first.path is not None:
            first.path.unlink(missing_ok=True)
        raise
    return verdict(first, second, what)


def transfer(page: Page, click: Click, folder: Path, prefix: str) -> Transfer:
    """One download, saved in `folder` under its suggested name (never over another file),
    with the Content-Length of the response that carried it, when one did."""
    responses: list[Response] = []

    def seen(response: Response) -> None:
        responses.append(response)

    page.on("response", seen)
    try:
        with page.expect_download() as download_info:
            click(download_info.is_done)
        download = download_info.value
        failure = download.failure()  # waits for the transfer to end
    finally:
        page.remove_listener("response", seen)
    length = announced_length(carrier(responses, download.url))
    if failure is not None:
        return Transfer(None, 0, length, failure)
    target = free_name(folder, prefix, download)
    # Saved aside, then renamed: a file on disk under its name is always a whole download.
    partial = folder / f".{target.name}.partial"
    download.save_as(partial)
    partial.rename(target)
    return Transfer(target, target.stat().st_size, length)


def carrier(responses: list[Response], url: str) -> Response | None:
    """The response the download came in: the last one for its address that was no redirect.
    None for a Blob or data: address, which no response carries."""
    found = [r for r in responses if r.url == url and not 300 <= r.status < 400]
    return found[-1] if found else None


def announced_length(response: Response | None) -> int | None:
    """The file's length as the server announced it; None when it did not, or announced the
    length of something else (a compressed body is saved uncompressed)."""
    if response is None:
        return None
    headers = response.headers
    if headers.get("content-encoding", "identity").strip().lower() not in ("", "identity"):
        return None
    length = headers.get("content-length", "").strip()
    return int(length) if length.isdigit() else None


def free_name(folder: Path, prefix: str, download: Download) -> Path:
    """`<prefix>-<suggested name>` in `folder`, numbered when that is taken."""
    suggested = re.sub(r"[^A-Za-z0-9._-]+", "_", download.suggested_filename) or "download"
    target = folder / f"{prefix}-{suggested}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{prefix}-{number}-{suggested}"
    return target


def verdict(first: Transfer, second: Transfer | None, what: str) -> Downloaded:
    """What the transfers show of the file: whole, or why it cannot be trusted."""
    size, length = first.size, first.content_length
    got = Downloaded(first.path, size, length, confirmed_by=None)
    if first.failure is not None:
        return untrusted(got, f"The download of {what} failed: the browser said “{first.failure}”")
    if length is not None:
        if size != length:
            return untrusted(
                got,
                f"{what} downloaded {size} bytes where the server announced {length} "
                "(Content-Length): the file is not whole",
            )
        said = f"{size} bytes, the length the server announced (Content-Length)"
        return replace(got, confirmed_by="content-length", evidence=said)
    assert second is not None  # no length announced: a second download was taken
    no_length = f"the server announced no length, so {what} was downloaded a second time"
    if second.path is None:
        return untrusted(
            got, f"{no_length}, and that download failed: the browser said “{second.failure}”"
        )
    assert first.path is not None  # only a failed transfer saves nothing
    got = replace(got, second=second.path)
    if first.path.read_bytes() != second.path.read_bytes():
        return untrusted(
            got,
            f"Two downloads of {what} differ ({size} and {second.size} bytes), and the server "
            "announced the length of neither: which one is whole cannot be told",
        )
    said = f"{size} bytes; {no_length}: the same bytes"
    return replace(got, confirmed_by="second download", evidence=said)


def untrusted(got: Downloaded, problem: str) -> Downloaded:
    return replace(got, problem=problem, evidence=problem)
