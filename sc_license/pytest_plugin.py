"""sc-license's pytest plugin: license checks inside the pytest-playwright suites teams already
run. Loaded by its entry point (pytest11) wherever sc-license is installed, and inert until a
test uses one of its fixtures or a run gives one of its options: this module imports nothing
of the tool until then (sc_license/options.py is all an unrelated run loads).

Options (group "sc-license"; each but --sc-allow-changes also an ini key): which Service
Centers (--sc-inventory with --sc-env/--sc-group, --sc-url with --sc-user, or --sc-sandbox),
--sc-profile, --sc-out for the run folders, --sc-allow-changes and --sc-change for changes.
Passwords come from the CLI's variables, never from an option.

Fixtures: sc_environment (one test per selected environment, named after it), service_center
and licensing_page (page objects on pytest-playwright's `page`, read-only unless changes are
allowed), installed_license (read once per environment per session through the CLI's runner,
with its run folder), sc_install, sc_sandbox and sc_sandbox_options. See docs/pytest-plugin.md.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from sc_license.options import PluginOptions, add_options, read_options

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from automation.config import Target
    from automation.errors import ScLicenseError
    from automation.pages.licensing import LicensingPage
    from automation.pages.service_center import ServiceCenter
    from sc_license.environments import ScEnvironment
    from sc_license.runs import ChangeResult, EnvironmentLicense, NotRead
    from sc_license.sandbox import SandboxServiceCenter

SELECTED = pytest.StashKey[list["ScEnvironment"]]()
RUNS_USED = pytest.StashKey[list[Path]]()
OUTPUT_PATH = pytest.StashKey[Path]()
SECTION = "Captured stdout sc-license"  # pytest's JUnit XML writes "Captured stdout" sections
NO_SELECTION = (
    "No Service Center is selected. Give --sc-inventory FILE (with --sc-env or --sc-group), "
    "--sc-url URL with --sc-user, or --sc-sandbox (or their ini keys)."
)


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    options = read_options(config)
    config.pluginmanager.register(JUnitEvidence(config), "sc_license.junit_evidence")
    if not options.used:
        return
    from sc_license import browser_choice

    config.pluginmanager.register(browser_choice, "sc_license.browser_choice")
    if options.selected_by == "command line" and not config.option.help:
        chosen(config)  # a selection that cannot be made stops the run before collection


def chosen(config: pytest.Config) -> list[ScEnvironment]:
    """The selected environments, once per run; a usage error (exit 4) when the options
    cannot select any."""
    if SELECTED not in config.stash:
        from automation.errors import ScLicenseError
        from sc_license.environments import selected

        try:
            config.stash[SELECTED] = selected(read_options(config))
        except ScLicenseError as error:
            raise pytest.UsageError(f"sc-license: {error.message} {error.hint}") from None
    return config.stash[SELECTED]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per selected environment, named after it (so `-k prod` and JUnit show it). A
    selection from the ini file that cannot be made fails these tests only, saying why."""
    if "sc_environment" not in metafunc.fixturenames:
        return
    try:
        environments: list[object] = [*chosen(metafunc.config)]
    except pytest.UsageError as refused:
        environments = [refused]
    names = [getattr(e, "name", "sc-license-error") for e in environments]
    if not environments:
        environments, names = [None], ["no-service-center"]
    metafunc.parametrize("sc_environment", environments, ids=names, indirect=True, scope="session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on an environment whose inventory entry sets ignore_https_errors or a proxy gets
    them in its `browser_context_args` marker, so pytest-playwright's `page` (under
    service_center) reaches it as the plugin's runs do; the test's own marker stays on top."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        environment = callspec.params.get("sc_environment") if callspec else None
        if "page" not in getattr(item, "fixturenames", ()) or environment is None:
            continue
        wanted: dict[str, Any] = getattr(environment, "context_args", dict)()
        if wanted:
            own = next(item.iter_markers("browser_context_args"), None)
            merged = {**wanted, **(own.kwargs if own else {})}
            item.add_marker(pytest.mark.browser_context_args(**merged), append=False)


