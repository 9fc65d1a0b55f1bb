"""The cost ledger: tokens and cost of every model call, per user and per tier, and what each
call would have cost on the reference (remote) model, so savings are measured, not guessed.

Totals are kept per UTC day. `Ledger` keeps them in this process (the embedded gateway);
`RedisLedger` keeps them in Redis hashes, incremented atomically (`HINCRBY`/`HINCRBYFLOAT` in
one `MULTI`), so `GET /v1/usage` on any `ree gateway` replica shows the totals of all of them.
Cached answers are recorded with zero cost (`cached` counts them), so the saving of the cache
shows too.

Redis keys for day D (`YYYYMMDD`, kept 35 days), fields `<name>|<metric>`:
`{prefix}llm:usage:D:tiers` (per tier), `…:D:users` (per user), `…:D:user:<user>` (per tier
of one user). While Redis is unreachable, calls are recorded in this replica's `Ledger` and
`usage` answers from it with `"shared": false`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Protocol

from prometheus_client import Counter

from ree.infra.redis_cache import PerLoop, RedisBreaker

__all__ = ["CallRecord", "Ledger", "LedgerStore", "RedisLedger", "Totals", "today"]

TOKENS = Counter("ree_llm_tokens_total", "Tokens used, by tier and direction.", ["tier", "kind"])
COST = Counter("ree_llm_cost_usd_total", "USD spent, by tier.", ["tier"])


@dataclass(slots=True)
class CallRecord:
    """One model call (or a cache hit standing in for one)."""

    user: str
    tier: str
    deployment: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    reference_cost_usd: float
    cached: bool = False


@dataclass(slots=True)
class Totals:
    """Sums over a group of calls."""

    calls: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    reference_cost_usd: float = 0.0

    def add(self, r: CallRecord) -> None:
        self.calls += 1
        self.cached += int(r.cached)
        self.prompt_tokens += r.prompt_tokens
        self.completion_tokens += r.completion_tokens
        self.cost_usd += r.cost_usd
        self.reference_cost_usd += r.reference_cost_usd

    def merge(self, values: dict[str, float]) -> None:
        """Add metric values read back from a store (missing ones count 0)."""
        self.calls += int(values.get("calls", 0))
        self.cached += int(values.get("cached", 0))
        self.prompt_tokens += int(values.get("prompt_tokens", 0))
        self.completion_tokens += int(values.get("completion_tokens", 0))
        self.cost_usd += float(values.get("cost_usd", 0.0))
        self.reference_cost_usd += float(values.get("reference_cost_usd", 0.0))

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["cost_usd"] = round(self.cost_usd, 8)
        out["reference_cost_usd"] = round(self.reference_cost_usd, 8)
        out["saved_usd"] = round(self.reference_cost_usd - self.cost_usd, 8)
        return out


class LedgerStore(Protocol):
    """Where calls are counted: `Ledger` (in process) or `RedisLedger` (shared)."""

    def record(self, r: CallRecord) -> None:
        """Count one call."""
        ...

    def usage(self, user: str | None = None, day: str | None = None) -> dict[str, Any]:
        """The totals of `day` (today)."""
        ...

    async def arecord(self, r: CallRecord) -> None:
        """`record`, awaited."""
        ...

    async def ausage(self, user: str | None = None, day: str | None = None) -> dict[str, Any]:
        """`usage`, awaited."""
        ...


def today() -> str:
    """The UTC day the ledger files calls under (`YYYYMMDD`)."""
    return datetime.now(UTC).strftime("%Y%m%d")


def _metrics(r: CallRecord) -> list[tuple[str, int | float]]:
    return [
        ("calls", 1),
        ("cached", int(r.cached)),
        ("prompt_tokens", r.prompt_tokens),
        ("completion_tokens", r.completion_tokens),
        ("cost_usd", r.cost_usd),
        ("reference_cost_usd", r.reference_cost_usd),
    ]


def _export(r: CallRecord) -> None:
    if not r.cached:
        TOKENS.labels(r.tier, "prompt").inc(r.prompt_tokens)
        TOKENS.labels(r.tier, "completion").inc(r.completion_tokens)
        COST.labels(r.tier).inc(r.cost_usd)


@dataclass(slots=True)
class _Day:
    total: Totals = field(default_factory=Totals)
    by_user: dict[str, Totals] = field(default_factory=dict)
    by_tier: dict[str, Totals] = field(default_factory=dict)
    by_user_tier: dict[tuple[str, str], Totals] = field(default_factory=dict)


@dataclass(slots=True)
class Ledger:
    """In-process totals per UTC day: overall, per user, per tier and per (user, tier)."""

    days: dict[str, _Day] = field(default_factory=dict)
    clock: Callable[[], str] = today
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, r: CallRecord) -> None:
        """Add one call to every total of today it belongs to."""
        with self._lock:
            d = self.days.setdefault(self.clock(), _Day())
            d.total.add(r)
            d.by_user.setdefault(r.user, Totals()).add(r)
            d.by_tier.setdefault(r.tier, Totals()).add(r)
            d.by_user_tier.setdefault((r.user, r.tier), Totals()).add(r)
        _export(r)

    def usage(self, user: str | None = None, day: str | None = None) -> dict[str, Any]:
        """The `/v1/usage` body for `day` (today): everything, or one user's totals per tier."""
        day = day or self.clock()
        with self._lock:
            d = self.days.get(day, _Day())
            if user is not None:
                tiers = {t: v.as_dict() for (u, t), v in d.by_user_tier.items() if u == user}
                mine = d.by_user.get(user, Totals()).as_dict()
                return {"day": day, "user": user, "total": mine, "by_tier": tiers}
            return {
                "day": day,
                "total": d.total.as_dict(),
                "by_tier": {k: v.as_dict() for k, v in d.by_tier.items()},
                "by_user": {k: v.as_dict() for k, v in d.by_user.items()},
            }

    async def arecord(self, r: CallRecord) -> None:
        """`record` (nothing to await in process)."""
        self.record(r)

    async def ausage(self, user: str | None = None, day: str | None = None) -> dict[str, Any]:
        """`usage` (nothing to await in process)."""
        return self.usage(user, day)


