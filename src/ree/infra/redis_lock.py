"""One writer per conversation across processes: a Redis lock with a fencing token, and a
PostgreSQL advisory lock when Redis is down.

`RedisConversationLocks.acquire(conversation_id, timeout_s)` has the shape of
`ConversationLocks.acquire` and yields the fencing token::

    async with locks.acquire(cid, timeout_s=10) as token:
        ...  # load history, answer, append the turn (token goes into the turn's meta)

1. In process, turns queue on a `ConversationLocks` first: first in, first out, so one
   process never races itself and arrival order is kept.
2. Across processes: `INCR {prefix}fence:{id}` gives the token, then
   `SET {prefix}lock:{id} <token>:<random> NX PX lease_ms`, retried with a short backoff
   until the deadline, then `ree.errors.Conflict` (HTTP 409; nothing was written).
   Release is a Lua compare-and-delete, so a holder whose lease ran out never frees the
   next holder's lock.
3. Redis unreachable: `pg_advisory_lock(hashtext(id))` on a dedicated connection with
   `lock_timeout` (the same bound); without PostgreSQL, the in-process lock alone.

Whatever the lock, the memory's compare-and-set on the conversation version is the last
fence: a writer whose lease expired (or who locked by another path while Redis flapped)
gets `Conflict` on `append_turn` and cannot overwrite a newer turn.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from ree.errors import Conflict
from ree.infra.locks import DEFAULT_LOCK_TIMEOUT_S, ConversationLocks

__all__ = ["FENCE_TTL_MS", "AdvisoryLocks", "RedisConversationLocks"]

_log = logging.getLogger(__name__)

FENCE_TTL_MS = 7 * 24 * 3600 * 1000
"""An idle conversation's fence counter expires after a week (tokens restart at 1 then;
the version compare-and-set, not the token, is what rejects stale writers)."""

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
    return redis.call('del', KEYS[1])
end
return 0
"""


def _busy(conversation_id: str, wait_s: float) -> Conflict:
    return Conflict(
        f"conversation {conversation_id!r} is busy: an earlier message is still being "
        f"answered after {wait_s:g}s; try again shortly"
    )


class AdvisoryLocks:
    """Per-conversation PostgreSQL session advisory locks, each on its own connection."""

    def __init__(self, engine: Engine, max_held: int = 32) -> None:
        self._engine = create_engine(
            engine.url, pool_size=2, max_overflow=max_held, pool_pre_ping=True
        )

    @asynccontextmanager
    async def acquire(self, conversation_id: str, timeout_s: float) -> AsyncIterator[None]:
        """Hold `pg_advisory_lock(hashtext(conversation_id))`; `Conflict` past `timeout_s`."""
        conn = await asyncio.to_thread(self._lock, conversation_id, timeout_s)
        try:
            yield
        finally:
            await asyncio.to_thread(self._unlock, conn, conversation_id)

    def _lock(self, conversation_id: str, timeout_s: float) -> Connection:
        conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            conn.exec_driver_sql(f"SET lock_timeout = '{max(1, int(timeout_s * 1000))}ms'")
            conn.execute(text("SELECT pg_advisory_lock(hashtext(:id))"), {"id": conversation_id})
        except SQLAlchemyError as exc:
            conn.close()
            raise _busy(conversation_id, timeout_s) from exc
        return conn

    @staticmethod
    def _unlock(conn: Connection, conversation_id: str) -> None:
        try:
            conn.execute(text("SELECT pg_advisory_unlock(hashtext(:id))"), {"id": conversation_id})
            conn.exec_driver_sql("RESET lock_timeout")
        except SQLAlchemyError:
            conn.invalidate()  # closing the session releases its advisory locks
        finally:
            conn.close()

    def close(self) -> None:
        """Close the lock connections."""
        self._engine.dispose()


class RedisConversationLocks:
    """`ConversationLocks` across processes (see the module docstring)."""

    def __init__(
        self,
        client: Any,
        prefix: str = "ree:",
        lease_ms: int = 60_000,
        fallback: AdvisoryLocks | None = None,
        default_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
        retry_after_s: float = 2.0,
    ) -> None:
        if lease_ms < 100:
            raise ValueError(f"lease_ms must be >= 100, got {lease_ms}")
        self.prefix = prefix
        self.lease_ms = lease_ms
        self.fallback = fallback
        self.default_timeout_s = default_timeout_s
        self.retry_after_s = retry_after_s
        self.fallbacks = 0
        """How many acquisitions went to the fallback because Redis was unreachable."""
        self._client = client
        self._release = client.register_script(_RELEASE)
        self._local = ConversationLocks(default_timeout_s)
        self._down_until = 0.0

    @asynccontextmanager
    async def acquire(
        self, conversation_id: str, timeout_s: float | None = None
    ) -> AsyncIterator[int | None]:
        """Hold the conversation for the body; yields the fencing token (None on fallback)."""
        wait_s = self.default_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + wait_s
        async with self._local.acquire(conversation_id, wait_s):
            held = await self._redis_acquire(conversation_id, deadline, wait_s)
            if held is not None:
                try:
                    yield held[0]
                finally:
                    await asyncio.to_thread(self._redis_release, conversation_id, held[1])
                return
            self.fallbacks += 1
            if self.fallback is None:
                _log.warning("lock.redis_down fallback=in_process id=%s", conversation_id)
                yield None
                return
            remaining = max(deadline - time.monotonic(), 0.001)
            async with self.fallback.acquire(conversation_id, remaining):
                yield None

    def _key(self, kind: str, conversation_id: str) -> str:
        return f"{self.prefix}{kind}:{conversation_id}"

    async def _redis_acquire(
        self, conversation_id: str, deadline: float, wait_s: float
    ) -> tuple[int, str] | None:
        """(token, value) once the Redis lock is ours; None when Redis is unreachable."""
        if time.monotonic() < self._down_until:
            return None
        try:
            token = await asyncio.to_thread(self._next_token, conversation_id)
            value = f"{token}:{uuid.uuid4().hex}"
            pause = 0.005
            while not await asyncio.to_thread(self._try_set, conversation_id, value):
                if time.monotonic() + pause > deadline:
                    raise _busy(conversation_id, wait_s)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 0.05)
        except Conflict:
            raise
        except Exception as exc:  # redis.RedisError and socket errors: Redis is down
            _log.warning("lock.redis_unreachable error=%s", type(exc).__name__)
            self._down_until = time.monotonic() + self.retry_after_s
            return None
        return int(token), value

    def _next_token(self, conversation_id: str) -> int:
        """INCR the conversation's fence counter (kept FENCE_TTL_MS after its last use)."""
        pipe = self._client.pipeline(transaction=True)
        pipe.incr(self._key("fence", conversation_id))
        pipe.pexpire(self._key("fence", conversation_id), FENCE_TTL_MS)
        return int(pipe.execute()[0])

    def _try_set(self, conversation_id: str, value: str) -> bool:
        key = self._key("lock", conversation_id)
        return bool(self._client.set(key, value, nx=True, px=self.lease_ms))

    def _redis_release(self, conversation_id: str, value: str) -> None:
        try:
            self._release(keys=[self._key("lock", conversation_id)], args=[value])
        except Exception as exc:  # the lease will expire on its own
            _log.warning("lock.release_failed error=%s", type(exc).__name__)
