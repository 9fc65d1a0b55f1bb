"""`RedisCache`: the `Cache` protocol on Redis, shared by every API node.

Values are the same bytes `MemoryCache` holds, under `{prefix}{name}:{key}` with a
millisecond TTL (`SET PX`). Hits and misses go to the same Prometheus counters as the
in-process cache, labelled `cache="redis-<name>"`.

Redis down is not an error: a failing call counts as a miss (or a skipped write), and for
`retry_after_s` seconds afterwards the cache is bypassed without touching the network, so
a dead server costs one connection attempt per interval, not one per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from ree.infra.cache import CACHE_HITS, CACHE_MISSES

__all__ = ["RedisCache", "redis_client"]

_log = logging.getLogger(__name__)


def redis_client(url: str) -> Any:
    """A redis-py client for `url` with short timeouts (a cache must fail fast)."""
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=1.0, health_check_interval=30
    )


class RedisCache:
    """A byte cache in Redis with the `Cache` protocol; bypassed while Redis is down."""

    def __init__(
        self,
        client: Any,
        name: str = "default",
        prefix: str = "ree:",
        retry_after_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.namespace = f"{prefix}cache:{name}:"
        self.retry_after_s = retry_after_s
        self._client = client
        self._clock = clock
        self._lock = threading.Lock()
        self._counts = {"hits": 0, "misses": 0, "errors": 0, "bypassed": 0}
        self._down_until = 0.0
        self._hit_counter = CACHE_HITS.labels(cache=f"redis-{name}")
        self._miss_counter = CACHE_MISSES.labels(cache=f"redis-{name}")

    def get(self, key: str) -> bytes | None:
        """The live value under `key`, or None (also when Redis is unreachable)."""
        value = self._call(self._client.get, self.namespace + key)
        if value is None:
            self._count("misses")
            self._miss_counter.inc()
            return None
        self._count("hits")
        self._hit_counter.inc()
        return bytes(value)

    def set(self, key: str, value: bytes, ttl_s: float) -> None:
        """Store `value` for `ttl_s` seconds; `ttl_s <= 0` drops `key`."""
        if ttl_s <= 0:
            self.delete(key)
            return
        self._call(self._client.set, self.namespace + key, value, px=max(1, int(ttl_s * 1000)))

    def delete(self, key: str) -> None:
        """Forget `key`."""
        self._call(self._client.delete, self.namespace + key)

    def clear(self) -> None:
        """Forget every entry of this cache (its namespace only; counters are kept)."""
        self._call(self._clear)

    def stats(self) -> dict[str, int]:
        """hits, misses, errors (failed calls) and bypassed (calls skipped while down)."""
        with self._lock:
            return dict(self._counts)

    def ping(self) -> bool:
        """True when Redis answers now."""
        return bool(self._call(self._client.ping))

    def _clear(self) -> None:
        batch: list[Any] = []
        for key in self._client.scan_iter(match=self.namespace + "*", count=500):
            batch.append(key)
            if len(batch) >= 500:
                self._client.unlink(*batch)
                batch.clear()
        if batch:
            self._client.unlink(*batch)

    def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._clock() < self._down_until:
            self._count("bypassed")
            return None
        try:
            return method(*args, **kwargs)
        except Exception as exc:  # redis.RedisError, OSError: bypass, never fail a request
            self._count("errors")
            self._down_until = self._clock() + self.retry_after_s
            _log.warning("cache.redis_unreachable cache=%s error=%s", self.name, type(exc).__name__)
            return None

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1
