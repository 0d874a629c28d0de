"""Tests of automation/cli."""
