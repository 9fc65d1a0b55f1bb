"""History cache: the last turns of a conversation, keyed by conversation id and version.

A conversation's version counts its turns, so the key `(id, version)` names one immutable
history: a write bumps the version and the next read misses by construction; no reader can
be served a history older than the version it holds. `HistoryCachingStore` also deletes the
entry of the version it replaces on every write (and on delete), so dead entries do not wait
for their TTL, and writes the new version's entry through (old pairs + the new turn), so the
next turn of a conversation is a hit on any node. Values are the `(user message, answer)`
pairs the model sees, as JSON.

The cache behind it is any `Cache`: `RedisCache(name="history")` when `REE_REDIS_URL` is set,
else `MemoryCache(name="history")`; both export `ree_cache_hits_total{cache=...}`.
"""

from __future__ import annotations

import orjson

from ree.infra.cache import Cache, cache_key
from ree.memory.base import Conversation, ConversationStore, Turn

__all__ = ["HistoryCache", "HistoryCachingStore"]

Pairs = list[tuple[str, str]]


class HistoryCache:
    """The last `limit` turns of `(id, version)` as (message, answer) pairs, cached."""

    def __init__(self, cache: Cache, limit: int = 10, ttl_s: float = 900.0) -> None:
        if limit < 1:
            raise ValueError(f"limit must be >= 1, got {limit}")
        self.cache = cache
        self.limit = limit
        self.ttl_s = ttl_s

    def key(self, conversation_id: str, version: int) -> str:
        """The cache key of one conversation at one version."""
        return cache_key("history", conversation_id, version, self.limit)

    def pairs(self, store: ConversationStore, conversation_id: str, version: int) -> Pairs:
        """The history at `version`: from the cache, else from `store` (then cached)."""
        key = self.key(conversation_id, version)
        raw = self.cache.get(key)
        if raw is not None:
            return [(str(u), str(a)) for u, a in orjson.loads(raw)]
        turns = store.history(conversation_id, self.limit)
        pairs = [(t.user_message, t.answer) for t in turns]
        if not turns or turns[-1].seq == version:  # never cache under a version it is not
            self.cache.set(key, orjson.dumps(pairs), self.ttl_s)
        return pairs

    def advance(self, conversation_id: str, version: int, turn: Turn) -> None:
        """After a successful write `version -> version + 1`: the entry of `version` (when
        held, or empty at version 0) plus `turn` becomes the entry of `version + 1`, and the
        old entry is dropped. The CAS write proved nothing came between them."""
        key = self.key(conversation_id, version)
        raw = self.cache.get(key) if version > 0 else b"[]"
        if raw is not None:
            pairs = [(str(u), str(a)) for u, a in orjson.loads(raw)]
            pairs = [*pairs, (turn.user_message, turn.answer)][-self.limit :]
            nxt = self.key(conversation_id, version + 1)
            self.cache.set(nxt, orjson.dumps(pairs), self.ttl_s)
        self.forget(conversation_id, version)

    def forget(self, conversation_id: str, version: int) -> None:
        """Drop the entry of `(conversation_id, version)`."""
        self.cache.delete(self.key(conversation_id, version))


class HistoryCachingStore:
    """A `ConversationStore` that keeps a `HistoryCache` clean: every write and delete drops
    the entry it makes stale. Reads other than `cached_pairs` go straight to `inner`."""

    def __init__(self, inner: ConversationStore, history: HistoryCache) -> None:
        self.inner = inner
        self.history_cache = history

    def cached_pairs(self, conversation_id: str, version: int) -> Pairs:
        """The history for the model at `version` through the cache."""
        return self.history_cache.pairs(self.inner, conversation_id, version)

    def create(
        self, user_id: str | None = None, conversation_id: str | None = None
    ) -> Conversation:
        """See `ConversationStore.create`."""
        return self.inner.create(user_id, conversation_id)

    def get(self, conversation_id: str) -> Conversation | None:
        """See `ConversationStore.get`."""
        return self.inner.get(conversation_id)

    def history(self, conversation_id: str, limit: int = 10) -> list[Turn]:
        """See `ConversationStore.history` (uncached: callers get full `Turn`s)."""
        return self.inner.history(conversation_id, limit)

    def append_turn(self, conversation_id: str, turn: Turn, expected_version: int) -> int:
        """Store the turn, then move the cached history to the new version (write-through)
        and drop the entry of the version it replaced."""
        version = self.inner.append_turn(conversation_id, turn, expected_version)
        if version == expected_version + 1:
            self.history_cache.advance(conversation_id, expected_version, turn)
        else:
            self.history_cache.forget(conversation_id, expected_version)
        return version

    def delete(self, conversation_id: str) -> bool:
        """Delete the conversation and its cached history."""
        conv = self.inner.get(conversation_id)
        gone = self.inner.delete(conversation_id)
        if conv is not None:
            self.history_cache.forget(conversation_id, conv.version)
        return gone

    def ping(self) -> bool:
        """See `ConversationStore.ping`."""
        return self.inner.ping()

    def close(self) -> None:
        """Close the inner store."""
        self.inner.close()
