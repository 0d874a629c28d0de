"""sc-license's pytest plugin: license checks inside the pytest-playwright suites teams already
run. Loaded by its entry point (pytest11) wherever sc-license is installed, and inert until a
test uses one of its fixtures or a run gives one of its options.

Options (group "sc-license", each also an ini key: --sc-inventory is sc_inventory): which
Service Centers (--sc-inventory with --sc-env/--sc-group, --sc-url with --sc-user, or
--sc-sandbox), --sc-profile, --sc-out for the evidence, --sc-allow-changes and --sc-change for
`sc_install`. Passwords come from the CLI's variables, never from an option.

Fixtures: sc_environment (one test per selected environment, named after it), service_center,
licensing_page (page objects on pytest-playwright's `page`), installed_license (read once per
environment per session, through the CLI's runner, with its run folder), sc_install, sc_sandbox
and sc_sandbox_options. See the README, "In your own pytest suite".
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from xml.etree import ElementTree

import pytest

from automation.config import Target
from automation.errors import ScLicenseError
from automation.evidence.records import RunRecord, load_record
from automation.licenses import InstalledLicense
from automation.pages.licensing import LicensingPage
from automation.pages.login import LoginPage
from automation.pages.service_center import ServiceCenter
from automation.pages.upload import UploadForm
from sc_license import browser_choice
from sc_license.environments import SANDBOX, PluginOptions, ScEnvironment, selected
from sc_license.runs import (
    ChangeResult,
    EnvironmentLicense,
    NotRead,
    install,
    read_license,
    run_options,
    session_from_pytest_playwright,
)
from sc_license.sandbox import SandboxServiceCenter, start_sandbox

GROUP = "sc-license"
# The options, their ini keys and what they say; (flag, ini key, kind, help).
OPTIONS: list[tuple[str, str, str, str]] = [
    ("--sc-inventory", "sc_inventory", "path", "The inventory (environments.toml) to check."),
    ("--sc-env", "sc_env", "list", "An environment of the inventory, by name (repeatable)."),
    ("--sc-group", "sc_group", "list", "A group of the inventory's environments (repeatable)."),
    ("--sc-url", "sc_url", "string", "One Service Center by its address, with --sc-user."),
    ("--sc-user", "sc_user", "string", "Who signs in to --sc-url."),
    (
        "--sc-password-env",
        "sc_password_env",
        "string",
        "The variable holding --sc-url's password (default SC_LICENSE_PASSWORD).",
    ),
    ("--sc-profile", "sc_profile", "path", "A site profile, for environments without one."),
    ("--sc-out", "sc_out", "path", "Where run folders go (default: recordings)."),
    ("--sc-sandbox", "sc_sandbox", "bool", "Check a sandbox Service Center started for the run."),
    ("--sc-allow-changes", "sc_allow_changes", "bool", "Let sc_install change licenses."),
    (
        "--sc-change",
        "sc_change",
        "string",
        "The change ticket sc_install's changes are made under.",
    ),
]
# Where the evidence of the runs a test used is kept, for its report.
RUNS_USED = pytest.StashKey[list[Path]]()
OUTPUT_PATH = pytest.StashKey[Path]()
OPTIONS_KEY = pytest.StashKey[PluginOptions]()
SELECTED_KEY = pytest.StashKey[list[ScEnvironment]]()
SECTION = "Captured stdout sc-license"  # pytest's JUnit XML writes "Captured stdout" sections


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup(GROUP, "sc-license: OutSystems Service Center license checks")
    for flag, key, kind, said in OPTIONS:
        if kind == "bool":
            group.addoption(flag, action="store_true", default=None, dest=key, help=said)
            parser.addini(key, said, type="bool", default=False)
        elif kind == "list":
            group.addoption(flag, action="append", default=None, dest=key, help=said)
            parser.addini(key, said, type="args", default=[])
        else:
            group.addoption(flag, default=None, dest=key, help=said)
            parser.addini(key, said, type="string", default="")


def plugin_options(config: pytest.Config) -> PluginOptions:
    """The options given, each from the command line, else from the ini file; paths from the
    command line are read from where pytest started, those of the ini file from its folder."""
    if OPTIONS_KEY in config.stash:
        return config.stash[OPTIONS_KEY]
    here = config.invocation_params.dir
    ini_folder = config.inipath.parent if config.inipath else config.rootpath
    values: dict[str, Any] = {}
    for _, key, kind, _ in OPTIONS:
        given = config.getoption(key)
        folder = here
        if given is None or given == []:
            given, folder = config.getini(key), ini_folder
        if kind == "path" and given:
            given = folder / Path(given).expanduser()
        if given not in (None, "", []):
            values[key.removeprefix("sc_")] = tuple(given) if kind == "list" else given
    try:
        options = PluginOptions.model_validate(values)
    except ValueError as error:
        raise pytest.UsageError(f"sc-license: {error}") from None
    config.stash[OPTIONS_KEY] = options
    return options


def pytest_configure(config: pytest.Config) -> None:
    options = plugin_options(config)
    if options.used:
        chosen(config)  # a selection that cannot be made stops the run before collection
        config.pluginmanager.register(browser_choice, "sc_license.browser_choice")
    config.pluginmanager.register(JUnitEvidence(config), "sc_license.junit_evidence")


def chosen(config: pytest.Config) -> list[ScEnvironment]:
    """The selected environments, once per run; a usage error (exit 4) when the options
    cannot select any."""
    if SELECTED_KEY not in config.stash:
        try:
            config.stash[SELECTED_KEY] = selected(plugin_options(config))
        except ScLicenseError as error:
            raise pytest.UsageError(f"sc-license: {error.message} {error.hint}") from None
    return config.stash[SELECTED_KEY]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per selected environment, named after it (so `-k prod` and JUnit show it)."""
    if "sc_environment" not in metafunc.fixturenames:
        return
    environments: list[ScEnvironment | None] = [*chosen(metafunc.config)]
    names = [e.name for e in environments if e is not None]
    if not environments:
        environments, names = [None], ["no-service-center"]
    metafunc.parametrize("sc_environment", environments, ids=names, indirect=True, scope="session")


