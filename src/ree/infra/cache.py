"""Byte caches behind one `Cache` protocol; `MemoryCache` is the in-process default.

Values are bytes so every backend (this one, Redis) stores the same thing; callers
serialise with orjson. Keys come from `cache_key(...)`, a stable hash of the parts, so the
same question maps to the same key in every process and on every machine.

Hits and misses are exported as Prometheus counters labelled by cache name:
`ree_cache_hits_total{cache="..."}` and `ree_cache_misses_total{cache="..."}`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol, runtime_checkable

import orjson
from prometheus_client import Counter
from pydantic import BaseModel

__all__ = ["CACHE_HITS", "CACHE_MISSES", "Cache", "MemoryCache", "cache_key"]

CACHE_HITS = Counter("ree_cache_hits", "Cache lookups that found a live value.", ["cache"])
CACHE_MISSES = Counter("ree_cache_misses", "Cache lookups that found nothing.", ["cache"])


@runtime_checkable
class Cache(Protocol):
    """A byte cache with per-entry time to live."""

    def get(self, key: str) -> bytes | None:
        """The live value under `key`, or None."""
        ...

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Store `value` for `ttl_s` seconds; `ttl_s <= 0` stores nothing (and drops `key`)."""
        ...

    def delete(self, key: str) -> None:
        """Forget `key` (no error when absent)."""
        ...

    def stats(self) -> dict[str, int]:
        """Counters since creation: at least `hits` and `misses`."""
        ...


class MemoryCache:
    """A thread-safe in-process cache: entries expire after their TTL; beyond `max_items`
    the least recently used entry is evicted.

    `clock` (seconds, monotonic) is injectable so expiry can be tested without sleeping.
    """

    def __init__(
        self,
        max_items: int = 10_000,
        name: str = "default",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_items < 1:
            raise ValueError(f"max_items must be >= 1, got {max_items}")
        self.name = name
        self.max_items = max_items
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = 0
        self._misses = 0
        self._evictions = 0
        self._expirations = 0
        self._hit_counter = CACHE_HITS.labels(cache=name)
        self._miss_counter = CACHE_MISSES.labels(cache=name)

    def get(self, key: str) -> bytes | None:
        """The live value under `key` (now the most recently used), or None."""
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] <= now:
                del self._entries[key]
                self._expirations += 1
                entry = None
            if entry is None:
                self._misses += 1
            else:
                self._entries.move_to_end(key)
                self._hits += 1
        if entry is None:
            self._miss_counter.inc()
            return None
        self._hit_counter.inc()
        return entry[1]

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Store `value` for `ttl_s` seconds, evicting the least recently used when full."""
        if ttl_s <= 0:
            self.delete(key)
            return
        expires = self._clock() + ttl_s
        with self._lock:
            self._entries[key] = (expires, bytes(value))
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_items:
                self._entries.popitem(last=False)
                self._evictions += 1

    def delete(self, key: str) -> None:
        """Forget `key`."""
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        """Forget every entry (counters are kept)."""
        with self._lock:
            self._entries.clear()

    def stats(self) -> dict[str, int]:
        """hits, misses, items held, LRU evictions and expired entries dropped."""
        with self._lock:
            return {
                "hits": self._hits,
                "misses": self._misses,
                "items": len(self._entries),
                "evictions": self._evictions,
                "expirations": self._expirations,
            }

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def cache_key(*parts: object) -> str:
    """A stable key for `parts`: the hash of their JSON (orjson, sorted keys).

    Dicts are order-insensitive, pydantic models count as their JSON dump, enums as their
    values, sets as their sorted members; anything orjson cannot serialise raises TypeError.
    """
    payload = orjson.dumps(parts, default=_jsonable, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def _jsonable(value: object) -> object:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, set | frozenset):
        return sorted(value, key=lambda item: orjson.dumps(item, default=_jsonable))
    raise TypeError(f"cache_key cannot serialise {type(value).__name__}")
