"""`ModelDispatcher`: one model call through a chain of tiers, with everything around it.

For each tier in the chain, each deployment not cooling down: the response cache (keyed on
the deployment's model, the full messages or prompt, and every parameter), the provider call
with retries and backoff per failure kind, cooldowns, the caller's acceptance check, and the
cost ledger. Failures by kind:

- `error`: retried `retries` times with exponential backoff, then the deployment cools down;
- `timeout`: retried once at most, then the next deployment;
- `rate_limit` (429): the deployment cools down for its Retry-After; next deployment;
- `context`: tiers whose context window is not larger are skipped;
- `quality` (the check refused the answer): next tier; `forced`: the test switch.

The async path (`acomplete`/`astream`) awaits the stores' async methods when they have them
(the Redis ones: `redis.asyncio`, never blocking the loop). With `background_writes` (the
service, whose event loop lives as long as the process) the writes that do not shape the
answer (cache fill, ledger, cooldowns) leave the request path as background tasks; `flush()`
awaits them (`GET /v1/usage` does, so it reads its own writes). In-process
stores are called inline: a dict and a lock cost less than scheduling a task.

Streamed answers are charged like the others: the provider's final usage when it sends one
(`StreamUsage`), else the pieces counted as completion tokens and the prompt estimated.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import anyio
import orjson
from prometheus_client import Counter, Gauge
from pydantic import BaseModel, Field

from ree.infra.cache import Cache, MemoryCache, cache_key
from ree.llm.ledger import CallRecord, Ledger, LedgerStore
from ree.llm.limits import Cooldowns, MemoryCooldowns
from ree.llm.providers import (
    ChatCall,
    Completion,
    Deployment,
    Provider,
    ProviderError,
    StreamUsage,
    make_provider,
)

__all__ = ["Attempted", "DispatchFailed", "GatewayConfig", "ModelDispatcher", "TierSpec"]

log = logging.getLogger(__name__)

CALLS = Counter(
    "ree_llm_calls_total", "Model calls, by deployment and outcome.", ["deployment", "outcome"]
)
CACHE_RATIO = Gauge("ree_llm_cache_hit_ratio", "Share of model calls served from the cache.")


class TierSpec(BaseModel):
    """A model tier: deployments tried in order, its share of scored requests, prompt style."""

    name: str = Field(min_length=1)
    deployments: list[Deployment] = Field(min_length=1)
    share: float | None = Field(default=None, ge=0, le=1)
    style: Literal["fewshot", "chat"] = "chat"


class GatewayConfig(BaseModel):
    """Everything the dispatcher and router need; built from `Settings` or given whole."""

    tiers: list[TierSpec] = Field(default_factory=list, description="Cheapest first.")
    remote_share: float = Field(default=0.2, ge=0, le=1)
    retries: int = Field(default=2, ge=0)
    backoff_s: float = Field(default=0.2, ge=0)
    cooldown_s: float = Field(default=30.0, ge=0)
    cache_ttl_s: float = Field(default=3600.0, ge=0)
    force_fallback: list[str] = Field(default_factory=list, description="Tiers failed on purpose.")
    reference: str | None = Field(default=None, description="Deployment priced as 'remote'.")

    def shares(self) -> dict[str, float]:
        """Target shares per model tier: declared ones, else `remote_share` for the last."""
        declared = {t.name: t.share for t in self.tiers[1:] if t.share is not None}
        if declared or len(self.tiers) < 2:
            return declared
        return {self.tiers[-1].name: self.remote_share}

    def reference_deployment(self) -> Deployment | None:
        """The deployment whose prices say what a call would have cost on the remote model."""
        every = [d for t in self.tiers for d in t.deployments]
        if self.reference:
            return next((d for d in every if d.name == self.reference), None)
        return every[-1] if every else None


@dataclass(slots=True)
class Attempted:
    """The outcome of a dispatch: which tier answered and what failed before."""

    completion: Completion
    tier: str
    deployment: str
    cached: bool
    fallbacks: list[str] = field(default_factory=list)


class DispatchFailed(Exception):
    """Every tier of the chain failed; `fallbacks` says how."""

    def __init__(self, fallbacks: list[str]) -> None:
        super().__init__("; ".join(fallbacks) or "no tier")
        self.fallbacks = fallbacks


Check = Callable[[str], list[str]]
OnDone = Callable[[Completion], None]


class ModelDispatcher:
    """Calls model tiers with cache, retries, cooldowns, checks and the ledger."""

    def __init__(
        self,
        config: GatewayConfig,
        cache: Cache | None = None,
        cooldowns: Cooldowns | None = None,
        ledger: LedgerStore | None = None,
        sleep: Callable[[float], None] = time.sleep,
        background_writes: bool = False,
    ) -> None:
        self.config = config
        self.background_writes = background_writes
        self.tiers = {t.name: t for t in config.tiers}
        self.cache = cache if cache is not None else MemoryCache(max_items=5000, name="llm")
        self.cooldowns = cooldowns or MemoryCooldowns()
        self.ledger: LedgerStore = ledger or Ledger()
        # async store methods, when the stores have them (Redis); else the sync ones inline
        self._aget = getattr(self.cache, "aget", None)
        self._aset = getattr(self.cache, "aset", None)
        self._acooling = getattr(self.cooldowns, "acooling", None)
        self._acool = getattr(self.cooldowns, "acool", None)
        self._arecord = ledger is not None and not isinstance(ledger, Ledger)
        self._pending: set[asyncio.Task[Any]] = set()
        self._providers: dict[str, Provider] = {}
        self._sleep = sleep
        self._reference = config.reference_deployment()
        self._served = [0, 0]  # hits, calls
        for tier in config.tiers:  # built now: importing LiteLLM never lands on a request
            for dep in tier.deployments:
                self.provider(dep)

    def provider(self, deployment: Deployment) -> Provider:
        """The provider of `deployment`, built once."""
        p = self._providers.get(deployment.name)
        if p is None:
            p = self._providers[deployment.name] = make_provider(deployment)
        return p

    def complete(
        self, call: ChatCall, chain: list[str], user: str = "anonymous", check: Check | None = None
    ) -> Attempted:
        """The first accepted answer down `chain`; `DispatchFailed` when none."""
        fallbacks: list[str] = []
        min_context = 0
        for name in chain:
            if self._skip(name, min_context, fallbacks):
                continue
            for dep in self._open(name, fallbacks):
                try:
                    completion, cached = self._call(dep, call)
                except ProviderError as exc:
                    fallbacks.append(f"{name}/{dep.name}: {exc.kind}")
                    if exc.kind == "context":
                        min_context = dep.context_tokens
                        break
                    continue
                done = self._accept(name, dep, call, user, check, completion, cached, fallbacks)
                if done is None:
                    break
                return done
        raise DispatchFailed(fallbacks)

    async def acomplete(
        self, call: ChatCall, chain: list[str], user: str = "anonymous", check: Check | None = None
    ) -> Attempted:
        """`complete` awaited: async providers on the event loop, others in a worker thread."""
        fallbacks: list[str] = []
        min_context = 0
        for name in chain:
            if self._skip(name, min_context, fallbacks):
                continue
            for dep in await self.aopen(name, fallbacks):
                try:
                    completion, cached = await self._acall(dep, call)
                except ProviderError as exc:
                    fallbacks.append(f"{name}/{dep.name}: {exc.kind}")
                    if exc.kind == "context":
                        min_context = dep.context_tokens
                        break
                    continue
                problems = check(completion.text) if check else []
                if problems:
                    CALLS.labels(dep.name, "refused").inc()
                    fallbacks.append(f"{name}: quality gate: {', '.join(problems[:3])}")
                    break
                if not cached:
                    await self._afill(dep, call, completion)
                await self._aaccount(user, name, dep, completion, cached)
                return Attempted(completion, name, dep.name, cached, fallbacks)
        raise DispatchFailed(fallbacks)

    async def aopen(self, name: str, fallbacks: list[str]) -> list[Deployment]:
        """`_open` awaited on the cooldown store."""
        if self._acooling is None:
            return list(self._open(name, fallbacks))
        out = []
        for dep in self.tiers[name].deployments:
            if await self._acooling(dep.name):
                fallbacks.append(f"{name}/{dep.name}: cooling down")
                continue
            out.append(dep)
        return out

    def later(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run `work` in the background of the running loop (kept until done; `flush`)."""
        task = asyncio.get_running_loop().create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def flush(self) -> None:
        """Wait for the background writes started so far (cache fills, ledger, cooldowns)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)

    async def _write(self, work: Coroutine[Any, Any, Any]) -> None:
        """A store write: in the background (`background_writes`, the service) or awaited."""
        if self.background_writes:
            self.later(work)
        else:
            await work

    async def _afill(self, dep: Deployment, call: ChatCall, completion: Completion) -> None:
        ttl = self.config.cache_ttl_s
        if ttl <= 0:
            return
        if self._aset is None:
            self.cache.set(self._key(dep, call), _dump(completion), ttl)
        else:
            await self._write(self._aset(self._key(dep, call), _dump(completion), ttl))

    async def _aaccount(
        self, user: str, tier: str, dep: Deployment, c: Completion, cached: bool
    ) -> None:
        record = self._record(user, tier, dep, c, cached)
        if self._arecord:
            await self._write(self.ledger.arecord(record))
        else:
            self.ledger.record(record)

    def _skip(self, name: str, min_context: int, fallbacks: list[str]) -> bool:
        """Whether tier `name` is skipped (forced to fail, or its window is too small)."""
        if name in self.config.force_fallback:
            fallbacks.append(f"{name}: forced")
            return True
        if max(d.context_tokens for d in self.tiers[name].deployments) <= min_context:
            fallbacks.append(f"{name}: context window too small")
            return True
        return False

    def _open(self, name: str, fallbacks: list[str]) -> Iterator[Deployment]:
        """The deployments of tier `name` not cooling down, in order."""
        for dep in self.tiers[name].deployments:
            if self.cooldowns.cooling(dep.name):
                fallbacks.append(f"{name}/{dep.name}: cooling down")
                continue
            yield dep

    def _accept(
        self,
        name: str,
        dep: Deployment,
        call: ChatCall,
        user: str,
        check: Check | None,
        completion: Completion,
        cached: bool,
        fallbacks: list[str],
    ) -> Attempted | None:
        """The answer once checked, cached and accounted; None when the check refuses it."""
        problems = check(completion.text) if check else []
        if problems:
            CALLS.labels(dep.name, "refused").inc()
            fallbacks.append(f"{name}: quality gate: {', '.join(problems[:3])}")
            return None
        if not cached:
            self.cache.set(self._key(dep, call), _dump(completion), self.config.cache_ttl_s)
        self._account(user, name, dep, completion, cached)
        return Attempted(completion, name, dep.name, cached, fallbacks)

    def stream(
        self, call: ChatCall, chain: list[str], user: str = "anonymous"
    ) -> tuple[str, str, Iterator[str], list[str]]:
        """(tier, deployment, pieces, fallbacks): the first deployment that yields a first
        piece streams; a cached answer streams from the cache."""
        fallbacks: list[str] = []
        for name in chain:
            if name in self.config.force_fallback:
                fallbacks.append(f"{name}: forced")
                continue
            for dep in self._open(name, fallbacks):
                hit = self._cached(dep, call)
                if hit is not None:
                    self._account(user, name, dep, hit, True)
                    return name, dep.name, iter([hit.text]), fallbacks
                pieces = self.provider(dep).stream(call)
                try:
                    first = next(pieces, "")
                except ProviderError as exc:
                    self._failed(dep, exc)
                    fallbacks.append(f"{name}/{dep.name}: {exc.kind}")
                    continue
                return name, dep.name, self._finish(user, name, dep, call, first, pieces), fallbacks
        raise DispatchFailed(fallbacks)

    async def astream(
        self,
        call: ChatCall,
        chain: list[str],
        user: str = "anonymous",
        on_done: OnDone | None = None,
    ) -> tuple[str, str, AsyncIterator[str], list[str]]:
        """`stream` awaited: (tier, deployment, async pieces, fallbacks). Once the last piece
        is sent, the answer is cached and charged, and `on_done(completion)` is called with its
        token counts (the service charges the caller's limits with them)."""
        fallbacks: list[str] = []
        for name in chain:
            if name in self.config.force_fallback:
                fallbacks.append(f"{name}: forced")
                continue
            for dep in await self.aopen(name, fallbacks):
                hit = await self._acached(dep, call)
                if hit is not None:
                    await self._aaccount(user, name, dep, hit, True)
                    if on_done is not None:
                        on_done(hit)
                    return name, dep.name, _aiter_of([hit.text]), fallbacks
                pieces = _apieces(self.provider(dep), call)
                try:
                    first = await anext(pieces, "")
                except ProviderError as exc:
                    await self._afailed(dep, exc)
                    fallbacks.append(f"{name}/{dep.name}: {exc.kind}")
                    continue
                rest = self._afinish(user, name, dep, call, first, pieces, on_done)
                return name, dep.name, rest, fallbacks
        raise DispatchFailed(fallbacks)

    def _finish(
        self,
        user: str,
        tier: str,
        dep: Deployment,
        call: ChatCall,
        first: str | StreamUsage,
        rest: Iterator[str | StreamUsage],
    ) -> Iterator[str]:
        parts: list[str] = []
        usage: list[StreamUsage] = []
        for piece in _chain_one(first, rest):
            if isinstance(piece, StreamUsage):
                usage.append(piece)
            elif piece:
                parts.append(piece)
                yield piece
        done = _streamed(call, dep, parts, usage)
        if self.config.cache_ttl_s > 0:
            self.cache.set(self._key(dep, call), _dump(done), self.config.cache_ttl_s)
        self._account(user, tier, dep, done, False)

    async def _afinish(
        self,
        user: str,
        tier: str,
        dep: Deployment,
        call: ChatCall,
        first: str | StreamUsage,
        rest: AsyncIterator[str | StreamUsage],
        on_done: OnDone | None,
    ) -> AsyncIterator[str]:
        parts: list[str] = []
        usage: list[StreamUsage] = []
        if isinstance(first, StreamUsage):
            usage.append(first)
        elif first:
            parts.append(first)
            yield first
        async for piece in rest:
            if isinstance(piece, StreamUsage):
                usage.append(piece)
            elif piece:
                parts.append(piece)
                yield piece
        done = _streamed(call, dep, parts, usage)
        await self._afill(dep, call, done)
        await self._aaccount(user, tier, dep, done, False)
        if on_done is not None:
            on_done(done)

    def _call(self, dep: Deployment, call: ChatCall) -> tuple[Completion, bool]:
        hit = self._cached(dep, call)
        if hit is not None:
            return hit, True
        attempt = 0
        while True:
            try:
                completion = self.provider(dep).complete(call)
                CALLS.labels(dep.name, "ok").inc()
                return completion, False
            except ProviderError as exc:
                self._sleep(self._retry_delay(dep, exc, attempt))
                attempt += 1

    async def _acall(self, dep: Deployment, call: ChatCall) -> tuple[Completion, bool]:
        hit = await self._acached(dep, call)
        if hit is not None:
            return hit, True
        provider = self.provider(dep)
        acomplete = getattr(provider, "acomplete", None)
        attempt = 0
        while True:
            try:
                if acomplete is not None:
                    completion: Completion = await acomplete(call)
                else:
                    completion = await anyio.to_thread.run_sync(provider.complete, call)
                CALLS.labels(dep.name, "ok").inc()
                return completion, False
            except ProviderError as exc:
                try:
                    delay = self._retry_delay(dep, exc, attempt, _no_cooldown)
                except ProviderError:
                    await self._afailed(dep, exc)
                    raise
                if delay > 0:
                    await asyncio.sleep(delay)
                attempt += 1

    def _retry_delay(
        self,
        dep: Deployment,
        exc: ProviderError,
        attempt: int,
        failed: Callable[[Deployment, ProviderError], None] | None = None,
    ) -> float:
        """The backoff before retry `attempt + 1`; re-raises `exc` when out of retries."""
        limit = {"error": self.config.retries, "timeout": min(1, self.config.retries)}
        if attempt >= limit.get(exc.kind, 0):
            (failed or self._failed)(dep, exc)
            raise exc
        CALLS.labels(dep.name, "retried").inc()
        return float(self.config.backoff_s * (2**attempt))

    def _failed(self, dep: Deployment, exc: ProviderError) -> None:
        seconds = self._cooldown_for(dep, exc)
        if seconds:
            self.cooldowns.cool(dep.name, seconds)

    async def _afailed(self, dep: Deployment, exc: ProviderError) -> None:
        seconds = self._cooldown_for(dep, exc)
        if not seconds:
            return
        if self._acool is None:
            self.cooldowns.cool(dep.name, seconds)
        else:
            await self._write(self._acool(dep.name, seconds))

    def _cooldown_for(self, dep: Deployment, exc: ProviderError) -> float:
        """Count the failure; the seconds `dep` should cool down (0: none)."""
        CALLS.labels(dep.name, exc.kind).inc()
        log.warning("llm.call_failed deployment=%s kind=%s", dep.name, exc.kind)
        if exc.kind == "rate_limit":
            return exc.retry_after_s or self.config.cooldown_s
        if exc.kind == "error" and self.config.cooldown_s > 0:
            return self.config.cooldown_s
        return 0.0

    def _key(self, dep: Deployment, call: ChatCall) -> str:
        return cache_key("llm", dep.provider, dep.model, dep.api_base, call.messages, call.params())

    def _cached(self, dep: Deployment, call: ChatCall) -> Completion | None:
        if self.config.cache_ttl_s <= 0:
            return None
        return _load(self.cache.get(self._key(dep, call)))

    async def _acached(self, dep: Deployment, call: ChatCall) -> Completion | None:
        if self.config.cache_ttl_s <= 0:
            return None
        if self._aget is None:
            return _load(self.cache.get(self._key(dep, call)))
        return _load(await self._aget(self._key(dep, call)))

    def _record(
        self, user: str, tier: str, dep: Deployment, c: Completion, cached: bool
    ) -> CallRecord:
        self._served[1] += 1
        self._served[0] += int(cached)
        CACHE_RATIO.set(self._served[0] / self._served[1])
        cost = 0.0 if cached else dep.cost(c.prompt_tokens, c.completion_tokens)
        ref = self._reference.cost(c.prompt_tokens, c.completion_tokens) if self._reference else 0.0
        return CallRecord(
            user, tier, dep.name, c.prompt_tokens, c.completion_tokens, cost, ref, cached
        )

    def _account(self, user: str, tier: str, dep: Deployment, c: Completion, cached: bool) -> None:
        self.ledger.record(self._record(user, tier, dep, c, cached))

    def hit_rate(self) -> float:
        """Share of answered calls served from the cache."""
        return self._served[0] / self._served[1] if self._served[1] else 0.0


def _dump(c: Completion) -> bytes:
    return orjson.dumps(
        {
            "text": c.text,
            "prompt_tokens": c.prompt_tokens,
            "completion_tokens": c.completion_tokens,
            "model": c.model,
        }
    )


def _no_cooldown(_dep: Deployment, _exc: ProviderError) -> None:
    """The async path applies the cooldown itself (awaited), after `_retry_delay` raised."""


def _load(raw: bytes | None) -> Completion | None:
    if raw is None:
        return None
    data = orjson.loads(raw)
    return Completion(data["text"], data["prompt_tokens"], data["completion_tokens"], data["model"])


def _streamed(
    call: ChatCall, dep: Deployment, parts: list[str], usage: list[StreamUsage]
) -> Completion:
    """The streamed answer with its token counts: the provider's usage when it sent one,
    else the pieces counted (a piece is about a token) and the prompt estimated."""
    text = "".join(parts)
    if usage and usage[-1].completion_tokens > 0:
        u = usage[-1]
        prompt = u.prompt_tokens or call.estimated_tokens() - call.max_tokens
        return Completion(text, prompt, u.completion_tokens, dep.model)
    completion = max(len(parts), 1 if text else 0)
    return Completion(text, call.estimated_tokens() - call.max_tokens, completion, dep.model)


def _chain_one(
    first: str | StreamUsage, rest: Iterator[str | StreamUsage]
) -> Iterator[str | StreamUsage]:
    yield first
    yield from rest


async def _aiter_of(pieces: list[str]) -> AsyncIterator[str]:
    for piece in pieces:
        yield piece


async def _apieces(provider: Provider, call: ChatCall) -> AsyncIterator[str | StreamUsage]:
    """The provider's pieces as an async iterator: its own `astream`, else its sync stream
    advanced in a worker thread."""
    astream = getattr(provider, "astream", None)
    if astream is not None:
        async for piece in astream(call):
            yield piece
        return
    pieces = provider.stream(call)
    while True:
        piece = await anyio.to_thread.run_sync(next, pieces, None)
        if piece is None:
            return
        yield piece
