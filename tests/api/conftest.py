from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ree.api import create_app
from ree.config import Settings


@pytest.fixture(scope="module")
def client(demo_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real app over a copy of the session's demo index (each module gets fresh memory)."""
    data_dir = tmp_path_factory.mktemp("api") / "data"
    shutil.copytree(demo_data_dir, data_dir)
    for db in data_dir.glob("ree.db*"):
        db.unlink()
    settings = Settings(data_dir=data_dir, demo_listings=600, admin_key="test-admin")
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c
