"""Fixtures for ingest tests: the real data folder and a small, fixed demo sample."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from ree.ingest.demo import generate
from ree.models import Listing

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
NOW = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)


def shared_csv(name: str) -> Path:
    """A real CSV of ../shared/data, or a skip saying why it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path.resolve()} is absent: the real data sets live outside the repo")
    return path


@pytest.fixture(scope="session")
def demo_sample() -> list[Listing]:
    """1,500 demo listings for a fixed seed and clock."""
    return list(generate(1500, seed=42, now=NOW))
