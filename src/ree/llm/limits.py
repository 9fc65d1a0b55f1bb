"""Rate limits, daily budgets and deployment cooldowns: in-process, or shared through Redis.

Rate limits are token buckets per subject (a user id or an API key): one for requests per
minute, one for tokens per minute. Budgets count tokens per subject per UTC day. A refused
request raises `RateLimited` with the seconds until it would pass (the API turns that into
429 + `Retry-After`).

Cooldowns: a deployment that failed is skipped for a while, by every replica when Redis is
shared. Redis errors never fail a request: limits and cooldowns then fall back to the
in-process state of this replica (so limits stay enforced, per replica, while Redis is down),
and a shared `RedisBreaker` skips Redis for a few seconds after a failure.

The service awaits `Limiter.aadmit`/`aspent` and the `a…` methods of the Redis stores, which
use a `redis.asyncio` client: no Redis call blocks its event loop. In-process stores have
only the sync methods (a lock and a dict: nothing to await).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from ree.errors import RateLimited
from ree.infra.redis_cache import PerLoop, RedisBreaker

__all__ = [
    "Buckets",
    "Cooldowns",
    "Limiter",
    "MemoryBuckets",
    "MemoryCooldowns",
    "RedisBuckets",
    "RedisCooldowns",
]

_log = logging.getLogger(__name__)


class Buckets(Protocol):
    """Token buckets and day counters keyed by name."""

    def take(self, key: str, amount: float, capacity: float, per_s: float) -> float:
        """Take `amount` if available: 0.0; else the seconds until it would be (nothing taken)."""
        ...

    def add_day(self, key: str, amount: int) -> int:
        """Add to today's counter under `key`; the new total."""
        ...

    def day(self, key: str) -> int:
        """Today's counter under `key`."""
        ...


class MemoryBuckets:
    """Buckets in this process (thread-safe)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._state: dict[str, tuple[float, float]] = {}
        self._days: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, key: str, amount: float, capacity: float, per_s: float) -> float:
        """See `Buckets.take`."""
        now = self._clock()
        with self._lock:
            level, at = self._state.get(key, (capacity, now))
            level = min(capacity, level + (now - at) * per_s)
            if level >= amount:
                self._state[key] = (level - amount, now)
                return 0.0
            self._state[key] = (level, now)
        return (amount - level) / per_s if per_s > 0 else math.inf

    def add_day(self, key: str, amount: int) -> int:
        """See `Buckets.add_day`."""
        with self._lock:
            full = f"{_today()}:{key}"
            self._days[full] = self._days.get(full, 0) + amount
            return self._days[full]

    def day(self, key: str) -> int:
        """See `Buckets.day`."""
        with self._lock:
            return self._days.get(f"{_today()}:{key}", 0)


# KEYS[1] bucket hash; ARGV amount, capacity, per_s. Time from the server: one clock for all.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local amount, cap, rate = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(s[1]) or cap
local at = tonumber(s[2]) or now
level = math.min(cap, level + (now - at) * rate)
local wait = 0
if level >= amount then level = level - amount else wait = (amount - level) / rate end
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 1000)
return tostring(wait)
"""


