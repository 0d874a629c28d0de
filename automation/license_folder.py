"""A folder of license files from the Licensing Portal, matched to environments by serial."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from automation.errors import BadInput, NoMatchingLicense, ScLicenseError
from automation.licenses import read_license_file


@dataclass
class LicenseFolder:
    """Each readable .lic file by the serial it is issued for, whatever it is called."""

    folder: Path
    by_serial: dict[str, list[Path]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> LicenseFolder:
        if not folder.is_dir():
            raise BadInput(f"{folder} is not a folder.", hint="Give the folder of .lic files.")
        found = cls(folder)
        for path in sorted(folder.glob("*.lic")):
            try:
                serial = read_license_file(path).serial_number
            except ScLicenseError as error:
                found.problems.append(error.message)
                continue
            if serial is None:
                found.problems.append(f"No serial number could be read in {path.name}.")
                continue
            found.by_serial.setdefault(serial, []).append(path)
        if not found.by_serial:
            raise BadInput(
                f"{folder} holds no license file with a readable serial number.",
                hint="Put the .lic files from the Licensing Portal there.",
            )
        return found

    def for_serial(self, serial: str | None, environment: str) -> Path:
        """The one file issued for this serial; refuse when there is none, or several."""
        paths = self.by_serial.get(serial or "", [])
        if len(paths) == 1:
            return paths[0]
        if not paths:
            raise NoMatchingLicense(
                f"No file in {self.folder} is issued for {environment}'s serial {serial}; "
                "it was left as it is.",
                hint=f"Request the license for serial {serial} in the Licensing Portal.",
            )
        raise NoMatchingLicense(
            f"Several files in {self.folder} are issued for {environment}'s serial {serial} "
            f"({', '.join(p.name for p in paths)}); it was left as it is.",
            hint="Keep only the file to install for that serial in the folder.",
        )

    def unmatched(self, serials: set[str]) -> list[str]:
        """Files issued for none of the given serials."""
        return [
            f"{path.name} (serial {serial}) matches no selected environment"
            for serial, paths in sorted(self.by_serial.items())
            if serial not in serials
            for path in paths
        ]