@pytest.fixture(scope="session")
def sc_options(pytestconfig: pytest.Config) -> PluginOptions:
    """The plugin's options as this run gives them."""
    return plugin_options(pytestconfig)


@pytest.fixture(scope="session")
def sc_sandbox_options() -> dict[str, Any]:
    """How `sc_sandbox` starts: override it in a conftest.py (see SandboxServiceCenter)."""
    return {}


@pytest.fixture(scope="session")
def sc_sandbox(sc_sandbox_options: dict[str, Any]) -> Iterator[SandboxServiceCenter]:
    """A sandbox Service Center for the session, on a free loopback port."""
    sandbox = start_sandbox(sc_sandbox_options)
    yield sandbox
    sandbox.stop()


@pytest.fixture(scope="session")
def sc_environment(request: pytest.FixtureRequest) -> ScEnvironment:
    """The environment this test runs against (the tests are parametrised over them)."""
    environment: ScEnvironment | None = request.param
    if environment is None:
        pytest.fail(
            "No Service Center is selected. Give --sc-inventory FILE (with --sc-env or "
            "--sc-group), --sc-url URL with --sc-user, or --sc-sandbox (or their ini keys).",
            pytrace=False,
        )
    if environment.name == SANDBOX and not environment.url:
        sandbox: SandboxServiceCenter = request.getfixturevalue("sc_sandbox")
        environment = environment.model_copy(
            update={"url": sandbox.url, "user": sandbox.user, "serial": sandbox.serial}
        )
    return environment


@pytest.fixture(scope="session")
def sc_target(sc_environment: ScEnvironment, request: pytest.FixtureRequest) -> Target:
    """Who signs in where, with the password from its variable (read once per session)."""
    password = None
    if sc_environment.name == SANDBOX and sc_options_of(request).sandbox:
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


def sc_options_of(request: pytest.FixtureRequest) -> PluginOptions:
    return plugin_options(request.config)


@pytest.fixture
def service_center(page: Any, sc_environment: ScEnvironment, sc_target: Target) -> ServiceCenter:
    """Service Center, signed in, on pytest-playwright's `page`."""
    try:
        login = LoginPage.open(page, sc_target.url, sc_target.profile, sc_target.sign_in_origin)
        return login.login(sc_target.user, sc_target.password.get_secret_value())
    except ScLicenseError as error:
        _fail(sc_environment.name, error)


@pytest.fixture
def licensing_page(
    service_center: ServiceCenter, sc_environment: ScEnvironment, sc_options: PluginOptions
) -> LicensingPage:
    """Administration > Licensing, opened as the documented procedure opens it; its Upload
    New License refuses unless the run gives --sc-allow-changes."""
    opened = service_center.open_administration().open_licensing()
    if sc_options.allow_changes:
        return opened
    return ReadOnlyLicensingPage(opened.page, opened.profile, sc_environment.name)


class ReadOnlyLicensingPage(LicensingPage):
    """The Licensing page of a run that allows no change: reading and Backup License work,
    Upload New License refuses."""

    def __init__(self, page: Any, profile: Any, environment: str) -> None:
        super().__init__(page, profile)
        self.environment = environment

    def open_upload(self) -> UploadForm:
        pytest.fail(refused_change(self.environment), pytrace=False)