@pytest.fixture(scope="session")
def sc_options(pytestconfig: pytest.Config) -> PluginOptions:
    """The plugin's options as this run gives them."""
    return read_options(pytestconfig)


@pytest.fixture(scope="session")
def sc_sandbox_options() -> dict[str, Any]:
    """How `sc_sandbox` starts: override it in a conftest.py (see SandboxServiceCenter)."""
    return {}


@pytest.fixture(scope="session")
def sc_sandbox(sc_sandbox_options: dict[str, Any]) -> Iterator[SandboxServiceCenter]:
    """A sandbox Service Center for the session, on a free loopback port."""
    from sc_license.sandbox import start_sandbox

    sandbox = start_sandbox(sc_sandbox_options)
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="session")
def sc_environment(request: pytest.FixtureRequest) -> ScEnvironment:
    """The environment this test runs against (the tests are parametrised over them)."""
    environment = request.param
    if environment is None:
        raise pytest.fail.Exception(NO_SELECTION, pytrace=False)
    if isinstance(environment, pytest.UsageError):
        raise pytest.fail.Exception(str(environment), pytrace=False)
    from sc_license.environments import SANDBOX

    if environment.name == SANDBOX and not environment.url:
        sandbox: SandboxServiceCenter = request.getfixturevalue("sc_sandbox")
        environment = environment.model_copy(
            update={"url": sandbox.url, "user": sandbox.user, "serial": sandbox.serial}
        )
    return environment  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def sc_target(sc_environment: ScEnvironment, request: pytest.FixtureRequest) -> Target:
    """Who signs in where, with the password from its variable (read once per session)."""
    from automation.errors import ScLicenseError
    from sc_license.environments import SANDBOX

    password = None
    if sc_environment.name == SANDBOX and read_options(request.config).sandbox:
        password = request.getfixturevalue("sc_sandbox").password
    try:
        return sc_environment.target(password)
    except ScLicenseError as error:
        _fail(sc_environment.name, error)


def _fail(environment: str, error: ScLicenseError) -> NoReturn:
    """The test fails (at setup, for a fixture) with what happened and what to do, said once:
    not after the error it stands for."""
    said = f"{environment}: {error.message}\nWhat to do: {error.hint}"
    raise pytest.fail.Exception(said, pytrace=False) from None


@pytest.fixture
def service_center(
    page: Page, sc_environment: ScEnvironment, sc_target: Target, request: pytest.FixtureRequest
) -> ServiceCenter:
    """Service Center, signed in, on pytest-playwright's `page`, with the environment's
    timeouts. Its Licensing page's upload refuses unless the run gives --sc-allow-changes. The
    sign-in is kept out of pytest-playwright's trace (Playwright records typed values)."""
    from automation.errors import ScLicenseError
    from automation.pages.login import LoginPage
    from sc_license.guards import ReadOnlyServiceCenter

    if sc_environment.entry is not None:
        from automation.config import PageOptions

        timeouts = sc_environment.entry.page_options(PageOptions())
        page.set_default_timeout(timeouts.action_timeout_ms)
        page.set_default_navigation_timeout(timeouts.navigation_timeout_ms)
    try:
        with _untraced(page, request.config):
            login = LoginPage.open(page, sc_target.url, sc_target.profile, sc_target.sign_in_origin)
            signed_in = login.login(sc_target.user, sc_target.password)
    except ScLicenseError as error:
        _fail(sc_environment.name, error)
    if read_options(request.config).allow_changes:
        return signed_in
    return ReadOnlyServiceCenter(page, sc_target.profile, sc_environment.name)


@contextmanager
def _untraced(page: Page, config: pytest.Config) -> Iterator[None]:
    """pytest-playwright's trace of the page paused while the password is typed: the trace
    starts again once signed in (what came before the sign-in is dropped with it)."""
    tracing = config.getoption("--tracing", default="off") in ("on", "retain-on-failure")
    if tracing:
        page.context.tracing.stop()
    try:
        yield
    finally:
        if tracing:
            page.context.tracing.start(screenshots=True, snapshots=True, sources=True)


