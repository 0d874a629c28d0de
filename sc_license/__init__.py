"""sc-license's public API, importable under a name of its own: the page objects and models
the pytest plugin's fixtures return, stable across minor versions.

The package's code lives in `automation` and `flows` in the repository; an installed wheel
keeps it under this package (`sc_license.automation`, `sc_license.flows`), so it works beside a
team's own `automation` or `flows` package. Names load on first use: `import sc_license` costs
nothing, and the CLI starts as fast as before.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from automation import __version__ as __version__

# Public name: the module it comes from.
_PUBLIC = {
    "ServiceCenter": "automation.pages.service_center",
    "LoginPage": "automation.pages.login",
    "LicensingPage": "automation.pages.licensing",
    "UploadForm": "automation.pages.upload",
    "InstalledLicense": "automation.licenses",
    "LicenseFile": "automation.licenses",
    "SiteProfile": "automation.profile",
    "load_profile": "automation.profile",
    "ExitCode": "automation.errors",
    "ScLicenseError": "automation.errors",
    "ScEnvironment": "sc_license.environments",
    "EnvironmentLicense": "sc_license.runs",
    "ChangeResult": "sc_license.runs",
    "SandboxServiceCenter": "sc_license.sandbox",
}

__all__ = [
    "ChangeResult",
    "EnvironmentLicense",
    "ExitCode",
    "InstalledLicense",
    "LicenseFile",
    "LicensingPage",
    "LoginPage",
    "SandboxServiceCenter",
    "ScEnvironment",
    "ScLicenseError",
    "ServiceCenter",
    "SiteProfile",
    "UploadForm",
    "load_profile",
]

if TYPE_CHECKING:
    from automation.errors import ExitCode, ScLicenseError
    from automation.licenses import InstalledLicense, LicenseFile
    from automation.pages.licensing import LicensingPage
    from automation.pages.login import LoginPage
    from automation.pages.service_center import ServiceCenter
    from automation.pages.upload import UploadForm
    from automation.profile import SiteProfile, load_profile
    from sc_license.environments import ScEnvironment
    from sc_license.runs import ChangeResult, EnvironmentLicense
    from sc_license.sandbox import SandboxServiceCenter


def __getattr__(name: str) -> object:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'sc_license' has no attribute {name!r}")
    return getattr(import_module(module), name)
