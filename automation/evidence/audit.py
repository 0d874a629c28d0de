"""Sealing a finished run into the audit trail (its report, a line in the log, the index,
the head), and building a report again only for a run that still verifies."""

from __future__ import annotations

import os
from pathlib import Path

from automation.errors import EvidenceDoesNotVerify
from automation.evidence.chain import append_entry, read_chain
from automation.evidence.files import sha256_of
from automation.evidence.head import current_head, head_path, trail_lock, write_head
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
        problems = rebuild_problems(root, state, folder)
        if problems:
            raise EvidenceDoesNotVerify(
                f"{folder.name} does not verify; its report was not rebuilt.",
                problems,
                hint="Find out who changed the evidence and why; `sc-license audit verify` "
                "lists every problem. A report is built again only from a run that verifies.",
            )
        path = build_report(folder)
        _log(root, folder, state, "report rebuilt", index=True)
    return path


def _log(root: Path, folder: Path, state: Path | None, event: str, *, index: bool) -> None:
    """Append the run's line after the log's last, then have the head follow: a log found
    changed since the head was written is noted in the head for good, never re-anchored."""
    name = os.path.relpath(folder, root)
    chain = read_chain(root)
    head = current_head(state, root, chain, f"when {name} was logged ({event})") if state else None
    if state is not None:  # a state folder that cannot be written fails before the log moves
        head_path(state, root).parent.mkdir(parents=True, exist_ok=True)
    last = append_entry(root, folder, chain.last, event)
    page = build_index(root) if index else None
    if head is None or state is None:
        return
    head.lines, head.last_line_sha256 = chain.lines + 1, last
    head.open_runs.pop(name, None)
    if page is not None:
        head.index_sha256 = sha256_of(page.read_bytes())
    write_head(state, root, head)
