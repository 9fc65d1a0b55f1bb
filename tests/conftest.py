"""Shared test fixtures: paths to ../shared/data and one small demo index per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def shared_file(name: str) -> Path:
    """A file of ../shared/data, or a skip with the reason when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the real data sets live outside the repo")
    return path


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data dir holding an index of 600 demo listings, built once per session."""
    from ree.chat.service import Assistant
    from ree.config import Settings

    path = tmp_path_factory.mktemp("ree-demo")
    assistant = Assistant.open(Settings(data_dir=path, demo_listings=600))
    assistant.ensure_demo_data()
    assistant.close()
    yield path
