"""Shared fixtures. Core fixtures only; the course builder itself lives in tests/coursekit.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # so tests can `import coursekit`

from coursekit import make_course  # noqa: E402


@pytest.fixture
def course(tmp_path):
    """Factory: ``course(files={path: text or None}, approved=True)`` writes the minimal valid course to tmp_path."""

    def build(files=None, approved=True):
        return make_course(tmp_path / "course", files, approved)

    return build
