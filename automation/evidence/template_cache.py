"""The report's templates, compiled once per user and kept between runs (in Jinja's own
private folder under the temporary directory): a run's report and index then load in about a
millisecond instead of compiling in about 80. A cache that cannot be used is no cache: the
templates are compiled as before, and the report is written all the same."""

from __future__ import annotations

from contextlib import suppress

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file cache, which never stops a report being written."""

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        # Compiled code depends on the environment's options too (a finalize function is
        # called in it, or not), which Jinja's own checksum of the source leaves out: code
        # compiled under other options is compiled again.
        return super().get_bucket(environment, name, filename, source + _options(environment))

    def load_bytecode(self, bucket: Bucket) -> None:
        # A file cut short or garbled (a full disk, a crash) fails to unpickle or unmarshal in
        # many ways; each is only a template to compile again.
        with suppress(Exception):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def _options(environment: Environment) -> str:
    """The options a template's compiled code depends on, besides its source."""
    finalize = getattr(environment.finalize, "__qualname__", None)
    whitespace = (environment.trim_blocks, environment.lstrip_blocks)
    return f"\n{{# compiled with finalize={finalize} whitespace={whitespace} #}}"


def template_cache() -> BytecodeCache | None:
    """The cache, or None where no private folder can be had for it."""
    try:
        return TemplateCache()
    except (OSError, RuntimeError):  # Jinja refuses a folder another user could write to
        return None
