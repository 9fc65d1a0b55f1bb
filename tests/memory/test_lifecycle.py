"""TTL cleanup and archiving on SQLite and PostgreSQL; archives in a directory and in S3.

The S3 bucket is moto's standalone server (`moto.server.ThreadedMotoServer`): a real
S3-compatible HTTP server on 127.0.0.1, spoken to by boto3 like any other.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from ree.cli_db import memory_app
from ree.memory import lifecycle
from ree.memory.archive import DirectorySink, S3Sink, open_sink
from ree.memory.base import Turn
from ree.memory.sqlite import SqlMemory
from ree.models import ConversationState

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=200)


@pytest.fixture(params=["sqlite", "postgresql"])
def memory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlMemory]:
    """A store of this test's own: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        store = SqlMemory(f"sqlite:///{tmp_path / 'ree.db'}")
        yield store
        store.close()
        return
    pytest.importorskip("psycopg", reason="psycopg not installed")
    from services import fresh_database

    with fresh_database(request.getfixturevalue("postgres_url")) as url:
        store = SqlMemory(url)
        yield store
        store.close()


def _turn(text_: str) -> Turn:
    return Turn(text_, f"re: {text_}", "search", ConversationState())


def _backdate(store: SqlMemory, cid: str, seqs: list[int], when: datetime) -> None:
    with store.engine.begin() as conn:
        for seq in seqs:
            conn.execute(
                text("UPDATE messages SET created_at = :t WHERE conversation_id = :c AND seq = :s"),
                {"t": when, "c": cid, "s": seq},
            )


def _scenario(store: SqlMemory) -> tuple[str, str]:
    """`idle`: two turns 200 days old; `live`: one turn 200 days old, one today."""
    if store.engine.dialect.name == "postgresql":
        from ree.memory.postgres import ensure_partitions

        ensure_partitions(store.engine, 0, date(OLD.year, OLD.month, 1))
    idle = store.create(user_id="alice").id
    live = store.create(user_id="bob").id
    for n in (1, 2):
        store.append_turn(idle, _turn(f"idle {n}"), n - 1)
        store.append_turn(live, _turn(f"live {n}"), n - 1)
    _backdate(store, idle, [1, 2], OLD)
    _backdate(store, live, [1], OLD)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE conversations SET created_at = :t"), {"t": OLD})
        conn.execute(
            text("UPDATE conversations SET updated_at = :t WHERE id = :c"), {"t": OLD, "c": idle}
        )
    return idle, live


def _read(path: Path) -> list[dict[str, object]]:
    with gzip.open(path, "rb") as handle:
        return [orjson.loads(line) for line in handle]


def test_cleanup_archives_then_deletes_old_turns(memory: SqlMemory, tmp_path: Path) -> None:
    idle, live = _scenario(memory)
    report = lifecycle.cleanup(memory.engine, 30, DirectorySink(tmp_path / "arch"))
    assert memory.get(idle) is None
    assert [t.user_message for t in memory.history(live)] == ["live 2"]
    assert report.deleted_turns == 3
    assert report.deleted_conversations == 1
    assert report.archived_turns == 3
    rows = [row for f in report.archive_files for row in _read(Path(f))]
    assert sorted((r["user_id"], r["content"]["user_message"]) for r in rows) == [  # type: ignore[index]
        ("alice", "idle 1"),
        ("alice", "idle 2"),
        ("bob", "live 1"),
    ]
    assert all(str(r["created_at"]).startswith(OLD.date().isoformat()) for r in rows)
    if memory.engine.dialect.name == "postgresql":
        old_month = f"messages_{OLD.year:04d}_{OLD.month:02d}"
        assert report.dropped_partitions == [old_month]
        with memory.engine.connect() as conn:
            assert conn.execute(text("SELECT to_regclass(:n)"), {"n": old_month}).scalar() is None
    again = lifecycle.cleanup(memory.engine, 30, DirectorySink(tmp_path / "arch"))
    assert (again.deleted_turns, again.archived_turns, again.archive_files) == (0, 0, [])


def test_cleanup_without_sink_only_deletes(memory: SqlMemory) -> None:
    idle, live = _scenario(memory)
    report = lifecycle.cleanup(memory.engine, 30)
    assert (report.deleted_turns, report.archived_turns) == (3, 0)
    assert memory.get(idle) is None
    assert memory.get(live) is not None


def test_recent_turns_survive_a_long_ttl(memory: SqlMemory) -> None:
    idle, live = _scenario(memory)
    report = lifecycle.cleanup(memory.engine, 365)
    assert report.deleted_turns == 0
    assert len(memory.history(idle)) == 2
    assert len(memory.history(live)) == 2


def test_cli_archive_needs_a_target_and_writes_files(memory: SqlMemory, tmp_path: Path) -> None:
    _scenario(memory)
    url = memory.engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    refused = runner.invoke(memory_app, ["archive", "--database-url", url])
    assert refused.exit_code != 0
    target = tmp_path / "cold"
    done = runner.invoke(
        memory_app,
        ["archive", "--database-url", url, "--after-days", "90", "--archive-url", str(target)],
    )
    assert done.exit_code == 0, done.output
    assert "archived_turns=3" in done.output
    assert sum(len(_read(f)) for f in target.glob("*.jsonl.gz")) == 3


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    moto_server = pytest.importorskip("moto.server", reason="moto[server] not installed")
    pytest.importorskip("boto3", reason="boto3 not installed")
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_archive_to_an_s3_bucket(tmp_path: Path, s3_endpoint: str) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    s3.create_bucket(Bucket="ree-archive")
    store = SqlMemory(f"sqlite:///{tmp_path / 'ree.db'}")
    try:
        _scenario(store)
        sink = open_sink("s3://ree-archive/memory/2025", endpoint_url=s3_endpoint)
        assert isinstance(sink, S3Sink)
        report = lifecycle.archive(store.engine, 90, sink)
    finally:
        store.close()
    (location,) = report.archive_files
    assert location.startswith("s3://ree-archive/memory/2025/messages_before_")
    key = location.removeprefix("s3://ree-archive/")
    body = s3.get_object(Bucket="ree-archive", Key=key)["Body"].read()
    lines = gzip.decompress(body).splitlines()
    assert len(lines) == report.archived_turns == 3


def test_open_sink_rejects_other_urls(tmp_path: Path) -> None:
    from ree.errors import InvalidInput

    assert isinstance(open_sink(str(tmp_path)), DirectorySink)
    assert isinstance(open_sink(f"file://{tmp_path}"), DirectorySink)
    for bad in ("http://example.invalid/x", "s3://"):
        with pytest.raises(InvalidInput):
            open_sink(bad)
