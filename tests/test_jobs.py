"""Lifecycle jobs: the task functions run directly, by the embedded scheduler, and by a real
Celery worker on the test Redis."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from ree.config import Settings
from ree.jobs import tasks
from ree.jobs.scheduler import EmbeddedScheduler
from ree.memory.base import Turn
from ree.memory.schema import conversations, messages
from ree.memory.sqlite import SqlMemory
from ree.models import ConversationState


def _seed(url: str, old: int, new: int) -> None:
    """`old` conversations last written 60 days ago and `new` ones written now."""
    memory = SqlMemory(url)
    try:
        then = datetime.now(UTC) - timedelta(days=60)
        for i in range(old + new):
            conv = memory.create()
            memory.append_turn(conv.id, Turn(f"q{i}", f"a{i}", "search", ConversationState()), 0)
            if i < old:
                with memory.engine.begin() as conn:
                    conn.execute(
                        update(messages)
                        .where(messages.c.conversation_id == conv.id)
                        .values(created_at=then)
                    )
                    conn.execute(
                        update(conversations)
                        .where(conversations.c.id == conv.id)
                        .values(updated_at=then)
                    )
    finally:
        memory.close()


def _count(url: str) -> int:
    memory = SqlMemory(url)
    try:
        with memory.engine.connect() as conn:
            return len(conn.execute(conversations.select()).all())
    finally:
        memory.close()


def test_task_functions_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ree.db'}"
    _seed(url, old=3, new=2)
    settings = Settings(data_dir=tmp_path, database_url=url)
    assert tasks.create_partitions(settings) == {"skipped": "not applicable on sqlite"}
    assert tasks.archive(settings) == {"skipped": "REE_MEMORY_ARCHIVE_URL is not set"}
    report = tasks.cleanup(settings)
    assert report["deleted_turns"] == 3 and report["deleted_conversations"] == 3
    assert _count(url) == 2
    archived = Settings(
        data_dir=tmp_path,
        database_url=url,
        memory_archive_url=str(tmp_path / "arch"),
        memory_archive_after_days=1,
    )
    _seed(url, old=1, new=0)
    assert tasks.archive(archived)["archived_turns"] == 1
    assert list((tmp_path / "arch").glob("*.jsonl.gz"))


def test_task_functions_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    from ree.memory.postgres import partitions

    settings = Settings(data_dir=tmp_path, database_url=postgres_url)
    report = tasks.run_daily(settings)
    assert "made" in report["partitions"] and "error" not in report["cleanup"]
    memory = SqlMemory(postgres_url)
    try:
        with memory.engine.connect() as conn:
            names = partitions(conn)
    finally:
        memory.close()
    ahead = datetime.now(UTC).replace(day=1) + timedelta(days=95)
    assert f"messages_{ahead:%Y_%m}" in names  # three months ahead exist


def test_embedded_scheduler_runs_and_stops(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ree.db'}"
    _seed(url, old=2, new=1)
    scheduler = EmbeddedScheduler(
        Settings(data_dir=tmp_path, database_url=url), interval_s=0.05, first_delay_s=0
    )

    async def run() -> None:
        scheduler.start()
        for _ in range(400):
            if scheduler.runs >= 2:
                break
            await asyncio.sleep(0.05)
        await scheduler.stop()

    asyncio.run(run())
    assert scheduler.runs >= 2 and not scheduler.running
    assert scheduler.last is not None and scheduler.last["cleanup"].get("deleted_turns") == 0
    assert _count(url) == 1  # the first run deleted the two old conversations


def test_celery_worker_runs_the_tasks(redis_url: str, tmp_path: Path) -> None:
    import uuid

    from ree.jobs.celery_app import make_celery

    url = f"sqlite:///{tmp_path / 'ree.db'}"
    _seed(url, old=2, new=1)
    prefix = f"ree-test-{uuid.uuid4().hex[:8]}:"
    env = {
        **os.environ,
        "REE_REDIS_URL": redis_url,
        "REE_DATABASE_URL": url,
        "REE_DATA_DIR": str(tmp_path),
        "REE_REDIS_PREFIX": prefix,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ree.jobs.celery_app",
            "worker",
            "--pool=solo",
            "--queues=ree",
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    client = make_celery(Settings(redis_url=redis_url, redis_prefix=prefix, database_url=url))
    try:
        started = time.monotonic()
        cleaned = client.send_task("ree.memory.cleanup").get(timeout=60)
        assert cleaned["deleted_conversations"] == 2
        parts = client.send_task("ree.memory.partitions").get(timeout=30)
        assert parts == {"skipped": "not applicable on sqlite"}
        assert time.monotonic() - started < 90
        assert _count(url) == 1
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        client.close()
        from services import drop_prefix

        drop_prefix(redis_url, prefix)


def test_cli_refuses_without_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    import typer
    from typer.testing import CliRunner

    from ree.cli_jobs import beat, worker

    monkeypatch.delenv("REE_REDIS_URL", raising=False)
    app = typer.Typer()
    app.command("worker")(worker)
    app.command("beat")(beat)
    for command in ("worker", "beat"):
        result = CliRunner().invoke(app, [command])
        assert result.exit_code == 2
        assert "REE_REDIS_URL" in result.output


def _index_copy(demo_data_dir: Path, tmp_path: Path) -> Settings:
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir, data_dir)
    shutil.rmtree(data_dir / "price_model", ignore_errors=True)
    for db in data_dir.glob("ree.db*"):
        db.unlink()
    return Settings(data_dir=data_dir)


def test_refit_price_model_only_when_the_index_changed(demo_data_dir: Path, tmp_path: Path) -> None:
    from ree.ingest.demo import generate
    from ree.listings.pricing import PriceModel
    from ree.search.factory import open_search

    settings = _index_copy(demo_data_dir, tmp_path)
    first = tasks.refit_price_model(settings)
    assert first["rows"] > 300 and first["signature"].startswith("600|")
    model = PriceModel.load(settings.data_dir / "price_model")
    assert model is not None and model.signature == first["signature"]
    again = tasks.refit_price_model(settings)
    assert again["skipped"] == "the index has not changed"
    search = open_search(settings)
    try:
        fresh = [
            x.model_copy(update={"id": f"demo:new-{i}", "crawled_at": datetime.now(UTC)})
            for i, x in enumerate(generate(3, seed=99))
        ]
        search.upsert(fresh)
        changed = tasks.refit_price_model(settings, search=search)
    finally:
        search.close()
    assert changed["signature"].startswith("603|")
    forced = tasks.refit_price_model(settings, force=True)
    assert forced["rows"] == changed["rows"]


def test_embedded_scheduler_refits_the_price_model(demo_data_dir: Path, tmp_path: Path) -> None:
    from ree.search.factory import open_search

    settings = _index_copy(demo_data_dir, tmp_path)
    search = open_search(settings)
    scheduler = EmbeddedScheduler(
        settings, interval_s=3600, first_delay_s=0, search=search, refit_interval_s=0.05
    )

    async def run() -> None:
        scheduler.start()
        for _ in range(600):
            if scheduler.refits >= 2:
                break
            await asyncio.sleep(0.05)
        await scheduler.stop()

    try:
        asyncio.run(run())
    finally:
        search.close()
    assert scheduler.refits >= 2
    assert (settings.data_dir / "price_model").is_dir()
    assert scheduler.last_refit == {
        "skipped": "the index has not changed",
        "signature": scheduler.last_refit["signature"],  # type: ignore[index]
    }
