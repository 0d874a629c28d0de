"""Tests of automation/evidence."""