def refused_change(environment: str) -> str:
    return (
        f"Refused to change {environment}'s license: this run does not allow changes. Nothing "
        "was done.\nWhat to do: give --sc-allow-changes (or sc_allow_changes = true in the ini "
        "file) to a run meant to change licenses; sc_install(..., dry_run=True) rehearses one."
    )


@dataclass
class _Readings:
    """The license of each environment, read once per session (or why it could not be)."""

    by_environment: dict[str, EnvironmentLicense | NotRead] = field(default_factory=dict)


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
    readings = _sc_readings.by_environment
    if sc_environment.name not in readings:
        session = _session_of(request)
        options = run_options(
            sc_options_of(request),
            sc_environment,
            headed=bool(request.config.getoption("--headed", default=False)),
            reason=f"pytest {request.node.nodeid}",
        )
        try:
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


Install = Callable[..., ChangeResult]


@pytest.fixture
def sc_install(
    sc_environment: ScEnvironment,
    sc_target: Target,
    _sc_readings: _Readings,
    request: pytest.FixtureRequest,
) -> Install:
    """Install a license file on the environment as `sc-license install` does (lock, backup,
    checks, verification, rollback, run folder, audit log): `sc_install(path, dry_run=False,
    expect_serial=None, allow_earlier_end=False, reason=None, change=None)`. A change needs
    --sc-allow-changes; a dry run changes nothing and needs none."""
    plugin = sc_options_of(request)

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
            pytest.fail(refused_change(sc_environment.name), pytrace=False)
        options = run_options(
            plugin,
            sc_environment,
            headed=bool(request.config.getoption("--headed", default=False)),
            reason=reason or f"pytest {request.node.nodeid}",
            change=change or plugin.change,
        )
        try:
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


def _session_of(request: pytest.FixtureRequest) -> Any:
    """A run's page comes from pytest-playwright's browser and new_context (its flags apply);
    the test's output folder is noted for the evidence of a failure."""
    browser = request.getfixturevalue("browser")
    new_context = request.getfixturevalue("new_context")
    taken = request.getfixturevalue("browser_context_args").keys()
    request.node.stash[OUTPUT_PATH] = Path(request.getfixturevalue("output_path"))
    return session_from_pytest_playwright(browser, new_context, taken)


def _used(request: pytest.FixtureRequest, folder: Path | None) -> None:
    if folder is not None:
        request.node.stash.setdefault(RUNS_USED, []).append(folder)
        if OUTPUT_PATH not in request.node.stash:
            request.node.stash[OUTPUT_PATH] = Path(request.getfixturevalue("output_path"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A failed test that used the plugin's runs gets their evidence: each run folder named in
    its report (and so in JUnit's <system-out>), and the screenshot and ARIA snapshot of each
    run's last step copied beside pytest-playwright's artifacts (under --output)."""
    report: pytest.TestReport = yield
    folders = item.stash.get(RUNS_USED, [])
    if not folders or not report.failed or report.when == "teardown":
        return report
    output = item.stash.get(OUTPUT_PATH, None)
    lines = []
    for folder in dict.fromkeys(folders):
        lines.append(f"sc-license evidence: {folder}")
        if output is not None:
            lines += [f"  {path}" for path in _attach(folder, output)]
        item.user_properties.append(("sc_license_evidence", str(folder)))  # JUnit <property>
    report.sections.append((SECTION, "\n".join(lines) + "\n"))
    return report


def _attach(folder: Path, output: Path) -> list[Path]:
    """The last step's screenshot and ARIA snapshot of the run in `folder`, copied to
    `output` as sc-license-<run folder>.png and .aria.txt."""
    try:
        record: RunRecord = load_record(folder)
    except (OSError, ValueError):
        return []
    shot = next((s.screenshot for s in reversed(record.steps) if s.screenshot), None)
    if shot is None:
        return []
    copied = []
    source = folder / shot
    for suffix, path in ((".png", source), (".aria.txt", source.with_suffix(".aria.txt"))):
        if path.is_file():
            output.mkdir(parents=True, exist_ok=True)
            copied.append(Path(shutil.copy2(path, output / f"sc-license-{folder.name}{suffix}")))
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
        element = ElementTree.Element("system-out")
        element.text = bin_xml_escape(said)
        xml.node_reporter(report).append(element)


__all__ = [
    "ChangeResult",
    "EnvironmentLicense",
    "InstalledLicense",
    "SandboxServiceCenter",
    "ScEnvironment",
]
