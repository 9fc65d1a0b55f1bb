"""Provider `openai-compatible` against a real llama.cpp server, awaited (the service's path):
text and chat completions, SSE pieces, errors by kind, and `ree gateway` end to end on it."""

from __future__ import annotations

import asyncio
import json

import pytest
from fastapi.testclient import TestClient

from ree.config import Settings
from ree.errors import InvalidInput
from ree.llm.dispatch import GatewayConfig, ModelDispatcher, TierSpec
from ree.llm.llamacpp import free_port
from ree.llm.openai_http import OpenAICompatibleProvider, aclose_pools, http_error
from ree.llm.providers import ChatCall, Deployment, ProviderError, make_provider
from ree.llm.service import create_app, parse_chat


def dep(url: str, name: str = "direct", model: str = "gemma3-270m") -> Deployment:
    return Deployment(name=name, provider="openai-compatible", model=model, api_base=url)


def test_the_provider_is_registered_by_name(llama_url: str) -> None:
    provider = make_provider(dep(llama_url, model="text-completion-openai/gemma3-270m"))
    assert isinstance(provider, OpenAICompatibleProvider)
    with pytest.raises(ValueError, match="api_base"):
        make_provider(Deployment(name="x", provider="openai-compatible", model="m"))


def test_awaited_text_chat_and_stream(llama_url: str) -> None:
    provider = OpenAICompatibleProvider(dep(llama_url))

    async def run() -> tuple[str, int, list[str]]:
        try:
            text = await provider.acomplete(ChatCall([], 6, prompt="Hà Nội là thủ đô của"))
            chat = await provider.acomplete(ChatCall([{"role": "user", "content": "Chào"}], 6))
            pieces = [p async for p in provider.astream(ChatCall([], 8, prompt="Một, hai, ba,"))]
            assert text.prompt_tokens > 0 and text.completion_tokens > 0
            return text.text, chat.prompt_tokens, pieces
        finally:
            await aclose_pools()

    text, chat_prompt_tokens, pieces = asyncio.run(run())
    assert text.strip() and chat_prompt_tokens > 0  # the chat went through the template
    assert len(pieces) >= 2 and all(isinstance(p, str) for p in pieces)


def test_errors_are_classified(llama_url: str) -> None:
    dead = OpenAICompatibleProvider(dep(f"http://127.0.0.1:{free_port()}/v1"))
    with pytest.raises(ProviderError) as info:
        asyncio.run(dead.acomplete(ChatCall([], 4, prompt="x")))
    assert info.value.kind == "error"
    wrong = OpenAICompatibleProvider(dep(llama_url.removesuffix("/v1") + "/nope"))
    with pytest.raises(ProviderError) as info:
        wrong.complete(ChatCall([], 4, prompt="x"))
    assert info.value.kind == "error" and "404" in str(info.value)
    limited = http_error(429, "slow down", "7")
    assert limited.kind == "rate_limit" and limited.retry_after_s == 7.0
    assert http_error(400, "maximum context length exceeded", None).kind == "context"


def test_a_dead_deployment_falls_back_when_awaited(llama_url: str) -> None:
    config = GatewayConfig(
        tiers=[
            TierSpec(name="a", deployments=[dep(f"http://127.0.0.1:{free_port()}/v1", "dead")]),
            TierSpec(name="b", deployments=[dep(llama_url, "alive")]),
        ],
        retries=0,
    )
    dispatcher = ModelDispatcher(config)
    done = asyncio.run(dispatcher.acomplete(ChatCall([], 6, prompt="Sài Gòn là"), ["a", "b"]))
    assert done.tier == "b" and done.fallbacks == ["a/dead: error"]
    again = asyncio.run(dispatcher.acomplete(ChatCall([], 6, prompt="Sài Gòn là"), ["a", "b"]))
    assert again.cached and again.fallbacks == ["a/dead: cooling down"]


def test_gateway_service_on_the_direct_provider(llama_url: str) -> None:
    settings = Settings(llm_local=llama_url, llm_tiers=None, redis_url=None)
    with TestClient(create_app(settings)) as c:
        body = {"model": "local", "messages": [{"role": "user", "content": "đếm"}],
                "ree_prompt": "Một, hai, ba,", "max_tokens": 4}  # fmt: skip
        first = c.post("/v1/chat/completions", json=body).json()
        assert first["ree"]["deployment"] == "local" and not first["ree"]["cached"]
        assert first["choices"][0]["message"]["content"].strip()
        assert c.post("/v1/chat/completions", json=body).json()["ree"]["cached"] is True
        streamed = {**body, "stream": True, "ree_prompt": "Bốn, năm, sáu,"}
        with c.stream("POST", "/v1/chat/completions", json=streamed) as resp:
            lines = [x for x in resp.iter_lines() if x.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    pieces = [json.loads(x[6:])["choices"][0]["delta"].get("content", "") for x in lines[:-1]]
    assert "".join(pieces).strip()


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        b'{"messages": []}',
        b'{"messages": [{"role": "robot", "content": "x"}]}',
        b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": 0}',
        b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": true}',
        b'{"messages": [{"role": "user", "content": "x"}], "stop": [1]}',
        b'{"messages": [{"role": "user", "content": "x"}], "temperature": 3}',
    ],
)
def test_bad_requests_are_refused(raw: bytes) -> None:
    with pytest.raises(InvalidInput):
        parse_chat(raw)


def test_a_good_request_parses() -> None:
    body = parse_chat(b'{"messages": [{"role": "user", "content": "x"}], "stop": "\\n"}')
    assert body.model == "auto" and body.stop == ["\n"] and body.call().max_tokens == 256
