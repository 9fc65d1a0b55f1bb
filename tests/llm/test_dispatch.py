"""The dispatcher through the real provider registry (`scripted` provider): fallbacks by kind,
retries, cooldowns, the cache key and the ledger."""

from __future__ import annotations

from typing import Any

import pytest

from ree.llm.dispatch import DispatchFailed, GatewayConfig, ModelDispatcher, TierSpec
from ree.llm.providers import ChatCall, Deployment, ScriptedProvider


def tier(name: str, *answers: str, context: int = 8192, cost: float = 0.0) -> TierSpec:
    dep = Deployment(
        name=f"{name}-a",
        provider="scripted",
        model=f"m-{name}",
        context_tokens=context,
        input_cost_per_1k=cost,
        output_cost_per_1k=cost,
        options={"answers": list(answers)},
    )
    return TierSpec(name=name, deployments=[dep])


def dispatcher(*tiers: TierSpec, **config: Any) -> ModelDispatcher:
    sleeps: list[float] = []
    d = ModelDispatcher(GatewayConfig(tiers=list(tiers), **config), sleep=sleeps.append)
    d.sleeps = sleeps  # type: ignore[attr-defined]
    return d


def calls(d: ModelDispatcher, deployment: str) -> int:
    provider = d._providers[deployment]
    assert isinstance(provider, ScriptedProvider)
    return len(provider.calls)


CALL = ChatCall(messages=[{"role": "user", "content": "xin chào"}])


def test_errors_retry_with_backoff_then_fall_back_and_cool_down() -> None:
    d = dispatcher(tier("local", "!error"), tier("remote", "from remote"), backoff_s=0.1)
    done = d.complete(CALL, ["local", "remote"])
    assert (done.tier, done.completion.text) == ("remote", "from remote")
    assert calls(d, "local-a") == 3  # first try + 2 retries
    assert d.sleeps == [0.1, 0.2]  # type: ignore[attr-defined]
    assert done.fallbacks == ["local/local-a: error"]
    assert d.cooldowns.cooling("local-a")
    again = d.complete(
        ChatCall(messages=[{"role": "user", "content": "khác"}]), ["local", "remote"]
    )
    assert again.fallbacks == ["local/local-a: cooling down"]
    assert calls(d, "local-a") == 3


def test_rate_limit_cools_down_without_retrying() -> None:
    d = dispatcher(tier("local", "!rate_limit"), tier("remote", "ok"))
    done = d.complete(CALL, ["local", "remote"])
    assert calls(d, "local-a") == 1 and done.tier == "remote"
    assert d.cooldowns.cooling("local-a")


def test_timeout_retries_once() -> None:
    d = dispatcher(tier("local", "!timeout"), tier("remote", "ok"), retries=3)
    d.complete(CALL, ["local", "remote"])
    assert calls(d, "local-a") == 2
    assert not d.cooldowns.cooling("local-a")


def test_context_overflow_skips_tiers_with_no_larger_window() -> None:
    d = dispatcher(
        tier("small", "!context", context=4096),
        tier("same", "never", context=4096),
        tier("large", "fits", context=32768),
    )
    done = d.complete(CALL, ["small", "same", "large"])
    assert done.tier == "large"
    assert done.fallbacks[1] == "same: context window too small"
    assert calls(d, "same-a") == 0


def test_forced_fallback_and_quality_refusal() -> None:
    d = dispatcher(tier("a", "bad"), tier("b", "good"), tier("c", "c"), force_fallback=["a"])
    done = d.complete(CALL, ["a", "b", "c"], check=lambda t: [] if t == "c" else ["nope"])
    assert done.tier == "c"
    assert done.fallbacks == ["a: forced", "b: quality gate: nope"]


def test_every_tier_failing_raises_with_the_reasons() -> None:
    d = dispatcher(tier("a", "!rate_limit"), retries=0)
    with pytest.raises(DispatchFailed) as info:
        d.complete(CALL, ["a"])
    assert info.value.fallbacks == ["a/a-a: rate_limit"]


def test_cache_key_covers_system_prompt_history_and_parameters() -> None:
    d = dispatcher(tier("a", "one", "two", "three", "four", "five"))
    base = [{"role": "system", "content": "S"}, {"role": "user", "content": "Q"}]
    assert d.complete(ChatCall(messages=base), ["a"]).completion.text == "one"
    hit = d.complete(ChatCall(messages=list(base)), ["a"])
    assert hit.cached and hit.completion.text == "one"
    other_system = [{"role": "system", "content": "S2"}, {"role": "user", "content": "Q"}]
    assert d.complete(ChatCall(messages=other_system), ["a"]).completion.text == "two"
    history = [base[0], {"role": "assistant", "content": "x"}, base[1]]
    assert d.complete(ChatCall(messages=history), ["a"]).completion.text == "three"
    hotter = ChatCall(messages=base, temperature=0.7)
    assert d.complete(hotter, ["a"]).completion.text == "four"
    assert d.hit_rate() == pytest.approx(1 / 5)


def test_ledger_counts_cost_and_reference_cost_per_user_and_tier() -> None:
    d = dispatcher(
        tier("local", "a" * 40), tier("remote", "b" * 40, cost=1.0), reference="remote-a"
    )
    first = d.complete(CALL, ["local"], user="u1")
    d.complete(CALL, ["local"], user="u1")  # cached: no cost
    d.complete(ChatCall(messages=[{"role": "user", "content": "x" * 400}]), ["remote"], user="u2")
    usage = d.ledger.usage()
    assert usage["by_tier"]["local"]["calls"] == 2
    assert usage["by_tier"]["local"]["cached"] == 1
    assert usage["by_tier"]["local"]["cost_usd"] == 0
    tokens = first.completion.prompt_tokens + first.completion.completion_tokens
    assert usage["by_tier"]["local"]["reference_cost_usd"] == pytest.approx(2 * tokens / 1000)
    assert usage["by_user"]["u2"]["cost_usd"] > 0.1
    mine = d.ledger.usage("u1")
    assert set(mine["by_tier"]) == {"local"} and mine["total"]["saved_usd"] > 0
