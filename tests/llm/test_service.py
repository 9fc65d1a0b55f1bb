"""The `ree gateway` app in-process (scripted provider through the real registry): the
OpenAI shape, SSE, models, usage, keys, limits → 429 + Retry-After, tier fallback."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ree.config import Settings
from ree.llm.service import create_app


def tiers(local: list[str], backup: list[str]) -> str:
    def spec(name: str, answers: list[str], cost: float) -> dict[str, Any]:
        dep = {
            "name": f"{name}-1",
            "provider": "scripted",
            "model": f"m-{name}",
            "input_cost_per_1k": cost,
            "output_cost_per_1k": cost,
            "options": {"answers": answers},
        }
        return {"name": name, "deployments": [dep]}

    return json.dumps([spec("local", local, 0.0), spec("remote", backup, 0.01)])


def client(**settings: Any) -> TestClient:
    base: dict[str, Any] = {"llm_tiers": tiers(["xin chào bạn"], ["remote answer"])}
    return TestClient(create_app(Settings(**{**base, **settings})))


def ask(c: TestClient, text: str, **extra: Any) -> Any:
    body = {"model": "local", "messages": [{"role": "user", "content": text}], **extra}
    return c.post("/v1/chat/completions", json=body, headers=extra.pop("headers", {}))


def test_chat_completion_has_the_openai_shape_and_route() -> None:
    c = client()
    data = ask(c, "chào").json()
    assert data["object"] == "chat.completion"
    assert data["choices"][0]["message"] == {"role": "assistant", "content": "xin chào bạn"}
    assert data["usage"]["total_tokens"] > 0
    assert data["ree"]["tier"] == "local" and data["ree"]["cached"] is False
    assert ask(c, "chào").json()["ree"]["cached"] is True
    models = c.get("/v1/models").json()
    assert [m["id"] for m in models["data"]] == ["auto", "local", "remote"]
    assert ask(c, "x", model="nope").status_code == 400


def test_streaming_sends_sse_chunks_then_done() -> None:
    c = client()
    with c.stream(
        "POST",
        "/v1/chat/completions",
        json={"model": "remote", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
    ) as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in resp.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    pieces = [json.loads(line[6:])["choices"][0]["delta"].get("content", "") for line in lines[:-1]]
    assert "".join(pieces) == "remote answer"


def test_a_failing_tier_falls_back_and_usage_counts_it() -> None:
    c = client(llm_tiers=tiers(["!error"], ["from remote"]), llm_backoff_s=0)
    data = ask(c, "q", user="an").json()
    assert data["ree"]["tier"] == "remote"
    assert data["ree"]["fallbacks"] == ["local/local-1: error"]
    usage = c.get("/v1/usage", params={"user": "an"}).json()
    assert usage["by_tier"]["remote"]["calls"] == 1
    assert usage["total"]["cost_usd"] > 0
    only = ask(c, "q2", ree_fallback=False)
    assert only.status_code == 503 and only.json()["error"]["code"] == "unavailable"


def test_forced_fallback_switch() -> None:
    c = client(llm_force_fallback="local")
    assert ask(c, "q").json()["ree"]["fallbacks"] == ["local: forced"]


def test_api_keys_and_rate_limits() -> None:
    c = client(api_keys="k1,k2", llm_requests_per_min=2)
    assert ask(c, "q").status_code == 401
    assert c.get("/v1/models").status_code == 401
    auth = {"Authorization": "Bearer k1"}
    for i in range(2):
        ok = c.post(
            "/v1/chat/completions",
            json={"model": "local", "messages": [{"role": "user", "content": f"q{i}"}]},
            headers=auth,
        )
        assert ok.status_code == 200
    refused = c.post(
        "/v1/chat/completions",
        json={"model": "local", "messages": [{"role": "user", "content": "q3"}]},
        headers=auth,
    )
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 30
    other = {"Authorization": "Bearer k2"}
    assert c.get("/v1/usage", headers=other).status_code == 200


def test_health_ready_metrics() -> None:
    c = client()
    assert c.get("/healthz").json() == {"status": "ok"}
    assert c.get("/readyz").json()["ready"] is True
    ask(c, "m")
    metrics = c.get("/metrics").text
    assert "ree_llm_calls_total" in metrics and "ree_llm_cache_hit_ratio" in metrics


@pytest.mark.parametrize("model", ["auto", "ree"])
def test_auto_routes_by_complexity(model: str) -> None:
    c = client(llm_remote_share=0.0)
    data = ask(c, "tại sao nên đầu tư? so sánh rủi ro", model=model).json()
    assert data["ree"]["tier"] == "local" and data["ree"]["reason"]
