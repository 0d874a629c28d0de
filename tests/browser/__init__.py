"""Tests of automation/browser."""
