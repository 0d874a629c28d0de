"""Sealing a finished run into the audit trail (its report, a line in the log, the index,
the head), and building a report again, or reviewing a run, only for a run that verifies."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from automation.errors import BadInput, EvidenceDoesNotVerify, Refused
from automation.evidence.chain import append_entry, read_chain
from automation.evidence.files import sha256_of
from automation.evidence.head import current_head, head_path, trail_lock, write_head
from automation.evidence.records import Review, load_record
from automation.evidence.report import build_index, build_report
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
        _log(root, folder, state, "report rebuilt", index=True)
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
        _log(root, folder, state, "reviewed", index=True, review=review)
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
) -> None:
    """Append the run's line after the log's last, then have the head follow: a log found
    changed since the head was written is noted in the head for good, never re-anchored."""
    name = os.path.relpath(folder, root)
    chain = read_chain(root)
    head = current_head(state, root, chain, f"when {name} was logged ({event})") if state else None
    if state is not None:  # a state folder that cannot be written fails before the log moves
        head_path(state, root).parent.mkdir(parents=True, exist_ok=True)
    last = append_entry(root, folder, chain.last, event, review)
    if review is not None:
        chain.reviews.setdefault(name, []).append(review)
    page = build_index(root, chain.reviews) if index else None
    if head is None or state is None:
        return
    head.lines, head.last_line_sha256 = chain.lines + 1, last
    head.open_runs.pop(name, None)
    if page is not None:
        head.index_sha256 = sha256_of(page.read_bytes())
    write_head(state, root, head)
