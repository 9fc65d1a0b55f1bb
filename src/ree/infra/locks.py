"""Per-conversation locks, in process: the turns of one conversation run one at a time.

`asyncio.Lock` wakes its waiters first in, first out, so turns of one conversation run in
the order they arrived; turns of different conversations never wait for each other. A lock
lives only while some task holds or waits for it, so the registry holds at most one entry per
conversation that is busy right now.

The registry belongs to one event loop (the API's); it is not meant to be shared by threads.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from ree.errors import Conflict

__all__ = ["DEFAULT_LOCK_TIMEOUT_S", "ConversationLocks"]

DEFAULT_LOCK_TIMEOUT_S = 30.0
"""How long a turn waits for the previous turns of its conversation by default."""


@dataclass(slots=True)
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0
    """Tasks holding or waiting for `lock`; the entry goes when it drops to zero."""


class ConversationLocks:
    """A registry of per-conversation `asyncio.Lock`s with a bounded wait.

    Usage::

        async with locks.acquire(conversation_id, timeout_s=10):
            ...  # load history, answer, append the turn
    """

    def __init__(self, default_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> None:
        if default_timeout_s <= 0:
            raise ValueError(f"default_timeout_s must be > 0, got {default_timeout_s}")
        self.default_timeout_s = default_timeout_s
        self._entries: dict[str, _Entry] = {}

    @asynccontextmanager
    async def acquire(
        self, conversation_id: str, timeout_s: float | None = None
    ) -> AsyncIterator[None]:
        """Hold the conversation's lock for the body of the `async with`.

        Raises `Conflict` when the lock is not free within `timeout_s` seconds (default:
        `default_timeout_s`); a task cancelled while waiting leaves the queue cleanly.
        """
        wait_s = self.default_timeout_s if timeout_s is None else timeout_s
        if wait_s <= 0:
            raise ValueError(f"timeout_s must be > 0, got {wait_s}")
        entry = self._entries.get(conversation_id)
        if entry is None:
            entry = self._entries[conversation_id] = _Entry()
        entry.users += 1
        try:
            await self._wait(entry.lock, conversation_id, wait_s)
            try:
                yield
            finally:
                entry.lock.release()
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[conversation_id]

    def busy(self, conversation_id: str) -> bool:
        """True while a task holds or waits for the conversation's lock."""
        return conversation_id in self._entries

    def __len__(self) -> int:
        """How many conversations have a task holding or waiting for their lock."""
        return len(self._entries)

    @staticmethod
    async def _wait(lock: asyncio.Lock, conversation_id: str, wait_s: float) -> None:
        try:
            async with asyncio.timeout(wait_s):
                await lock.acquire()
        except TimeoutError:
            raise Conflict(
                f"conversation {conversation_id!r} is busy: an earlier message is still being "
                f"answered after {wait_s:g}s; try again shortly"
            ) from None
