"""Every code block in the repository's content, one test each (see scripts/examples)."""

from scripts.examples.runner import pytest_generate_tests, test_code_block

__all__ = ["pytest_generate_tests", "test_code_block"]