_INTS = {"calls", "cached", "prompt_tokens", "completion_tokens"}
_TTL_S = 35 * 86400


class RedisLedger:
    """The ledger shared by every replica through Redis; this replica's `Ledger` while Redis
    is unreachable. `record`/`usage` use the sync client (in-process callers), `arecord`/
    `ausage` the async one (the service)."""

    def __init__(
        self,
        client: Any,
        prefix: str = "ree:",
        aclient: PerLoop[Any] | None = None,
        breaker: RedisBreaker | None = None,
        clock: Callable[[], str] = today,
    ) -> None:
        self._client = client
        self._aclient = aclient
        self._breaker = breaker or RedisBreaker()
        self._prefix = f"{prefix}llm:usage:"
        self._clock = clock
        self.fallback = Ledger(clock=clock)

    def _keys(self, day: str, user: str) -> tuple[str, str, str]:
        base = f"{self._prefix}{day}:"
        return base + "tiers", base + "users", f"{base}user:{user}"

    def _queue(self, pipe: Any, r: CallRecord) -> None:
        tiers, users, mine = self._keys(self._clock(), r.user)
        for key, name in ((tiers, r.tier), (users, r.user), (mine, r.tier)):
            for metric, value in _metrics(r):
                if metric in _INTS:
                    if value:
                        pipe.hincrby(key, f"{name}|{metric}", int(value))
                elif value:
                    pipe.hincrbyfloat(key, f"{name}|{metric}", float(value))
            pipe.expire(key, _TTL_S)

    def record(self, r: CallRecord) -> None:
        """Add one call to the shared totals of today (atomically: one MULTI)."""

        def run() -> bool:
            pipe = self._client.pipeline(transaction=True)
            self._queue(pipe, r)
            pipe.execute()
            return True

        if self._breaker.call("ledger", run) is None:
            self.fallback.record(r)
            return
        _export(r)

    async def arecord(self, r: CallRecord) -> None:
        """`record` awaited on the async client."""
        if self._aclient is None:
            self.record(r)
            return
        client = self._aclient.get()

        async def run() -> bool:
            async with client.pipeline(transaction=True) as pipe:
                self._queue(pipe, r)
                await pipe.execute()
            return True

        if await self._breaker.acall("ledger", run) is None:
            self.fallback.record(r)
            return
        _export(r)

    def usage(self, user: str | None = None, day: str | None = None) -> dict[str, Any]:
        """The `/v1/usage` body for `day` (today), from the totals of every replica."""
        day = day or self._clock()
        keys = self._wanted(day, user)

        def run() -> list[dict[bytes, bytes]]:
            pipe = self._client.pipeline(transaction=False)
            for key in keys:
                pipe.hgetall(key)
            return list(pipe.execute())

        return self._shape(day, user, self._breaker.call("ledger", run))

    async def ausage(self, user: str | None = None, day: str | None = None) -> dict[str, Any]:
        """`usage` awaited on the async client."""
        if self._aclient is None:
            return self.usage(user, day)
        day = day or self._clock()
        keys = self._wanted(day, user)
        client = self._aclient.get()

        async def run() -> list[dict[bytes, bytes]]:
            async with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.hgetall(key)
                return list(await pipe.execute())

        return self._shape(day, user, await self._breaker.acall("ledger", run))

    def _wanted(self, day: str, user: str | None) -> list[str]:
        tiers, users, mine = self._keys(day, user or "")
        return [mine] if user is not None else [tiers, users]

    def _shape(
        self, day: str, user: str | None, hashes: list[dict[bytes, bytes]] | None
    ) -> dict[str, Any]:
        if hashes is None:
            out = self.fallback.usage(user, day)
            out["shared"] = False
            return out
        groups = [_groups(h) for h in hashes]
        if user is not None:
            by_tier = groups[0]
            total = Totals()
            for t in by_tier.values():
                _add(total, t)
            return {
                "day": day,
                "user": user,
                "total": total.as_dict(),
                "by_tier": {k: v.as_dict() for k, v in by_tier.items()},
                "shared": True,
            }
        by_tier, by_user = groups
        total = Totals()
        for t in by_tier.values():
            _add(total, t)
        return {
            "day": day,
            "total": total.as_dict(),
            "by_tier": {k: v.as_dict() for k, v in by_tier.items()},
            "by_user": {k: v.as_dict() for k, v in by_user.items()},
            "shared": True,
        }


def _groups(h: dict[bytes, bytes]) -> dict[str, Totals]:
    values: dict[str, dict[str, float]] = {}
    for raw_field, raw in h.items():
        name, _, metric = raw_field.decode().rpartition("|")
        values.setdefault(name, {})[metric] = float(raw)
    out: dict[str, Totals] = {}
    for name, metrics in sorted(values.items()):
        out[name] = Totals()
        out[name].merge(metrics)
    return out


def _add(into: Totals, other: Totals) -> None:
    into.merge({f.name: getattr(other, f.name) for f in fields(other)})