@pytest.fixture
def licensing_page(service_center: ServiceCenter, sc_environment: ScEnvironment) -> LicensingPage:
    """Administration > Licensing, opened as the documented procedure opens it."""
    from automation.errors import ScLicenseError

    try:
        return service_center.open_administration().open_licensing()
    except ScLicenseError as error:
        _fail(sc_environment.name, error)


class _Readings:
    """The license of each environment, read once per session (or why it could not be)."""

    def __init__(self) -> None:
        self.by_environment: dict[str, EnvironmentLicense | NotRead] = {}


@pytest.fixture(scope="session")
def _sc_readings() -> _Readings:
    return _Readings()


@pytest.fixture
def installed_license(
    sc_environment: ScEnvironment,
    sc_target: Target,
    _sc_readings: _Readings,
    request: pytest.FixtureRequest,
) -> EnvironmentLicense:
    """What the environment's Licensing page shows, read once per environment per session
    as `sc-license status` reads it (its run folder is `.evidence`)."""
    from automation.errors import ScLicenseError
    from sc_license.runs import NotRead, read_license

    readings = _sc_readings.by_environment
    if sc_environment.name not in readings:
        try:
            options = _run_options(request, sc_environment, f"pytest {request.node.nodeid}")
            session = _session_of(request)
            readings[sc_environment.name] = read_license(
                sc_environment, sc_target, options, session
            )
        except NotRead as not_read:
            readings[sc_environment.name] = not_read
        except ScLicenseError as error:  # refused before a run began (e.g. --sc-out)
            _fail(sc_environment.name, error)
    reading = readings[sc_environment.name]
    _used(request, reading.evidence)
    if isinstance(reading, NotRead):
        raise pytest.fail.Exception(str(reading), pytrace=False)
    return reading


@pytest.fixture
def sc_install(
    sc_environment: ScEnvironment,
    sc_target: Target,
    _sc_readings: _Readings,
    request: pytest.FixtureRequest,
) -> Callable[..., ChangeResult]:
    """Install a license file on the environment as `sc-license install` does (lock, backup,
    checks, verification, rollback, run folder, audit log): `sc_install(path, dry_run=False,
    expect_serial=None, allow_earlier_end=False, reason=None, change=None)`. A change needs
    --sc-allow-changes; a dry run changes nothing and needs none."""
    from automation.errors import ScLicenseError
    from sc_license.guards import refused_change
    from sc_license.runs import install

    plugin = read_options(request.config)

    def run(
        license_path: Path | str,
        *,
        dry_run: bool = False,
        expect_serial: str | None = None,
        allow_earlier_end: bool = False,
        reason: str | None = None,
        change: str | None = None,
    ) -> ChangeResult:
        if not dry_run and not plugin.allow_changes:
            raise pytest.fail.Exception(refused_change(sc_environment.name), pytrace=False)
        try:
            options = _run_options(
                request,
                sc_environment,
                reason or f"pytest {request.node.nodeid}",
                change=change or plugin.change,
            )
            result = install(
                sc_environment,
                sc_target,
                options,
                _session_of(request),
                Path(license_path),
                dry_run=dry_run,
                expect_serial=expect_serial,
                allow_earlier_end=allow_earlier_end,
            )
        except ScLicenseError as error:
            _fail(sc_environment.name, error)
        _used(request, result.evidence)
        if not dry_run:  # the next reading shows what is installed now
            _sc_readings.by_environment.pop(sc_environment.name, None)
        return result

    return run


def _run_options(
    request: pytest.FixtureRequest,
    environment: ScEnvironment,
    reason: str,
    change: str | None = None,
) -> Any:
    """The run's options: pytest-playwright's --headed, --tracing and --video apply to it (a
    run keeps its trace and video whenever they are asked for: whether the test fails is
    known only later, and a failed test gets them beside its other files)."""
    from sc_license.runs import run_options

    config = request.config
    return run_options(
        read_options(config),
        environment,
        headed=bool(config.getoption("--headed", default=False)),
        tracing=_asked(config, "--tracing"),
        video=_asked(config, "--video"),
        reason=reason,
        change=change,
    )


