"""A pytest plugin the checker loads for test blocks that use pytest-playwright's fixtures:
it launches the Chromium this machine has (``PLAYWRIGHT_CHROMIUM``, set by the checker) rather
than the one ``playwright install`` would download, so a block keeps to the plain ``page``
fixture a reader's own project uses."""

from __future__ import annotations

import os
from typing import Any

import pytest


class InstalledChromium:
    @pytest.fixture(scope="session")
    def browser_type_launch_args(self, browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
        chromium = os.environ.get("PLAYWRIGHT_CHROMIUM")
        if not chromium:
            return browser_type_launch_args
        return {**browser_type_launch_args, "executable_path": chromium}


def pytest_configure(config: pytest.Config) -> None:
    # Registered after pytest-playwright (an entry point, loaded before this runs), so this
    # fixture is the one its browser fixture asks for.
    config.pluginmanager.register(InstalledChromium(), "playbook-installed-chromium")
