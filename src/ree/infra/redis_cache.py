"""`RedisCache`: the `Cache` protocol on Redis, shared by every API node.

Values are the same bytes `MemoryCache` holds, under `{prefix}{name}:{key}` with a
millisecond TTL (`SET PX`). Hits and misses go to the same Prometheus counters as the
in-process cache, labelled `cache="redis-<name>"`.

Redis down is not an error: a failing call counts as a miss (or a skipped write), and for
`retry_after_s` seconds afterwards the cache is bypassed without touching the network, so
a dead server costs one connection attempt per interval, not one per request. That pause is a
`RedisBreaker`, which several Redis-backed stores may share (the gateway's cache, limits,
cooldowns and ledger do).

Async callers (the `ree gateway` service) use `aget`/`aset` on a `redis.asyncio` client
(`PerLoop(async_redis_client, url)`: one client per event loop, as a client is bound to the
loop that created its connections), so no Redis call blocks the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from ree.infra.cache import CACHE_HITS, CACHE_MISSES

__all__ = [
    "PerLoop",
    "RedisBreaker",
    "RedisCache",
    "async_redis_client",
    "redis_client",
]

T = TypeVar("T")

_log = logging.getLogger(__name__)


def redis_client(url: str) -> Any:
    """A redis-py client for `url` with short timeouts (a cache must fail fast)."""
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=1.0, health_check_interval=30
    )


def async_redis_client(url: str) -> Any:
    """A `redis.asyncio` client for `url`, the same short timeouts as `redis_client`."""
    import redis.asyncio

    return redis.asyncio.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=1.0, health_check_interval=30
    )


class PerLoop(Generic[T]):
    """One object per running event loop, made by `factory(*args)` on first use in that loop
    (asyncio clients are bound to the loop of their connections)."""

    def __init__(self, factory: Callable[..., T], *args: Any) -> None:
        self._factory = factory
        self._args = args
        self._made: dict[int, tuple[asyncio.AbstractEventLoop, T]] = {}
        self._lock = threading.Lock()

    def get(self) -> T:
        """The object of the running loop."""
        loop = asyncio.get_running_loop()
        entry = self._made.get(id(loop))
        if entry is not None and entry[0] is loop:
            return entry[1]
        with self._lock:
            for key, (other, _) in list(self._made.items()):
                if other.is_closed():
                    del self._made[key]
            made = self._factory(*self._args)
            self._made[id(loop)] = (loop, made)
        return made

    async def aclose(self) -> None:
        """Close the running loop's object (`aclose()`), at shutdown."""
        entry = self._made.pop(id(asyncio.get_running_loop()), None)
        if entry is not None and hasattr(entry[1], "aclose"):
            await entry[1].aclose()


class RedisBreaker:
    """After a failed Redis call, callers skip Redis for `retry_after_s` (their in-process
    fallback answers), so a dead server costs one attempt per interval, not one per call."""

    def __init__(self, retry_after_s: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self.retry_after_s = retry_after_s
        self._clock = clock
        self._down_until = 0.0

    def closed(self) -> bool:
        """True when Redis may be called now."""
        return self._clock() >= self._down_until

    def failed(self, what: str, exc: BaseException) -> None:
        """Record a failure: Redis is skipped for the next `retry_after_s`."""
        self._down_until = self._clock() + self.retry_after_s
        _log.warning("redis.unreachable what=%s error=%s", what, type(exc).__name__)

    def call(self, what: str, method: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """`method(...)`, or None when open or when it fails."""
        if not self.closed():
            return None
        try:
            return method(*args, **kwargs)
        except Exception as exc:  # redis.RedisError, OSError: never fail a request
            self.failed(what, exc)
            return None

    async def acall(
        self, what: str, method: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any
    ) -> T | None:
        """`await method(...)`, or None when open or when it fails."""
        if not self.closed():
            return None
        try:
            return await method(*args, **kwargs)
        except Exception as exc:
            self.failed(what, exc)
            return None


class RedisCache:
    """A byte cache in Redis with the `Cache` protocol; bypassed while Redis is down."""

    def __init__(
        self,
        client: Any,
        name: str = "default",
        prefix: str = "ree:",
        retry_after_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        aclient: PerLoop[Any] | None = None,
        breaker: RedisBreaker | None = None,
    ) -> None:
        self.name = name
        self.namespace = f"{prefix}cache:{name}:"
        self.retry_after_s = retry_after_s
        self._client = client
        self._aclient = aclient
        self._breaker = breaker or RedisBreaker(retry_after_s, clock)
        self._lock = threading.Lock()
        self._counts = {"hits": 0, "misses": 0, "errors": 0, "bypassed": 0}
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

    async def aget(self, key: str) -> bytes | None:
        """`get` awaited on the async client (the sync one when none was given)."""
        if self._aclient is None:
            return self.get(key)
        value = await self._acall(self._aclient.get().get, self.namespace + key)
        if value is None:
            self._count("misses")
            self._miss_counter.inc()
            return None
        self._count("hits")
        self._hit_counter.inc()
        return bytes(value)

    async def aset(self, key: str, value: bytes, ttl_s: float) -> None:
        """`set` awaited on the async client."""
        if self._aclient is None or ttl_s <= 0:
            self.set(key, value, ttl_s)
            return
        px = max(1, int(ttl_s * 1000))
        await self._acall(self._aclient.get().set, self.namespace + key, value, px=px)

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
        if not self._breaker.closed():
            self._count("bypassed")
            return None
        try:
            return method(*args, **kwargs)
        except Exception as exc:  # redis.RedisError, OSError: bypass, never fail a request
            self._count("errors")
            self._breaker.failed(f"cache {self.name}", exc)
            return None

    async def _acall(self, method: Callable[..., Awaitable[Any]], *args: Any, **kw: Any) -> Any:
        if not self._breaker.closed():
            self._count("bypassed")
            return None
        try:
            return await method(*args, **kw)
        except Exception as exc:
            self._count("errors")
            self._breaker.failed(f"cache {self.name}", exc)
            return None

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1
