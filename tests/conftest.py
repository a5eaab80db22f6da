"""Shared pytest fixtures."""

import shutil
from pathlib import Path

import pytest

MINI_DATA = Path(__file__).parent / "fixtures" / "mini_data"


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A private copy of the small valid dataset, safe to edit in a test."""
    target = tmp_path / "data"
    shutil.copytree(MINI_DATA, target)
    return target