def _asked(config: pytest.Config, option: str) -> bool:
    return config.getoption(option, default="off") in ("on", "retain-on-failure")


def _session_of(request: pytest.FixtureRequest) -> Any:
    """A run's page in a context of its own on pytest-playwright's browser, with the suite's
    browser_context_args (and the test's browser_context_args marker) on top of the run's."""
    from sc_license.runs import session_on

    browser = request.getfixturevalue("browser")
    suite = dict(request.getfixturevalue("browser_context_args"))
    marker = next(request.node.iter_markers("browser_context_args"), None)
    suite.update(marker.kwargs if marker else {})
    return session_on(browser, suite)


def _used(request: pytest.FixtureRequest, folder: Path | None) -> None:
    if folder is not None:
        request.node.stash.setdefault(RUNS_USED, []).append(folder)
        if OUTPUT_PATH not in request.node.stash:
            request.node.stash[OUTPUT_PATH] = Path(request.getfixturevalue("output_path"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed test that used the plugin's runs gets their evidence: each run folder named in
    its report (and so in JUnit's <system-out> and a <property>), and the last step's
    screenshot and ARIA snapshot, and the run's trace and video when pytest-playwright was
    asked for them, copied beside pytest-playwright's files (under --output)."""
    report: pytest.TestReport = yield
    folders = item.stash.get(RUNS_USED, [])
    if not folders or not report.failed or report.when == "teardown":
        return report
    output = item.stash.get(OUTPUT_PATH, None)
    lines = []
    for folder in dict.fromkeys(folders):
        lines.append(f"sc-license evidence: {folder}")
        if output is not None:
            lines += [f"  {path}" for path in _attach(folder, output, item.config)]
        item.user_properties.append(("sc_license_evidence", str(folder)))
    said = "\n".join(lines) + "\n"
    report.sections.append((SECTION, said))
    item.add_report_section("call", "stdout", said)  # the teardown report, JUnit's source
    return report


def _attach(folder: Path, output: Path, config: pytest.Config) -> list[Path]:
    """Copies from the run in `folder` to `output`, as sc-license-<run folder>.<kind>."""
    from automation.evidence.records import load_record

    try:
        record = load_record(folder)
    except (OSError, ValueError):
        return []
    shot = next((s.screenshot for s in reversed(record.steps) if s.screenshot), None)
    wanted: list[tuple[Path, str]] = []
    if shot is not None:
        wanted += [(folder / shot, ".png"), ((folder / shot).with_suffix(".aria.txt"), ".aria.txt")]
    if _asked(config, "--tracing"):
        wanted += [(trace, f".{trace.name}") for trace in sorted(folder.glob("trace*.zip"))]
    if _asked(config, "--video"):
        wanted.append((folder / "video.webm", ".webm"))
    copied = []
    for source, suffix in wanted:
        if source.is_file():
            output.mkdir(parents=True, exist_ok=True)
            target = output / f"sc-license-{folder.name}{suffix}"
            copied.append(Path(shutil.copy2(source, target)))
    return copied


class JUnitEvidence:
    """JUnit XML keeps "Captured stdout" sections only when junit_logging says so: otherwise
    the evidence's section is written into the test's <system-out> here. Registered where
    pytest writes the XML (with xdist, the controller)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        said = "".join(text for name, text in report.sections if name == SECTION)
        if not said or report.when == "teardown":
            return
        from _pytest.junitxml import bin_xml_escape, xml_key

        xml = self.config.stash.get(xml_key, None)
        if xml is None or xml.logging in ("system-out", "out-err", "all"):
            return  # no XML written, or pytest writes the section itself
        from xml.etree import ElementTree

        element = ElementTree.Element("system-out")
        element.text = bin_xml_escape(said)
        xml.node_reporter(report).append(element)
