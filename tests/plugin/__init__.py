"""Tests of the pytest plugin (sc_license/pytest_plugin.py), through pytest runs of their own."""
