"""Make the documentation's pictures again, from real runs of `sc-license` on sandboxes.

    uv run python docs/screenshots.py

It starts sandbox Service Centers in this process, runs the `sc-license` installed beside this
Python against them in a temporary folder (recordings and audit state included, removed at
the end), and writes into docs/:

- report.png: an install's report, reviewed, down to its steps (1400 px wide);
- fleet-report.png: a fleet install's summary over four environments, ending installed, rolled
  back, refused (a license ending earlier) and unchanged (1400 px wide, the whole page);
- report-pdf.png: pages 1 and 2 of the rolled-back environment's report printed with
  `audit report --pdf`, side by side;
- headed-fleet.png: a headed fleet of four installs tiled on a 1600x1000 screen, each window
  on its Licensing page while its backup downloads (the sandboxes hold the downloads back
  until the screen is grabbed).

Besides `uv sync` it needs: the Chromium that `sc-license setup` finds (the headless shell and
the full browser), Xvfb (the headed fleet's screen), pdftoppm (the PDF's pages) and the ffmpeg
of the video extra (imageio-ffmpeg, in the dev group: it grabs the screen, and writes each
picture in 256 colours, to keep the repository small). On Debian or Ubuntu:

    apt-get install --no-install-recommends xvfb poppler-utils

It takes two to three minutes on two busy cores.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Collection, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from pathlib import Path

import imageio_ffmpeg
from playwright.sync_api import Browser

from automation.browser.session import open_browser, start_playwright
from automation.config import LaunchOptions
from automation.inventory import password_variable
from automation.sandbox.app import SandboxConfig
from automation.sandbox.holds import wait_until_held
from automation.sandbox.licenses import issue_license, random_serial, render_license
from automation.sandbox.server import SandboxServer

DOCS = Path(__file__).resolve().parent
SC_LICENSE = Path(sysconfig.get_path("scripts")) / "sc-license"
PASSWORD = "screenshots-only"
# The fleets' environments, and the name each Service Center gives itself.
FLEET = {"prod-eu": "Production EU", "prod-us": "Production US", "test": "Test", "dev": "Dev"}
SCREEN = (1600, 1000)
WIDTH = 1400  # the reports'
MOST_BYTES = 400_000  # the most a picture may weigh in the repository
INSTALLED_END = date.today() + timedelta(days=365)  # the sandboxes' licenses end then
RENEWED_END = INSTALLED_END + timedelta(days=60)
CHANGE = ["--yes", "--change", "CHG-20417", "--reason", "Annual renewal of the subscription"]
OUT = "recordings"


def main() -> None:
    for tool in ("Xvfb", "pdftoppm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install xvfb poppler-utils (see the docstring)")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sc-license-screenshots-") as temporary:
        folder = Path(temporary)
        with start_playwright() as playwright, open_browser(playwright, LaunchOptions()) as used:
            browser = used[0]
            single_report(folder, browser)
            rolled_back = fleet_report(folder, browser)
            report_pdf(folder, rolled_back, browser)
        headed_fleet(folder)
    print(f"Done in {time.monotonic() - started:.0f} s.")


def single_report(folder: Path, browser: Browser) -> None:
    """docs/report.png: an install on one environment, reviewed; its report down to the steps."""
    with sandboxes({"production": "Production"}) as servers:
        server = servers["production"]
        renewed = issue_license(server.state.config.serial_number, end_date=RENEWED_END)
        (folder / "new.lic").write_bytes(render_license(renewed))
        where = ["--url", f"{server.url}/ServiceCenter", "--user", "admin"]
        sc_license(
            folder,
            ["install", *where, "--env-name", "production", "--license", "new.lic", *CHANGE],
            env={"SC_LICENSE_PASSWORD": PASSWORD},
        )
    run = newest(folder, "*-production-install")
    note = "Serial and end date checked against the order"
    sc_license(folder, ["audit", "review", run.name, "--verdict", "accepted", "--note", note])
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    page.goto((run / "report.html").as_uri())
    steps = page.get_by_role("heading", name="Steps").bounding_box()
    assert steps is not None, "the report has no Steps heading"
    top = page.screenshot(
        full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": steps["y"] - 8}
    )
    save(top, "report.png")
    page.close()


def fleet_report(folder: Path, browser: Browser) -> Path:
    """docs/fleet-report.png: a fleet install ending in four ways; the rolled-back run."""
    with sandboxes(FLEET, invalid_after_uploads=["prod-us"]) as servers:
        licenses = folder / "licenses"
        licenses.mkdir()
        for name in ("prod-eu", "prod-us"):
            renewed = issue_license(servers[name].state.config.serial_number, end_date=RENEWED_END)
            (licenses / f"{name}-renewal.lic").write_bytes(render_license(renewed))
        earlier = INSTALLED_END - timedelta(days=90)  # refused without --allow-earlier-end
        shorter = issue_license(servers["test"].state.config.serial_number, end_date=earlier)
        (licenses / "test-renewal.lic").write_bytes(render_license(shorter))
        installed = servers["dev"].state.installed_bytes  # the installed file again: unchanged
        assert installed is not None
        (licenses / "dev-current.lic").write_bytes(installed)
        sc_license(
            folder,
            ["install", "--all", "--licenses", "licenses", "--parallel", "2", *CHANGE],
            env=inventory(folder, servers),
            expect=4,  # the most severe ending: a rollback
        )
    page = browser.new_page(viewport={"width": WIDTH, "height": 900})
    page.goto((newest(folder, "*-fleet-install") / "report.html").as_uri())
    save(page.screenshot(full_page=True), "fleet-report.png")
    page.close()
    return newest(folder, "*-prod-us-install")


def report_pdf(folder: Path, run: Path, browser: Browser) -> None:
    """docs/report-pdf.png: pages 1 and 2 of a rolled-back run's report printed with --pdf,
    side by side, as a PDF viewer shows them."""
    sc_license(folder, ["audit", "report", run.name, "--pdf"])
    images = []
    for number in (1, 2):
        page_png = folder / f"page-{number}"  # pdftoppm adds .png
        pages = f"-f {number} -l {number} -singlefile".split()
        tool = ["pdftoppm", "-png", "-r", "80", *pages, str(run / "report.pdf"), str(page_png)]
        subprocess.run(tool, check=True)
        data = base64.b64encode(page_png.with_suffix(".png").read_bytes()).decode()
        images.append(
            f'<img style="box-shadow: 0 2px 8px #0008" src="data:image/png;base64,{data}">'
        )
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    page.set_content(
        '<body style="margin: 0"><div id="pages" style="display: inline-flex; gap: 24px; '
        f'padding: 24px; background: #525659">{"".join(images)}</div></body>'
    )
    save(page.locator("#pages").screenshot(), "report-pdf.png")
    page.close()


def headed_fleet(folder: Path) -> None:
    """docs/headed-fleet.png: four headed installs on a 1600x1000 screen of Xvfb's, grabbed
    while every window shows its Licensing page (each sandbox holds its backup meanwhile)."""
    with xvfb() as display, sandboxes(FLEET) as servers:
        licenses = folder / "headed-licenses"
        licenses.mkdir()
        for name, server in servers.items():
            renewed = issue_license(server.state.config.serial_number, end_date=RENEWED_END)
            (licenses / f"{name}.lic").write_bytes(render_license(renewed))
        holds = [server.state.faults.hold("LicenseBackup.aspx") for server in servers.values()]
        args = ["install", "--all", "--licenses", licenses.name, "--headed", "--parallel", "4"]
        # The first window waits for the last to come: more than the 15 s an action may take.
        args += ["--action-timeout", "300", "--yes", "--out", "headed-recordings"]
        env = environment(folder, inventory(folder, servers) | {"DISPLAY": display})
        quiet = subprocess.DEVNULL
        with subprocess.Popen(
            [str(SC_LICENSE), *args], cwd=folder, env=env, stdin=quiet, stdout=quiet, stderr=quiet
        ) as fleet:
            try:
                wait_until_held(holds, len(holds), timeout_s=300)
                time.sleep(2)  # for the last window to paint its page and badge
                screen = folder / "screen.png"
                grab = f"-f x11grab -draw_mouse 0 -video_size {SCREEN[0]}x{SCREEN[1]}".split()
                ffmpeg(*grab, "-i", display, "-frames:v", "1", str(screen))
                save(screen.read_bytes(), "headed-fleet.png")
            finally:
                for hold in holds:
                    hold.release()
                if fleet.wait(timeout=300) != 0:
                    sys.exit(f"the headed fleet ended with exit code {fleet.returncode}")


@contextmanager
def sandboxes(
    names: dict[str, str], invalid_after_uploads: Collection[str] = ()
) -> Iterator[dict[str, SandboxServer]]:
    """A sandbox per environment, named as given, each with a license for its serial installed
    (those in `invalid_after_uploads` show the next license uploaded as invalid); stopped after."""
    with ExitStack() as stack:
        servers = {}
        for name, calls_itself in names.items():
            serial = random_serial()
            config = SandboxConfig(
                serial_number=serial,
                password=PASSWORD,
                environment_name=calls_itself,
                license=issue_license(serial, end_date=INSTALLED_END),
                invalid_after_uploads=1 if name in invalid_after_uploads else 0,
            )
            servers[name] = SandboxServer(config).start()
            stack.callback(servers[name].stop)
        yield servers


def inventory(folder: Path, servers: dict[str, SandboxServer]) -> dict[str, str]:
    """environments.toml in `folder` for these sandboxes; the password variables it names."""
    lines = []
    for name, server in servers.items():
        lines += ["[[environment]]", f'name = "{name}"', f'url = "{server.url}/ServiceCenter"']
        lines += ['user = "admin"', ""]
    (folder / "environments.toml").write_text("\n".join(lines))
    return {password_variable(name): PASSWORD for name in servers}


def environment(folder: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without SC_LICENSE_*, with an audit state folder in the
    temporary folder (never the operator's), then `env`."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("SC_LICENSE_")}
    return kept | {"SC_LICENSE_STATE_DIR": str(folder / "state"), "COLUMNS": "100"} | (env or {})


def sc_license(
    folder: Path, args: list[str], env: dict[str, str] | None = None, expect: int = 0
) -> None:
    """Run `sc-license ARGS --out recordings` in `folder` as an operator would, without a
    terminal; stop, showing what it said, if it does not end with exit code `expect`."""
    done = subprocess.run(
        [str(SC_LICENSE), *args, "--out", OUT],
        cwd=folder,
        env=environment(folder, env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != expect:
        sys.exit(f"sc-license {' '.join(args)}: exit {done.returncode}\n{done.stdout}{done.stderr}")


def newest(folder: Path, pattern: str) -> Path:
    """The newest run folder of the recordings whose name matches `pattern`."""
    return max((folder / OUT).glob(pattern), key=lambda run: run.name)


@contextmanager
def xvfb() -> Iterator[str]:
    """A virtual screen of SCREEN's size on a free display, until the end; its name (":99")."""
    read, write = os.pipe()
    size = f"{SCREEN[0]}x{SCREEN[1]}x24"
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp", "-br"],
        pass_fds=[write],
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as said:
            number = said.readline().strip()  # written once it takes connections
        if not number:
            sys.exit("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def ffmpeg(*args: str) -> None:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y", *args], check=True)


def save(png: bytes, name: str) -> None:
    """Write docs/NAME in 256 colours (as the eye sees it, at half the size or less)."""
    path = DOCS / name
    full = path.with_name(f".{name}")
    full.write_bytes(png)
    palette = "split[a][b];[a]palettegen=stats_mode=single[p];[b][p]paletteuse=dither=none"
    ffmpeg("-i", str(full), "-vf", palette, str(path))
    full.unlink()
    size = path.stat().st_size
    print(f"docs/{name}: {size // 1000} KB")
    if size > MOST_BYTES:
        sys.exit(f"docs/{name} is larger than {MOST_BYTES // 1000} KB: make it smaller")


if __name__ == "__main__":
    main()
