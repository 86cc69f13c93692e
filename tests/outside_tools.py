"""Tests that need something outside Python (Chromium, Java, poppler, Redis): skipped with a
one-line reason on a machine without it, and failed instead where CI requires it."""

import os
from typing import NoReturn

import pytest


def unavailable(reason: str, required_by: str) -> NoReturn:
    """`required_by` names the environment variable that makes the tool compulsory."""
    if os.environ.get(required_by):
        pytest.fail(reason)
    pytest.skip(reason)
