"""`sc-license audit review | sign | keygen`: a reviewer's sign-off on a run, and the audit
head signed with a key the operator holds."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from automation.cli.audit import audit_app, run_folder
from automation.cli.consoles import console, errors
from automation.cli.display import expected_errors
from automation.cli.literal import markup
from automation.cli.options import Out
from automation.cli.settings import MAX_REASON, plain_note
from automation.cli.state import state_folder
from automation.defaults import OUT
from automation.errors import BadInput, EvidenceDoesNotVerify
from automation.evidence.audit import os_account, review_run
from automation.evidence.signatures import SIGNATURES
from automation.evidence.signing import keygen, sign_head


@contextmanager
def _explained() -> Iterator[None]:
    """An expected failure as a message and exit code; evidence that does not verify, with
    each of its problems first."""
    with expected_errors():
        try:
            yield
        except EvidenceDoesNotVerify as error:
            for problem in error.problems:
                errors.print(markup("[red]FAILED[/] {}", problem))
            raise


class Verdict(StrEnum):
    accepted = "accepted"
    rejected = "rejected"


@audit_app.command()
def review(
    run: Annotated[str, typer.Argument(help="Run folder.")],
    verdict: Annotated[Verdict, typer.Option(help="What the reviewer concluded.")],
    note: Annotated[str | None, typer.Option(help="Why (required to reject).")] = None,
    out: Out = OUT,
) -> None:
    """Record that you reviewed a run and accepted or rejected it: a line of the audit log
    (you, as the OS account; the time; the run's files as reviewed) that its report and the
    index show. Only a sealed run that verifies is reviewed."""
    with _explained():
        kept = plain_note("--note", note, MAX_REASON) or ""  # plain text, as --reason is
        folder = run_folder(run, out)
        done = review_run(folder.parent, folder, state_folder(), verdict.value, kept)
    colour = "green" if done.verdict == "accepted" else "red"
    console.print(
        markup(
            f"Review of {{}}: [{colour}]{{}}[/] by {{}} (the audit log records it)",
            folder.name,
            done.verdict,
            done.reviewer,
        )
    )
    console.print(markup("Report: {}", folder / "report.html"))


@audit_app.command()
def sign(
    key: Annotated[Path, typer.Option(help="Your Ed25519 private key (PEM), e.g. PREFIX.key.")],
    out: Out = OUT,
) -> None:
    """Sign where the audit log ends now with your key, chained to the signature before; `audit
    verify --key PREFIX.pub` then fails on a log rewritten up to that line, even one whose
    chain was recomputed, or a signature taken from among them, and names the runs logged
    after the newest as not signed. Note the signature's number elsewhere: only that shows
    the newest removed by whoever can write the state folder too."""
    with _explained():
        signed = sign_head(out, state_folder(), key, os_account())
    console.print(
        markup(
            "Signed the audit head: signature #{}, {} lines, sha256 {} (in {})",
            signed.sequence,
            signed.lines,
            signed.last_line_sha256,
            out / SIGNATURES,
        )
    )


@audit_app.command("keygen")
def keygen_(
    prefix: Annotated[Path, typer.Argument(help="Where to write PREFIX.key and PREFIX.pub.")],
) -> None:
    """Make an Ed25519 key pair for `audit sign`: PREFIX.key (only you can read it; keep it
    off the machine that holds the recordings if you can) and PREFIX.pub (give it to
    auditors)."""
    with expected_errors():
        private, public = _new_keys(prefix)
    console.print(markup("Private key: {} (mode 0600)\nPublic key: {}", private, public))
    errors.print("[yellow]Keep the private key safe:[/] whoever holds it can sign a head.")


def _new_keys(prefix: Path) -> tuple[Path, Path]:
    """A key pair at `prefix`, in its folder, made first if it is not there yet (~/keys/ops);
    a folder that cannot be made or written to is a refusal that says why."""
    try:
        prefix.parent.mkdir(parents=True, exist_ok=True)
        return keygen(prefix)
    except OSError as error:
        folder = prefix.parent
        why = f"{folder} is not a folder" if folder.is_file() else error.strerror or error
        raise BadInput(
            f"No key was made at {prefix}: {why}.",
            hint="Give a prefix in a folder this user can write to, e.g. ~/keys/ops.",
        ) from None
