"""Signing the audit head with an Ed25519 key the operator holds, and checking those
signatures: whoever can rewrite the recordings cannot sign the rewritten log without the key.
`cryptography` is imported only here, and only when a key is used."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, ValidationError

from automation.errors import BadInput, EvidenceDoesNotVerify
from automation.evidence.anchors import head_problem
from automation.evidence.chain import read_chain
from automation.evidence.files import sha256_of, write_atomically
from automation.evidence.verify import verify

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SIGNATURES = "audit-head.sig.json"


class HeadSignature(BaseModel):
    """One signed head: the log's length and last line, when, by which key, and the signature
    (base64) over the other fields as canonical JSON."""

    lines: int
    last_line_sha256: str
    signed_at: datetime
    signer: str
    public_key_sha256: str
    signature: str = ""

    def payload(self) -> bytes:
        fields = self.model_dump(mode="json", exclude={"signature"})
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


class Signatures(BaseModel):
    """recordings/audit-head.sig.json: every head signed there, oldest first."""

    signatures: list[HeadSignature] = Field(default_factory=list)


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
    problems = verify(root, state).problems
    if problems:
        raise EvidenceDoesNotVerify(
            f"The recordings in {root} do not verify; their audit head was not signed.",
            problems,
            hint="Find out who changed the evidence and why; `sc-license audit verify` "
            "lists every problem. Only recordings that verify are signed.",
        )
    chain = read_chain(root)
    signed = HeadSignature(
        lines=chain.lines,
        last_line_sha256=chain.last,
        signed_at=datetime.now(UTC),
        signer=signer,
        public_key_sha256=_fingerprint(key.public_key()),
    )
    signed.signature = base64.b64encode(key.sign(signed.payload())).decode()
    kept = read_signatures(root) or Signatures()
    kept.signatures.append(signed)
    write_atomically(root / SIGNATURES, kept.model_dump_json(indent=2).encode() + b"\n")
    return signed


def read_signatures(root: Path) -> Signatures | None:
    path = root / SIGNATURES
    if not path.is_file():
        return None
    try:
        return Signatures.model_validate_json(path.read_bytes())
    except ValidationError:
        return Signatures()  # unreadable: checked as holding no signature


def signature_problems(root: Path, key_file: Path) -> tuple[list[str], int]:
    """Every signature made with the key whose public half is `key_file` must be genuine and
    name a line the log still holds; at least one must be there. Returns the problems and how
    many signatures were checked."""
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
    kept = read_signatures(root)
    mine = [s for s in kept.signatures if s.public_key_sha256 == fingerprint] if kept else []
    if not mine:
        return [
            f"{root / SIGNATURES} holds no signature by the key {key_file} (SHA-256 "
            f"{fingerprint}): the head was never signed with it, or the signatures were removed"
        ], 0
    chain = read_chain(root)
    problems = []
    for signed in mine:
        when = f"the head signed by {signed.signer} at {signed.signed_at:%Y-%m-%d %H:%M:%S} UTC"
        try:
            key.verify(base64.b64decode(signed.signature), signed.payload())
        except (InvalidSignature, ValueError):
            problems.append(f"{SIGNATURES}: the signature of {when} is not genuine (forged)")
            continue
        problem = head_problem(chain, signed.lines, signed.last_line_sha256, when)
        if problem:
            problems.append(problem)
    return problems, len(mine)


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
            hint="Install the signing extra (`uv tool install 'sc-license[signing]'`, or `pip "
            "install 'sc-license[signing]'`; in the project, `uv sync`), then run the command "
            "again.",
        ) from None
