"""Sealing a finished run into the audit trail (its report, a line in the log, the index,
the head), and building a report again, or reviewing a run, only for a run that verifies."""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from automation.errors import BadInput, EvidenceDoesNotVerify, Refused
from automation.evidence.chain import LOG, LogEnd, append_entry, read_chain, read_end
from automation.evidence.files import sha256_of, write_atomically
from automation.evidence.head import head_at_end, head_path, trail_lock, write_head
from automation.evidence.records import Review, RunRecord, load_record
from automation.evidence.report import (
    INDEX,
    ROW,
    build_index,
    build_report,
    index_row,
    row_key,
    with_rows,
)
from automation.evidence.verify import rebuild_problems


def seal(root: Path, folder: Path, state: Path | None, *, index: bool = True) -> None:
    """Build a finished run's report, chain it into the audit log, refresh the index and
    move the head: one run at a time, so runs in parallel never interleave their lines or
    their index. A fleet refreshes the index once, at its end, not after each of its
    environments. Without a state folder no head is kept (and `audit verify` says so)."""
    with trail_lock(root):
        build_report(folder)
        _log(root, folder, state, "sealed", index=index)


def rebuild_report(root: Path, folder: Path, state: Path) -> Path:
    """Build a run's report again (a newer template, a lost file) and log that it was; refused
    for a run that does not verify, so a rebuild never vouches for evidence that changed."""
    with trail_lock(root):
        _must_verify(root, folder, state, "its report was not rebuilt")
        reviews = read_chain(root).reviews.get(os.path.relpath(folder, root), [])
        path = build_report(folder, reviews)
        _log(root, folder, state, "report rebuilt", index=True, reviews=reviews, whole=True)
    return path


def review_run(
    root: Path, folder: Path, state: Path, verdict: Literal["accepted", "rejected"], note: str
) -> Review:
    """Record a reviewer's verdict on a sealed run that verifies: its report shows the review,
    and a "reviewed" line of the log holds the run.json and that report as they are now."""
    if verdict == "rejected" and not note.strip():
        raise BadInput(
            f"Rejecting {folder.name} needs a note.",
            hint="Say why in --note, so whoever reads the trail knows what to fix.",
        )
    with trail_lock(root):
        if load_record(folder).outcome == "running":
            raise Refused(
                f"{folder.name} is still under way (or was cut off): it was not reviewed.",
                hint="Review a run once it has ended and been sealed; `sc-license audit "
                "verify` says whether it was cut off.",
            )
        _must_verify(root, folder, state, "it was not reviewed")
        review = Review(
            reviewer=os_account(), verdict=verdict, note=note.strip(), reviewed_at=datetime.now(UTC)
        )
        earlier = read_chain(root).reviews.get(os.path.relpath(folder, root), [])
        build_report(folder, [*earlier, review])
        _log(root, folder, state, "reviewed", index=True, review=review, reviews=[*earlier, review])
    return review


def os_account() -> str:
    """Who is signed in to the machine, from the process's user id: not $LOGNAME or $USER,
    which anyone can set to any name."""
    try:
        import pwd  # not on Windows

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return getpass.getuser()


def _must_verify(root: Path, folder: Path, state: Path, refusal: str) -> None:
    problems = rebuild_problems(root, state, folder)
    if problems:
        raise EvidenceDoesNotVerify(
            f"{folder.name} does not verify; {refusal}.",
            problems,
            hint="Find out who changed the evidence and why; `sc-license audit verify` "
            "lists every problem. Only a run that verifies is built on.",
        )


def _log(
    root: Path,
    folder: Path,
    state: Path | None,
    event: str,
    *,
    index: bool,
    review: Review | None = None,
    reviews: Sequence[Review] = (),
    whole: bool = False,
) -> None:
    """Append the run's line after the log's last, then have the head follow: a log found
    changed since the head was written is noted in the head for good, never re-anchored.
    The log is read from its end and the index given the run's row (`reviews`: the run's,
    with `review`), so that sealing a run costs the same however long the history; the
    index is built `whole` when asked (`audit report`)."""
    name = os.path.relpath(folder, root)
    moment = f"when {name} was logged ({event})"
    head, end = head_at_end(state, root, moment) if state else (None, read_end(root))
    if state is not None:  # a state folder that cannot be written fails before the log moves
        head_path(state, root).parent.mkdir(parents=True, exist_ok=True)
    last = append_entry(root, folder, end.last, event, review)
    unwritten: OSError | None = None
    try:  # the log has moved: the head follows it even if the index cannot be written
        vouched = head.index_sha256 if head and not whole else None
        page = _index(root, folder, reviews, vouched) if index else None
    except OSError as error:
        page, unwritten = None, error
    if head is not None and state is not None:
        head.ends_at(LogEnd(end.lines + 1, last, (root / LOG).stat().st_size))
        head.open_runs.pop(name, None)
        if page is not None:
            head.index_sha256 = page
        write_head(state, root, head)
    if unwritten is not None:
        raise unwritten


# How an index whose rows are ordered by their keys says so: a fleet's environments under it.
GROUPED = 'data-rows="grouped"'


def _index(root: Path, folder: Path, reviews: Sequence[Review], vouched: str | None) -> str:
    """Put the run's row (and a fleet's, its environments' rows) in the index; the index is
    built whole from every run when it is not the one the head vouches for (missing, changed,
    or of an older shape). Returns its SHA-256."""
    path = root / INDEX
    try:
        page = path.read_bytes()
    except FileNotFoundError:
        page = b""
    rows = [
        index_row(os.path.relpath(f, root), r, reviews if f == folder else ())
        for f, r in _rows(folder)
    ]
    text = page.decode()
    usable = page and sha256_of(page) == vouched and GROUPED in text
    placed = with_rows(text, rows) if usable else None
    if placed is None:
        return _whole_index(root)
    data = placed.encode()
    write_atomically(path, data)
    return sha256_of(data)


def _whole_index(root: Path) -> str:
    """Build the index from every run, its rows in the order of their keys, as a row put in
    place keeps them (each fleet's environments under it); returns its SHA-256."""
    path = build_index(root, read_chain(root).reviews)
    page = path.read_text(encoding="utf-8")
    first, end = page.find(ROW), page.rfind("</table>")
    if first < 0:
        return sha256_of(page.encode())
    rows = sorted(page[first:end].splitlines(keepends=True), key=row_key, reverse=True)
    data = (page[:first] + "".join(rows) + page[end:]).encode()
    if data != page.encode():
        write_atomically(path, data)
    return sha256_of(data)


def _rows(folder: Path) -> list[tuple[Path, RunRecord]]:
    """The runs whose rows the index gets when `folder` is logged: a fleet's environments,
    sealed without their rows, come in with the fleet."""
    record = load_record(folder)
    members = [folder.parent / entry.run_folder for entry in record.fleet or [] if entry.run_folder]
    return [
        (member, load_record(member)) for member in members if (member / "run.json").is_file()
    ] + [(folder, record)]
