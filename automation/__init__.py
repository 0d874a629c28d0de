"""sc-license: install OutSystems 11 license files through Service Center, with evidence."""

__version__ = "0.1.0"
