"""Build the gateway from `Settings`, once: tiers, cache, cooldowns, limits.

Model tiers come from `REE_LLM_TIERS` (JSON, any number of tiers), else from the two
shortcuts: `REE_LLM_LOCAL` (`llamacpp`: tier `local` on the bundled GGUF in this process,
provider `llamacpp`; a base URL: provider `openai-compatible`; few-shot prompts for the bundled
base model either way; `off`, the default: no local tier) and `REE_LLM_REMOTE_MODEL` (tier
`remote`, LiteLLM, chat prompts). With `REE_REDIS_URL` the response cache, the cooldowns, the
rate limits and the cost ledger are shared through Redis (sync and `redis.asyncio` clients,
one breaker). With `REE_GATEWAY_URL`, every model tier is reached through the `ree gateway`
service instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter

from ree.config import Settings
from ree.infra.cache import Cache, MemoryCache
from ree.llm.dispatch import GatewayConfig, ModelDispatcher, TierSpec
from ree.llm.gateway import Gateway
from ree.llm.ledger import Ledger, LedgerStore, RedisLedger
from ree.llm.limits import Buckets, Cooldowns, Limiter, MemoryBuckets, MemoryCooldowns
from ree.llm.providers import Deployment

__all__ = ["gateway_config", "open_dispatcher", "open_gateway", "open_limiter"]

# Prices of the default remote model (USD per 1k tokens), used when none are configured.
REMOTE_PRICE = (0.00015, 0.0006)


def _shortcut_tiers(settings: Settings) -> list[TierSpec]:
    tiers: list[TierSpec] = []
    if settings.llm_local == "llamacpp":
        inproc = Deployment(  # loaded on the first call, serialised, off the event loop
            name="local",
            provider="llamacpp",
            model=settings.llm_local_model,
            timeout_s=30.0,
            context_tokens=2048,
        )
        tiers.append(TierSpec(name="local", deployments=[inproc], style="fewshot"))
    elif settings.llm_local.startswith(("http://", "https://")):
        local = Deployment(  # direct HTTP on the shared pool: no LiteLLM on the hot path
            name="local",
            provider="openai-compatible",
            model=settings.llm_local_model,
            api_base=settings.llm_local,
            timeout_s=30.0,
        )
        tiers.append(TierSpec(name="local", deployments=[local], style="fewshot"))
    if settings.llm_remote_model:
        remote = Deployment(
            name="remote",
            model=settings.llm_remote_model,
            api_base=settings.llm_remote_api_base,
            api_key_env=None if settings.llm_remote_api_base else "OPENAI_API_KEY",
            context_tokens=128_000,
            input_cost_per_1k=REMOTE_PRICE[0],
            output_cost_per_1k=REMOTE_PRICE[1],
        )
        tiers.append(TierSpec(name="remote", deployments=[remote], style="chat"))
    return tiers


def gateway_config(settings: Settings) -> GatewayConfig:
    """The tiers and policies `settings` describe."""
    if settings.llm_tiers:
        tiers = TypeAdapter(list[TierSpec]).validate_json(settings.llm_tiers)
    else:
        tiers = _shortcut_tiers(settings)
    forced = [t.strip() for t in (settings.llm_force_fallback or "").split(",") if t.strip()]
    return GatewayConfig(
        tiers=tiers,
        remote_share=settings.llm_remote_share,
        retries=settings.llm_retries,
        backoff_s=settings.llm_backoff_s,
        cooldown_s=settings.llm_cooldown_s,
        cache_ttl_s=settings.llm_cache_ttl_s,
        force_fallback=forced,
    )


def _through_gateway(config: GatewayConfig, url: str) -> GatewayConfig:
    """The same tiers, each reached as one deployment of the `ree gateway` service."""
    tiers = [
        TierSpec(
            name=t.name,
            style=t.style,
            share=t.share,
            deployments=[
                Deployment(
                    name=f"gateway-{t.name}",
                    provider="ree-gateway",
                    model=t.name,
                    api_base=url,
                    api_key_env="REE_GATEWAY_KEY",
                    context_tokens=max(d.context_tokens for d in t.deployments),
                    # the service may try each deployment of the tier: wait for all of them
                    timeout_s=sum(d.timeout_s for d in t.deployments) + 5.0,
                )
            ],
        )
        for t in config.tiers
    ]
    return config.model_copy(update={"tiers": tiers, "cache_ttl_s": 0.0, "retries": 0})


def _stores(
    settings: Settings,
) -> tuple[Cache, Cooldowns, Buckets, LedgerStore, list[Callable[[], object]]]:
    if settings.redis_url is None:
        cache = MemoryCache(max_items=5000, name="llm")
        return cache, MemoryCooldowns(), MemoryBuckets(), Ledger(), []
    from ree.infra.redis_cache import (
        PerLoop,
        RedisBreaker,
        RedisCache,
        async_redis_client,
        redis_client,
    )
    from ree.llm.limits import RedisBuckets, RedisCooldowns

    client: Any = redis_client(settings.redis_url)
    aclient: PerLoop[Any] = PerLoop(async_redis_client, settings.redis_url)
    breaker = RedisBreaker()  # one for all four: Redis down is skipped by all for a while
    prefix = settings.redis_prefix
    return (
        RedisCache(client, name="llm", prefix=prefix, aclient=aclient, breaker=breaker),
        RedisCooldowns(client, prefix, aclient, breaker),
        RedisBuckets(client, prefix, aclient, breaker),
        RedisLedger(client, prefix, aclient, breaker),
        [client.close, aclient.aclose],
    )


def open_dispatcher(
    settings: Settings, config: GatewayConfig | None = None, background_writes: bool = False
) -> tuple[ModelDispatcher, Limiter, list[Callable[[], object]]]:
    """The dispatcher and the limiter with their stores; call the closers at shutdown (await
    what they return when it is awaitable: the async Redis client of the running loop)."""
    config = config or gateway_config(settings)
    cache, cooldowns, buckets, ledger, closers = _stores(settings)
    dispatcher = ModelDispatcher(
        config, cache=cache, cooldowns=cooldowns, ledger=ledger, background_writes=background_writes
    )
    return dispatcher, open_limiter(settings, buckets), closers


def open_limiter(settings: Settings, buckets: Buckets | None = None) -> Limiter:
    """Per-subject limits from settings (all 0: admits everything)."""
    return Limiter(
        buckets or MemoryBuckets(),
        requests_per_min=settings.llm_requests_per_min,
        tokens_per_min=settings.llm_tokens_per_min,
        tokens_per_day=settings.llm_tokens_per_day,
    )


def open_gateway(settings: Settings) -> Gateway:
    """The in-process gateway of an API node: extractive only when no model tier is set."""
    config = gateway_config(settings)
    if not config.tiers:
        return Gateway()
    if settings.gateway_url:
        config = _through_gateway(config, settings.gateway_url.rstrip("/"))
        from ree.llm import client  # noqa: F401  registers the `ree-gateway` provider
    dispatcher, _, _ = open_dispatcher(settings, config)
    return Gateway.from_config(config, dispatcher)