class RedisBuckets:
    """Buckets in Redis (one Lua script per take: atomic across replicas); falls back to an
    in-process `MemoryBuckets` while Redis is unreachable."""

    def __init__(
        self,
        client: Any,
        prefix: str = "ree:",
        aclient: PerLoop[Any] | None = None,
        breaker: RedisBreaker | None = None,
    ) -> None:
        self._client = client
        self._aclient = aclient
        self._breaker = breaker or RedisBreaker()
        self._prefix = f"{prefix}llm:limit:"
        self._script = client.register_script(_TAKE)
        self._ascripts: PerLoop[Any] | None = (
            PerLoop(lambda: aclient.get().register_script(_TAKE)) if aclient else None
        )
        self._fallback = MemoryBuckets()

    def take(self, key: str, amount: float, capacity: float, per_s: float) -> float:
        """See `Buckets.take`."""
        got = self._breaker.call(
            "limits", self._script, keys=[self._prefix + key], args=[amount, capacity, per_s]
        )
        if got is None:  # redis down: limit in-process rather than fail
            return self._fallback.take(key, amount, capacity, per_s)
        return float(got)

    async def atake(self, key: str, amount: float, capacity: float, per_s: float) -> float:
        """`take` awaited on the async client."""
        if self._ascripts is None:
            return self.take(key, amount, capacity, per_s)
        got = await self._breaker.acall(
            "limits",
            self._ascripts.get(),
            keys=[self._prefix + key],
            args=[amount, capacity, per_s],
        )
        if got is None:
            return self._fallback.take(key, amount, capacity, per_s)
        return float(got)

    def add_day(self, key: str, amount: int) -> int:
        """See `Buckets.add_day`."""
        full = f"{self._prefix}day:{_today()}:{key}"

        def run() -> int:
            pipe = self._client.pipeline()
            pipe.incrby(full, amount)
            pipe.expire(full, 2 * 86400)
            return int(pipe.execute()[0])

        got = self._breaker.call("limits", run)
        return self._fallback.add_day(key, amount) if got is None else got

    async def aadd_day(self, key: str, amount: int) -> int:
        """`add_day` awaited on the async client."""
        if self._aclient is None:
            return self.add_day(key, amount)
        full = f"{self._prefix}day:{_today()}:{key}"
        client = self._aclient.get()

        async def run() -> int:
            async with client.pipeline(transaction=True) as pipe:
                pipe.incrby(full, amount)
                pipe.expire(full, 2 * 86400)
                return int((await pipe.execute())[0])

        got = await self._breaker.acall("limits", run)
        return self._fallback.add_day(key, amount) if got is None else got

    def day(self, key: str) -> int:
        """See `Buckets.day`."""
        if not self._breaker.closed():
            return self._fallback.day(key)
        try:
            return int(self._client.get(f"{self._prefix}day:{_today()}:{key}") or 0)
        except Exception as exc:
            self._breaker.failed("limits", exc)
            return self._fallback.day(key)

    async def aday(self, key: str) -> int:
        """`day` awaited on the async client."""
        if self._aclient is None:
            return self.day(key)
        if not self._breaker.closed():
            return self._fallback.day(key)
        try:
            return int(await self._aclient.get().get(f"{self._prefix}day:{_today()}:{key}") or 0)
        except Exception as exc:
            self._breaker.failed("limits", exc)
            return self._fallback.day(key)


def _today() -> str:
    return datetime.now(UTC).strftime("%Y%m%d")


class Limiter:
    """Requests and tokens per minute and tokens per day, per subject; 0 disables a limit."""

    def __init__(
        self,
        buckets: Buckets,
        requests_per_min: int = 0,
        tokens_per_min: int = 0,
        tokens_per_day: int = 0,
    ) -> None:
        self.buckets = buckets
        self.rpm = requests_per_min
        self.tpm = tokens_per_min
        self.tpd = tokens_per_day

    def admit(self, subject: str, tokens: int) -> None:
        """Admit a request of about `tokens` for `subject` or raise `RateLimited`."""
        if self.tpd and self.buckets.day(f"tokens:{subject}") + tokens > self.tpd:
            raise RateLimited(f"daily token budget of {self.tpd} reached", _seconds_to_midnight())
        if self.rpm:
            wait = self.buckets.take(f"rpm:{subject}", 1, self.rpm, self.rpm / 60)
            if wait > 0:
                raise RateLimited(f"more than {self.rpm} requests a minute", wait)
        if self.tpm:
            ask = min(tokens, self.tpm)
            wait = self.buckets.take(f"tpm:{subject}", ask, self.tpm, self.tpm / 60)
            if wait > 0:
                raise RateLimited(f"more than {self.tpm} tokens a minute", wait)

    def spent(self, subject: str, tokens: int) -> None:
        """Count tokens actually used against today's budget."""
        if self.tpd and tokens > 0:
            self.buckets.add_day(f"tokens:{subject}", tokens)

    async def aadmit(self, subject: str, tokens: int) -> None:
        """`admit` awaited: the stores' async methods when they have them."""
        b: Any = self.buckets
        if not hasattr(b, "atake"):
            self.admit(subject, tokens)
            return
        if self.tpd and await b.aday(f"tokens:{subject}") + tokens > self.tpd:
            raise RateLimited(f"daily token budget of {self.tpd} reached", _seconds_to_midnight())
        if self.rpm:
            wait = await b.atake(f"rpm:{subject}", 1, self.rpm, self.rpm / 60)
            if wait > 0:
                raise RateLimited(f"more than {self.rpm} requests a minute", wait)
        if self.tpm:
            ask = min(tokens, self.tpm)
            wait = await b.atake(f"tpm:{subject}", ask, self.tpm, self.tpm / 60)
            if wait > 0:
                raise RateLimited(f"more than {self.tpm} tokens a minute", wait)

    async def aspent(self, subject: str, tokens: int) -> None:
        """`spent` awaited."""
        b: Any = self.buckets
        if not self.tpd or tokens <= 0:
            return
        if hasattr(b, "aadd_day"):
            await b.aadd_day(f"tokens:{subject}", tokens)
        else:
            b.add_day(f"tokens:{subject}", tokens)

    @property
    def active(self) -> bool:
        """Whether any limit is on (none: admitting costs nothing)."""
        return bool(self.rpm or self.tpm or self.tpd)


