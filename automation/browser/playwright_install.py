"""`playwright install`, told in one line: Playwright retries a failed download five times and
prints each attempt's network stack trace; the operator needs what failed and why."""

from __future__ import annotations

import re
import subprocess
import sys

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WHAT = re.compile(r"Failed to download (.+?), caused by")
# Playwright's own summaries of a failure, which say nothing about its cause.
NOT_A_REASON = ("Download failure", "Failed to download", "Failed to install")


def playwright_install(*targets: str) -> str | None:
    """Run `playwright install TARGETS` with this Python's Playwright; None when it worked,
    else one line: "could not download WHAT: REASON"."""
    done = subprocess.run(
        [sys.executable, "-m", "playwright", "install", *targets],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return None
    return failure_line(done.stdout + done.stderr, " ".join(targets))


def failure_line(output: str, targets: str) -> str:
    """The last meaningful line of a failed `playwright install`'s output."""
    text = ANSI.sub("", output)
    named = WHAT.search(text)
    what = named.group(1) if named else targets
    reasons = [
        line.strip().removeprefix("Error: ")
        for line in text.splitlines()
        if line.strip().startswith("Error: ")
        and not line.strip().removeprefix("Error: ").startswith(NOT_A_REASON)
    ]
    if reasons:
        reason = reasons[-1].split(" body '")[0]  # a server's error page is not the reason
    else:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        reason = lines[-1] if lines else "no output"
    return f"could not download {what}: {reason}"
