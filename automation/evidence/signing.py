"""Signing the audit head with an Ed25519 key the operator holds, and checking those
signatures: whoever can rewrite the recordings cannot sign the rewritten log without the key.
`cryptography` is imported only here, and only when a key is used."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from automation.errors import BadInput, EvidenceDoesNotVerify
from automation.evidence.chain import GENESIS, read_chain
from automation.evidence.files import sha256_of, write_atomically
from automation.evidence.head import current_head, trail_lock, write_head
from automation.evidence.signatures import (
    SIGNATURES,
    DamagedSignatures,
    HeadSignature,
    Signatures,
    held_problem,
    read_signatures,
)
from automation.evidence.verify import verify
from automation.installation import add_extra

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


@dataclass
class KeyCheck:
    """What the signatures by one key show: the problems, how many there are, the newest
    that is genuine and whose head the log holds (its number and line), and the runs whose
    last line comes after that head, which no signature by the key vouches for."""

    problems: list[str] = field(default_factory=list)
    checked: int = 0
    newest: tuple[int, int] | None = None  # (its number, the line it names)
    unsigned: dict[str, int] = field(default_factory=dict)  # run: the number of its last line


def keygen(prefix: Path) -> tuple[Path, Path]:
    """A new key pair: PREFIX.key (private, readable by its owner only) and PREFIX.pub."""
    _need_cryptography()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private, public = prefix.with_name(prefix.name + ".key"), prefix.with_name(prefix.name + ".pub")
    for path in (private, public):
        if path.exists():
            raise BadInput(f"{path} exists already; no key was made.", hint="Give a new prefix.")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(private_pem)
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


def sign_head(root: Path, state: Path, key_file: Path, signer: str) -> HeadSignature:
    """Sign where the log of `root` ends now, and add the signature to its signature file;
    only for recordings that verify, so a signature never vouches for evidence that changed."""
    _need_cryptography()
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(_read(key_file), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise BadInput(
            f"{key_file} is not an unencrypted Ed25519 private key in PEM.",
            hint="Make one with `sc-license audit keygen PREFIX` and give PREFIX.key.",
        )
    if not root.is_dir():
        raise BadInput(
            f"{root} is not a folder of run evidence: there is no audit head to sign.",
            hint="Give --out the folder the runs were recorded in.",
        )
    with trail_lock(root):  # no run is sealed between the check and the signature
        problems = verify(root, state, locked=True).problems
        if problems:
            raise EvidenceDoesNotVerify(
                f"The recordings in {root} do not verify; their audit head was not signed.",
                problems,
                hint="Find out who changed the evidence and why; `sc-license audit verify` "
                "lists every problem. Only recordings that verify are signed.",
            )
        chain = read_chain(root)
        kept = read_signatures(root) or Signatures()  # it verified: not damaged
        signed = HeadSignature(
            lines=chain.lines,
            last_line_sha256=chain.last,
            signed_at=datetime.now(UTC),
            signer=signer,
            public_key_sha256=_fingerprint(key.public_key()),
            sequence=len(kept.signatures) + 1,
            previous_sha256=kept.signatures[-1].sha256() if kept.signatures else GENESIS,
        )
        signed.signature = base64.b64encode(key.sign(signed.payload())).decode()
        kept.signatures.append(signed)
        write_atomically(root / SIGNATURES, kept.model_dump_json(indent=2).encode() + b"\n")
        head = current_head(state, root, chain, "when the head was signed")
        head.signatures, head.last_signature_sha256 = len(kept.signatures), signed.sha256()
        write_head(state, root, head)
    return signed


def signature_problems(root: Path, key_file: Path) -> KeyCheck:
    """Every signature made with the key whose public half is `key_file` must be genuine and
    name a line the log still holds; at least one must be there. That the signatures follow
    one another is checked by `verify`, with or without a key."""
    _need_cryptography()
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(_read(key_file))
    except ValueError:
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise BadInput(
            f"{key_file} is not an Ed25519 public key in PEM.",
            hint="Give the PREFIX.pub that `sc-license audit keygen PREFIX` made.",
        )
    fingerprint = _fingerprint(key)
    try:
        kept = read_signatures(root)
    except DamagedSignatures as damaged:
        return KeyCheck([str(damaged)])
    if kept is None:
        return KeyCheck(
            [f"{root / SIGNATURES} does not exist: no head was signed here, or it was deleted"]
        )
    mine = [(n, s) for n, s in enumerate(kept.signatures, 1) if s.public_key_sha256 == fingerprint]
    if not mine:
        return KeyCheck(
            [
                f"{root / SIGNATURES} holds no signature by the key {key_file} (SHA-256 "
                f"{fingerprint}): the head was never signed with it, or its signatures were "
                "removed"
            ]
        )
    chain = read_chain(root)
    check = KeyCheck(checked=len(mine))
    for position, signed in mine:
        try:
            key.verify(base64.b64decode(signed.signature), signed.payload())
        except (InvalidSignature, ValueError):
            check.problems.append(f"{signed.named(position)} is not genuine (forged)")
            continue
        held = held_problem(chain, signed, position)
        if held:
            check.problems.append(held)  # the same words as verify's: said once
        elif check.newest is None or signed.lines >= check.newest[1]:
            check.newest = (signed.sequence or position, signed.lines)
    after = check.newest[1] if check.newest else 0
    check.unsigned = {run: line for run, line in chain.numbers.items() if line > after}
    return check


def _fingerprint(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256_of(raw)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise BadInput(
            f"The key {path} cannot be read ({error.strerror}).",
            hint="Give the path of the key file.",
        ) from None


def _need_cryptography() -> None:
    try:
        import cryptography  # noqa: F401
    except ImportError:
        raise BadInput(
            "Signing the audit head needs the Python package 'cryptography', which is not "
            "installed.",
            hint=f"Install the signing extra ({add_extra('signing')}), then run the command again.",
        ) from None
