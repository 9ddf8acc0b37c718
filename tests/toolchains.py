"""Tests that need a real tool: ``require("chromium")`` in a test or fixture, or the marker
``@pytest.mark.needs("chromium", ...)``. A missing tool skips the test with the registry's
message and install command (``playbook.examples.toolchains.TOOLS``); under ``CI=true``, where
every tool is installed, it fails instead."""

from __future__ import annotations

import pytest
from playbook.examples.toolchains import in_ci, missing, which


def require(name: str) -> str:
    """The tool's path; skips the test (fails it under CI=true) when the machine lacks it."""
    found = which(name)
    if found is None:
        message = missing(name)
        if in_ci():
            pytest.fail(f"{message}: CI installs every tool the tests use", pytrace=False)
        pytest.skip(message)
    return found


def check_markers(item: pytest.Item) -> None:
    """For ``pytest_runtest_setup``: every tool a ``needs`` marker names."""
    for mark in item.iter_markers("needs"):
        for name in mark.args:
            require(name)
