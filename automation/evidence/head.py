"""The head of the audit trail, kept outside the recordings folder (in a per-user state
folder): where the log ends, the index's hash, the runs under way, and how many signatures
of it were made. Whoever can write only the recordings cannot make the log, the index, the
runs or the signatures agree with it again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock
from pydantic import BaseModel, Field, ValidationError

from automation.evidence.chain import GENESIS, LOG, Chain, LogEnd, read_end
from automation.evidence.files import sha256_of, write_atomically
from automation.evidence.records import RunProcess
from automation.evidence.report import INDEX


class OpenRun(BaseModel):
    """A run under way: noted when it starts, dropped when it is sealed."""

    url: str
    process: RunProcess
    reported_by: str | None = None  # the later run on its environment that said it was cut off


class Head(BaseModel):
    """What the log and the index of one recordings folder must still be."""

    root: str  # the recordings folder, for whoever opens this file
    lines: int = 0
    last_line_sha256: str = GENESIS
    # The log's size at that line: with it, a run finds the log's end from its last line
    # alone. Heads kept before have none, and the log's lines are then counted once.
    log_bytes: int | None = None
    index_sha256: str | None = None
    open_runs: dict[str, OpenRun] = Field(default_factory=dict)
    # How the log was found changed when a run started or was sealed: kept for good.
    findings: list[str] = Field(default_factory=list)
    # How many signatures `audit sign` left in the signature file, and the newest's SHA-256:
    # removing it, or replacing the file, is seen by whoever cannot write this folder.
    # Heads kept before signatures were chained note none.
    signatures: int = 0
    last_signature_sha256: str | None = None
    updated_at: datetime | None = None

    def mismatch(self, chain: Chain | LogEnd) -> str | None:
        """How the log as it is differs from where this head says it ends."""
        if chain.lines < self.lines:
            return (
                f"{LOG} has {chain.lines} line(s) where its head has {self.lines}: "
                f"{self.lines - chain.lines} line(s) were removed from its end"
            )
        if chain.lines > self.lines:
            return (
                f"{LOG} has {chain.lines} line(s) where its head has {self.lines}: "
                f"{chain.lines - self.lines} line(s) were added to it by hand"
            )
        if chain.last != self.last_line_sha256:
            return (
                f"{LOG} does not end with the line its head holds: its lines were rewritten "
                "(the chain recomputed)"
            )
        return None

    def follow(self, chain: Chain | LogEnd, moment: str) -> None:
        """Take the log as it is as the new end; a difference is noted for good first."""
        mismatch = self.mismatch(chain)
        if mismatch:
            self.findings.append(f"{moment}, {mismatch}")
        self.ends_at(chain)

    def ends_at(self, end: Chain | LogEnd) -> None:
        """The log now ends there."""
        self.lines, self.last_line_sha256, self.log_bytes = end.lines, end.last, end.size

    def end(self) -> LogEnd | None:
        """Where this head says the log ends, if it knows the log's size there."""
        if self.log_bytes is None:
            return None
        return LogEnd(self.lines, self.last_line_sha256, self.log_bytes)


def head_path(state: Path, root: Path) -> Path:
    """One head per recordings folder, named for its resolved path."""
    return state / "heads" / f"{sha256_of(str(root.resolve()).encode())}.json"


def read_head(state: Path, root: Path) -> Head | None:
    """The head kept for `root`, or None if none was; ValueError if it cannot be read."""
    path = head_path(state, root)
    try:
        return Head.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError) as error:
        raise ValueError(f"its head {path} cannot be read ({type(error).__name__})") from None


def head_at_end(state: Path, root: Path, moment: str) -> tuple[Head, LogEnd]:
    """The head made to follow the log, and the log's end, read from its end only: what a run
    needs when it starts or is sealed, whatever the length of the log."""
    try:
        kept = read_head(state, root)
    except ValueError:
        kept = None  # current_head notes why
    end = read_end(root, kept.end() if kept else None)
    return current_head(state, root, end, moment), end


def current_head(state: Path, root: Path, chain: Chain | LogEnd, moment: str) -> Head:
    """The head, made to follow the log as it is. With none kept yet (recordings from before
    heads were), it starts from the log and index as they are: trust on first use."""
    try:
        head = read_head(state, root)
    except ValueError as error:
        fresh = Head(root=str(root.resolve()))
        fresh.ends_at(chain)
        fresh.findings.append(f"{moment}, {error}: a new head was started from the log as it was")
        return fresh
    if head is None:
        index = root / INDEX
        first = Head(
            root=str(root.resolve()),
            index_sha256=sha256_of(index.read_bytes()) if index.is_file() else None,
        )
        first.ends_at(chain)
        return first
    head.follow(chain, moment)
    return head


def write_head(state: Path, root: Path, head: Head) -> None:
    path = head_path(state, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    head.updated_at = datetime.now(UTC)
    write_atomically(path, head.model_dump_json(indent=2).encode() + b"\n")


def trail_lock(root: Path) -> FileLock:
    """The lock that keeps the log, the index and the head in step: one writer at a time,
    and a verify never sees a run half sealed."""
    (root / ".locks").mkdir(exist_ok=True)
    return FileLock(root / ".locks" / f"{LOG}.lock")
