"""Helpers the tests share: sandboxes, the CLI as a subprocess, HTTP and markup readers."""
