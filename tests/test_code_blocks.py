"""Every code block in the repository's content, one test each (see scripts/playbook/examples)."""

from playbook.examples.runner import pytest_generate_tests, test_code_block

__all__ = ["pytest_generate_tests", "test_code_block"]
