"""The audit head as an operator keeps it elsewhere (printed after each run, signed): the log's
line count and its last line's SHA-256, and whether the log still holds that line unchanged."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from automation.errors import BadInput
from automation.evidence.chain import GENESIS, LOG, Chain, read_end


class AuditHead(BaseModel):
    """Where the log ends: how many lines, and the SHA-256 of the last (all zeros for none)."""

    lines: int
    sha256: str


def audit_head(root: Path) -> AuditHead | None:
    """Where the log of `root` ends now; None if it cannot be read (the run said why)."""
    try:
        end = read_end(root)
    except OSError:
        return None
    return AuditHead(lines=end.lines, sha256=end.last)


def parse_head(text: str) -> tuple[int | None, str]:
    """`SHA256` or `LINES:SHA256`, as `audit verify --head` takes it."""
    found = re.fullmatch(r"(?:(\d+):)?([0-9a-fA-F]{64})", text.strip())
    if found is None:
        raise BadInput(
            f"{text!r} is not an audit head.",
            hint="Give the SHA-256 printed as the audit head after a run, or LINES:SHA256.",
        )
    lines = int(found[1]) if found[1] else None
    return lines, found[2].lower()


def head_problem(chain: Chain, lines: int | None, sha256: str, source: str) -> str | None:
    """Why the log no longer holds the line `source` (a head noted or signed) names, with every
    line up to it chained to it; None if it does."""
    if lines is None and sha256 == GENESIS:
        lines = 0  # the head of a log with no lines yet
    if lines is None:
        lines = chain.hashes.index(sha256) + 1 if sha256 in chain.hashes else None
        if lines is None:
            return (
                f"{LOG} has no line with SHA-256 {sha256} ({source}): the log was rewritten "
                "(its chain recomputed) or cut short since that head"
            )
    elif lines > chain.lines:
        return (
            f"{LOG} has {chain.lines} line(s), but {source} names line {lines}: lines were "
            "removed from it since that head"
        )
    elif ([GENESIS, *chain.hashes])[lines] != sha256:
        return (
            f"{LOG} line {lines} is not the line {source} names (its SHA-256 differs): the log "
            "was rewritten (its chain recomputed) since that head"
        )
    broken = [number for number in chain.broken if number <= lines]
    if broken:
        return f"{LOG} line {broken[0]} no longer chains to the line {source} names"
    return None
