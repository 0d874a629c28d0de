"""A Playwright trace of a run, kept out of every sign-in: Playwright records typed values."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from automation.defaults import Keep


class Tracer:
    """Records from the sign-in on, pauses around a sign-in mid-run, keeps or drops the parts."""

    def __init__(self, folder: Path, setting: Keep, title: str) -> None:
        self.folder = folder
        self.setting = setting
        self.title = title
        self.recording = False
        self._parts: list[Path] = []

    def signed_in(self, page: Page) -> None:
        """From here on the trace may record: the sign-in, and its password, stay out of it."""
        if self.setting != "off" and not self.recording:
            page.context.tracing.start(title=self.title, screenshots=True, snapshots=True)
            self.recording = True

    def suspend(self, page: Page | None) -> None:
        """Stop recording before a sign-in in the middle of a run; signed_in() resumes.
        Chunks would still carry the sign-in, so each stretch is a trace of its own."""
        if not self.recording or page is None:
            return
        self.recording = False
        part = self.folder / f".trace-{len(self._parts) + 1}.zip.partial"
        with suppress(PlaywrightError):
            # Absolute: Playwright's driver, another process, writes the zip, and resolves a
            # relative path against its own working folder, not this process's.
            page.context.tracing.stop(path=part.absolute())
            self._parts.append(part)

    def group(self, page: Page | None, name: str | None) -> None:
        """Open (a name) or close (None) a step's group in the trace."""
        if not self.recording or page is None:
            return
        # After Ctrl-C the driver is gone: the interrupt matters, not the group.
        with suppress(PlaywrightError):
            if name is None:
                page.context.tracing.group_end()
            else:
                page.context.tracing.group(name)

    def stop(self, page: Page | None, keep: bool) -> list[Path]:
        """Write trace.zip (trace-2.zip, ... after a sign-in mid-run), or drop the trace;
        the files kept, for the run to record."""
        self.suspend(page)
        parts, self._parts = self._parts, []
        kept = []
        for number, part in enumerate(parts, start=1):
            if keep and part.exists():
                path = self.folder / ("trace.zip" if number == 1 else f"trace-{number}.zip")
                part.rename(path)
                kept.append(path)
            else:
                part.unlink(missing_ok=True)
        return kept
