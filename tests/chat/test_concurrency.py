"""One writer per conversation, end to end through `Assistant.turns.handle`.

- 10 messages sent at once to one conversation, 50 times: every run stores 10 turns (each
  turn holds a message and its answer: the 20 messages), in arrival order, none duplicated;
  with the embedded defaults (SQLite, in-process locks) and with PostgreSQL + Redis.
- A process killed between the two statements of a turn's save leaves no partial turn.
- Redis stopped mid-test: turns still complete (advisory lock), the cache is bypassed.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ree.chat.service import Assistant
from ree.config import Settings
from ree.memory.base import Turn
from ree.memory.sqlite import SqlMemory
from ree.models import ConversationState

RUNS = 50
MESSAGES = [
    "Tìm căn hộ 2PN Quận 7 dưới 4 tỷ",
    "rẻ hơn chút",
    "còn ở Bình Thạnh?",
    "có hồ bơi không",
    "so sánh căn 1 và căn 2",
    "căn thứ 2 giá có hợp lý không?",
    "giá căn hộ Quận 2 bao nhiêu một m2?",
    "nhà phố Gò Vấp 3 phòng ngủ",
    "thuê căn hộ Quận 1 15 triệu/tháng",
    "cảm ơn",
]


def _data_dir(demo_data_dir: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir, data_dir)
    for db in data_dir.glob("ree.db*"):
        db.unlink()
    return data_dir


@pytest.fixture
def embedded(demo_data_dir: Path, tmp_path: Path) -> Iterator[Assistant]:
    assistant = Assistant.open(Settings(data_dir=_data_dir(demo_data_dir, tmp_path)))
    yield assistant
    assistant.close()


@pytest.fixture
def served(
    demo_data_dir: Path, tmp_path: Path, postgres_url: str, redis_url: str
) -> Iterator[Assistant]:
    from services import drop_prefix, unique_prefix

    settings = Settings(
        data_dir=_data_dir(demo_data_dir, tmp_path),
        database_url=postgres_url,
        redis_url=redis_url,
        redis_prefix=unique_prefix("chat"),
    )
    assistant = Assistant.open(settings)
    yield assistant
    assistant.close()
    drop_prefix(redis_url, settings.redis_prefix)


async def _burst(assistant: Assistant, user: str) -> str:
    cid = assistant.memory.create(user_id=user).id
    tagged = [f"{text} (#{i})" for i, text in enumerate(MESSAGES)]
    await asyncio.gather(*(assistant.turns.handle(m, cid, user) for m in tagged))
    turns = assistant.memory.history(cid, limit=100)
    assert [t.user_message for t in turns] == tagged  # all, in arrival order, once each
    assert [t.seq for t in turns] == list(range(1, 11))
    assert all(t.answer for t in turns)
    stored = assistant.memory.get(cid)
    assert stored is not None and stored.version == 10
    return cid


async def test_bursts_with_embedded_defaults(embedded: Assistant) -> None:
    for run in range(RUNS):
        await _burst(embedded, f"user-{run}")


async def test_bursts_with_postgres_and_redis(served: Assistant) -> None:
    assert type(served.locks).__name__ == "RedisConversationLocks"
    for run in range(RUNS):
        cid = await _burst(served, f"user-{run}")
    fences = [t.meta.get("fence") for t in served.memory.history(cid)]
    assert all(isinstance(f, int) for f in fences) and fences == sorted(fences)


async def test_redis_stopped_turns_still_complete(
    demo_data_dir: Path, tmp_path: Path, postgres_url: str, private_redis: Any
) -> None:
    settings = Settings(
        data_dir=_data_dir(demo_data_dir, tmp_path),
        database_url=postgres_url,
        redis_url=private_redis.url,
    )
    assistant = Assistant.open(settings)
    try:
        cid = assistant.memory.create(user_id="u").id
        await assistant.turns.handle(MESSAGES[0], cid, "u")
        before = assistant.cache.stats()
        assert before["misses"] >= 1 and before.get("errors") == 0
        private_redis.stop()
        later = [f"{m} (sau)" for m in MESSAGES[:4]]
        await asyncio.gather(*(assistant.turns.handle(m, cid, "u") for m in later))
        turns = assistant.memory.history(cid, limit=100)
        assert [t.user_message for t in turns] == [MESSAGES[0], *later]
        assert getattr(assistant.locks, "fallbacks", 0) == 4
        after = assistant.cache.stats()
        assert after["errors"] >= 1
        assert after["hits"] == before["hits"]
    finally:
        assistant.close()


_KILLED_WRITER = """
import sys, time
import ree.memory.sqlite as memory
from ree.memory.base import Turn
from ree.models import ConversationState

store = memory.SqlMemory(sys.argv[1])

def pause() -> None:
    print("inside", flush=True)
    time.sleep(120)

memory.after_version_update = pause
store.append_turn(sys.argv[2], Turn("killed", "never", "search", ConversationState()), 1)
"""


def _kill_mid_save(url: str) -> None:
    store = SqlMemory(url)
    try:
        cid = store.create().id
        store.append_turn(cid, Turn("first", "ok", "search", ConversationState()), 0)
        proc = subprocess.Popen(
            [sys.executable, "-c", _KILLED_WRITER, url, cid], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "inside"  # version updated, turn not inserted
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
        got = store.get(cid)
        assert got is not None and got.version == 1
        assert [t.user_message for t in store.history(cid)] == ["first"]
        assert store.append_turn(cid, Turn("next", "ok", "search", ConversationState()), 1) == 2
        assert [t.seq for t in store.history(cid)] == [1, 2]
    finally:
        store.close()


def test_killed_mid_save_leaves_no_partial_turn_sqlite(tmp_path: Path) -> None:
    _kill_mid_save(f"sqlite:///{tmp_path / 'ree.db'}")


def test_killed_mid_save_leaves_no_partial_turn_postgres(postgres_url: str) -> None:
    _kill_mid_save(postgres_url)
