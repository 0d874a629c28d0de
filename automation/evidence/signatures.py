"""recordings/audit-head.sig.json, the audit heads signed there (oldest first), and what can be
checked of it without a key: each signature is numbered and holds the SHA-256 of the one before,
so none can be taken from among them unnoticed, and each names a line the log must still hold.
The head in the state folder notes the newest, so the newest cannot be taken either by whoever
cannot write the state folder."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from automation.evidence.anchors import head_problem
from automation.evidence.chain import GENESIS, Chain
from automation.evidence.files import sha256_of

SIGNATURES = "audit-head.sig.json"
UNCHAINED = {"sequence", "previous_sha256"}  # what signatures made before chaining lack


class HeadSignature(BaseModel):
    """One signed head: the log's length and last line, when, by which key, its place among
    the signatures and the SHA-256 of the one before, and the signature (base64) over the
    other fields as canonical JSON."""

    lines: int
    last_line_sha256: str
    signed_at: datetime
    signer: str
    public_key_sha256: str
    # None in signatures made before sc-license numbered and chained them.
    sequence: int | None = None  # 1 for the file's first
    previous_sha256: str | None = None  # the entry before's sha256(); GENESIS for the first
    signature: str = ""

    def payload(self) -> bytes:
        """What is signed: every other field; an older signature's, the fields it had then."""
        left_out = {"signature"} | (UNCHAINED if self.sequence is None else set())
        return _canonical(self.model_dump(mode="json", exclude=left_out))

    def sha256(self) -> str:
        """The SHA-256 of the whole entry, signature included: what the next one holds."""
        return sha256_of(_canonical(self.model_dump(mode="json")))

    def named(self, position: int) -> str:
        return (
            f"signature #{self.sequence or position} in {SIGNATURES} (by {self.signer} at "
            f"{self.signed_at:%Y-%m-%d %H:%M:%S} UTC)"
        )


class Signatures(BaseModel):
    """The file: every head signed there, oldest first."""

    signatures: list[HeadSignature] = Field(default_factory=list)


class DamagedSignatures(ValueError):
    """The signature file is there but is not one: nothing in it can be checked."""


def read_signatures(root: Path) -> Signatures | None:
    """The signatures kept in `root`; None if no file is there. DamagedSignatures if one is
    there that is no signature file: cut short, edited or overwritten."""
    try:
        data = (root / SIGNATURES).read_bytes()
    except FileNotFoundError:
        return None
    try:
        return Signatures.model_validate_json(data)
    except ValidationError:
        raise DamagedSignatures(
            f"{SIGNATURES} is damaged (it is not the file `audit sign` writes: cut short, edited "
            "or overwritten): the signatures it held cannot be checked"
        ) from None


def held_problem(chain: Chain, signed: HeadSignature, position: int) -> str | None:
    """Why the log no longer holds the head `signed` names; None if it does."""
    found = head_problem(chain, signed.lines, signed.last_line_sha256, signed.named(position))
    return f"{found} (or {SIGNATURES} comes from other recordings)" if found else None


def file_problems(
    root: Path, chain: Chain, noted: tuple[int, str | None] | None
) -> tuple[list[str], list[str]]:
    """What is wrong with the signature file with no key needed, and what it cannot prove:
    it reads, its signatures follow one another, the log holds each head they name, and it
    still holds the newest signature `noted` (how many, and the newest's SHA-256) by the head
    in the state folder; None when no head was kept."""
    try:
        kept = read_signatures(root)
    except DamagedSignatures as damaged:
        return [str(damaged)], []
    entries = kept.signatures if kept else []
    problems = _against_the_head(kept, noted)
    previous, chained, older = GENESIS, False, 0
    for position, signed in enumerate(entries, start=1):
        if signed.sequence is None:
            older += 1
            if chained:
                problems.append(
                    f"{signed.named(position)} is not numbered, though one before it is"
                )
        elif signed.sequence != position or signed.previous_sha256 != previous:
            problems.append(
                f"{signed.named(position)} does not follow the entry before it: the one before it "
                "was removed or changed (signatures are chained, so none can be taken out)"
            )
        chained = chained or signed.sequence is not None
        previous = signed.sha256()
        held = held_problem(chain, signed, position)
        problems += [held] if held else []
    notes = []
    if older:
        notes.append(
            f"{older} signature(s) in {SIGNATURES} were made before sc-license numbered and "
            "chained its signatures and noted the newest in the head: one of them removed would "
            "leave no trace (the next `audit sign` chains on from them)"
        )
    return problems, notes


def _against_the_head(kept: Signatures | None, noted: tuple[int, str | None] | None) -> list[str]:
    """The file still ends with the signature the head noted last, and holds none after it."""
    if noted is None:
        return []  # no head was kept: verify says so
    count, newest = noted
    entries = kept.signatures if kept else []
    if kept is None and count:
        return [f"{SIGNATURES} is gone, but the head notes {count} signature(s): it was deleted"]
    # Where the newest noted is (one taken from before it is the chain's to show).
    after = next((n for n, signed in enumerate(entries, 1) if signed.sha256() == newest), None)
    if count and after is None:
        return [
            f"{SIGNATURES} holds {len(entries)} signature(s), but not #{count}, the newest the "
            "head notes: it was removed, or the file was replaced or rewritten"
        ]
    later = [signed for signed in entries[after or 0 :] if signed.sequence is not None]
    if later:
        since = f" after #{count}" if count else ""
        return [
            f"{SIGNATURES} holds {len(later)} signature(s){since} that the head does not note: "
            "copied here from other recordings, added by hand, or `audit sign` stopped before "
            "noting it"
        ]
    return []


def _canonical(fields: dict[str, object]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
