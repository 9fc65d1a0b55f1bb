"""Rate limits, daily budgets and deployment cooldowns: in-process, or shared through Redis.

Rate limits are token buckets per subject (a user id or an API key): one for requests per
minute, one for tokens per minute. Budgets count tokens per subject per UTC day. A refused
request raises `RateLimited` with the seconds until it would pass (the API turns that into
429 + `Retry-After`).

Cooldowns: a deployment that failed is skipped for a while, by every replica when Redis is
shared. Redis errors never fail a request: limits then fall back to the in-process state.
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

    def __init__(self, client: Any, prefix: str = "ree:") -> None:
        self._client = client
        self._prefix = f"{prefix}llm:limit:"
        self._script = client.register_script(_TAKE)
        self._fallback = MemoryBuckets()

    def take(self, key: str, amount: float, capacity: float, per_s: float) -> float:
        """See `Buckets.take`."""
        try:
            return float(self._script(keys=[self._prefix + key], args=[amount, capacity, per_s]))
        except Exception as exc:  # redis down: limit in-process rather than fail
            _log.warning("limits.redis_unreachable error=%s", type(exc).__name__)
            return self._fallback.take(key, amount, capacity, per_s)

    def add_day(self, key: str, amount: int) -> int:
        """See `Buckets.add_day`."""
        full = f"{self._prefix}day:{_today()}:{key}"
        try:
            pipe = self._client.pipeline()
            pipe.incrby(full, amount)
            pipe.expire(full, 2 * 86400)
            return int(pipe.execute()[0])
        except Exception:
            return self._fallback.add_day(key, amount)

    def day(self, key: str) -> int:
        """See `Buckets.day`."""
        try:
            value = self._client.get(f"{self._prefix}day:{_today()}:{key}")
            return int(value or 0)
        except Exception:
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

    def __init__(self, client: Any, prefix: str = "ree:") -> None:
        self._client = client
        self._prefix = f"{prefix}llm:cooldown:"
        self._fallback = MemoryCooldowns()

    def cool(self, deployment: str, seconds: float) -> None:
        """See `Cooldowns.cool`."""
        self._fallback.cool(deployment, seconds)
        try:
            self._client.set(self._prefix + deployment, b"1", px=max(1, int(seconds * 1000)))
        except Exception as exc:
            _log.warning("cooldown.redis_unreachable error=%s", type(exc).__name__)

    def cooling(self, deployment: str) -> bool:
        """See `Cooldowns.cooling`."""
        try:
            return bool(self._client.exists(self._prefix + deployment))
        except Exception:
            return self._fallback.cooling(deployment)
