"""The ffmpeg Playwright records videos with: where Playwright looks for it, and putting one
there the way Playwright's own install does, so that its next install keeps it.

Playwright, at every `playwright install`, removes from its browsers folder each folder that
no installed Playwright (a file in `.links` naming its package) lists in its browsers.json,
or that lacks the INSTALLATION_COMPLETE marker its downloads leave."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import playwright

from automation.browser.playwright_install import playwright_install
from automation.errors import BadInput
from automation.installation import add_extra, this_command

MARKER = "INSTALLATION_COMPLETE"
# Playwright encodes with `-c:v vp8`: ffmpeg's libvpx encoder.
VP8_ENCODER = re.compile(r"^\s*V\S*\s+libvpx\s", re.MULTILINE)


def package_folder() -> Path:
    """The Playwright driver package: its browsers.json says which ffmpeg it wants."""
    return (Path(playwright.__file__).parent / "driver" / "package").resolve()


def browsers_folder() -> Path:
    """Where Playwright keeps browsers and ffmpeg, by its own rules."""
    given = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if given == "0":
        return package_folder() / ".local-browsers"
    if given:
        return Path(given).absolute()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else Path.home() / "AppData" / "Local") / "ms-playwright"
    cache = os.environ.get("XDG_CACHE_HOME")
    return (Path(cache) if cache else Path.home() / ".cache") / "ms-playwright"


def playwright_ffmpeg_path() -> Path:
    """Where Playwright looks for the ffmpeg it records videos with."""
    browsers = json.loads((package_folder() / "browsers.json").read_text(encoding="utf-8"))
    revision = next(b["revision"] for b in browsers["browsers"] if b["name"] == "ffmpeg")
    name = {"darwin": "ffmpeg-mac", "win32": "ffmpeg-win64.exe"}.get(sys.platform, "ffmpeg-linux")
    return browsers_folder() / f"ffmpeg-{revision}" / name


def no_ffmpeg_hint() -> str:
    """What to do when Playwright has no ffmpeg, in the words of how this copy was installed."""
    setup = this_command("setup")
    return (
        f"Run `{setup}`: it fetches Playwright's ffmpeg, or puts in place the one the video "
        f"extra brings ({add_extra('video')}) or an ffmpeg on the PATH that encodes VP8. Or "
        "leave out --video."
    )


def require_ffmpeg() -> None:
    """Refuse `--video` before anything starts when Playwright has no ffmpeg to record with."""
    if not playwright_ffmpeg_path().is_file():
        raise BadInput(
            "--video needs ffmpeg, and Playwright has none on this machine.", hint=no_ffmpeg_hint()
        )


def ensure_ffmpeg(say: Callable[[str], None]) -> Path | None:
    """Video needs Playwright's ffmpeg: keep it if there, else download it (saying why that
    failed, if it did: a proxy, a blocked address), else put in place one this machine has
    (the video extra's, or one on the PATH); None if there is none."""
    target = playwright_ffmpeg_path()
    if target.is_file():
        # One an earlier setup left unmarked, which Playwright would remove; in a folder this
        # user cannot write in, Playwright's installs cannot remove it either.
        with contextlib.suppress(OSError):
            mark_installed(target)
        say(f"ffmpeg for video: {target}")
        return target
    say("No ffmpeg for video recording; trying `playwright install ffmpeg` ...")
    failed = playwright_install("ffmpeg")
    if target.is_file():
        say(f"ffmpeg for video: {target} (downloaded by Playwright)")
        return target
    say(f"Playwright {failed or 'installed no ffmpeg, and said nothing about why'}")
    found = ffmpeg_elsewhere()
    if found is None:
        return None
    ffmpeg, what = found
    put_in_place(ffmpeg)
    say(f"ffmpeg for video: {target} ({what}, {ffmpeg})")
    return target


def ffmpeg_elsewhere() -> tuple[Path, str] | None:
    """An ffmpeg already on this machine that Playwright can record with, and what it is:
    the video extra's (imageio-ffmpeg), else one on the PATH that encodes VP8."""
    try:
        import imageio_ffmpeg
    except ImportError:
        pass
    else:
        return Path(imageio_ffmpeg.get_ffmpeg_exe()), "the imageio-ffmpeg package's ffmpeg"
    found = shutil.which("ffmpeg")
    if found and encodes_vp8(Path(found)):
        return Path(found), "the ffmpeg on the PATH"
    return None


def encodes_vp8(ffmpeg: Path) -> bool:
    try:
        listed = subprocess.run(
            [str(ffmpeg), "-hide_banner", "-encoders"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except OSError:
        return False
    return VP8_ENCODER.search(listed.stdout) is not None


def put_in_place(ffmpeg: Path) -> Path:
    """Give Playwright `ffmpeg` where it looks, as its own install would leave it."""
    target = playwright_ffmpeg_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # e.g. a dangling link left by a removed environment
    try:
        # A hard link costs no room and outlives the environment it came from; across file
        # systems, a copy.
        os.link(ffmpeg, target)
    except OSError:
        shutil.copy2(ffmpeg, target)
    return mark_installed(target)


def mark_installed(target: Path) -> Path:
    """Write what Playwright counts as installed: the folder's marker, and the link naming
    the package that lists it (Playwright writes that link too, at each install)."""
    (target.parent / MARKER).touch()
    links = browsers_folder() / ".links"
    links.mkdir(parents=True, exist_ok=True)
    package = str(package_folder())
    (links / hashlib.sha1(package.encode(), usedforsecurity=False).hexdigest()).write_text(
        package, encoding="utf-8"
    )
    return target