def _seconds_to_midnight() -> float:
    now = datetime.now(UTC)
    return float(86400 - (now.hour * 3600 + now.minute * 60 + now.second))


class Cooldowns(Protocol):
    """Deployments to skip for a while."""

    def cool(self, deployment: str, seconds: float) -> None:
        """Skip `deployment` for `seconds`."""
        ...

    def cooling(self, deployment: str) -> bool:
        """True while `deployment` is cooling down."""
        ...


class MemoryCooldowns:
    """Cooldowns in this process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}

    def cool(self, deployment: str, seconds: float) -> None:
        """See `Cooldowns.cool`."""
        self._until[deployment] = max(self._until.get(deployment, 0.0), self._clock() + seconds)

    def cooling(self, deployment: str) -> bool:
        """See `Cooldowns.cooling`."""
        return self._until.get(deployment, 0.0) > self._clock()


class RedisCooldowns:
    """Cooldowns shared by every replica (`SET PX`); in-process while Redis is down."""

    def __init__(
        self,
        client: Any,
        prefix: str = "ree:",
        aclient: PerLoop[Any] | None = None,
        breaker: RedisBreaker | None = None,
    ) -> None:
        self._client = client
        self._aclient = aclient
        self._breaker = breaker or RedisBreaker()
        self._prefix = f"{prefix}llm:cooldown:"
        self._fallback = MemoryCooldowns()

    def cool(self, deployment: str, seconds: float) -> None:
        """See `Cooldowns.cool`."""
        self._fallback.cool(deployment, seconds)
        px = max(1, int(seconds * 1000))
        self._breaker.call("cooldowns", self._client.set, self._prefix + deployment, b"1", px=px)

    async def acool(self, deployment: str, seconds: float) -> None:
        """`cool` awaited on the async client."""
        if self._aclient is None:
            self.cool(deployment, seconds)
            return
        self._fallback.cool(deployment, seconds)
        px = max(1, int(seconds * 1000))
        client = self._aclient.get()
        await self._breaker.acall("cooldowns", client.set, self._prefix + deployment, b"1", px=px)

    def cooling(self, deployment: str) -> bool:
        """See `Cooldowns.cooling`."""
        got = self._breaker.call("cooldowns", self._client.exists, self._prefix + deployment)
        return self._fallback.cooling(deployment) if got is None else bool(got)

    async def acooling(self, deployment: str) -> bool:
        """`cooling` awaited on the async client."""
        if self._aclient is None:
            return self.cooling(deployment)
        client = self._aclient.get()
        got = await self._breaker.acall("cooldowns", client.exists, self._prefix + deployment)
        return self._fallback.cooling(deployment) if got is None else bool(got)
