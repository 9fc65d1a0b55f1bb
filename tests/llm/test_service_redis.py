"""`ree gateway` replicas sharing one real Redis: the cost ledger, the daily budget and the
cache are seen by every replica; streamed answers are charged; Redis down keeps answering."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ree.config import Settings
from ree.llm.llamacpp import free_port
from ree.llm.service import create_app


def tiers() -> str:
    def spec(name: str, answer: str, cost: float) -> dict[str, Any]:
        dep = {
            "name": f"{name}-1",
            "provider": "scripted",
            "model": f"m-{name}",
            "input_cost_per_1k": cost,
            "output_cost_per_1k": cost,
            "options": {"answers": [answer]},
        }
        return {"name": name, "deployments": [dep]}

    return json.dumps(
        [spec("local", "căn hộ quận bảy", 0.0), spec("remote", "remote answer", 0.01)]
    )


@pytest.fixture()
def prefix(redis_url: str) -> Iterator[str]:
    from services import drop_prefix, unique_prefix

    value = unique_prefix("gw")
    yield value
    drop_prefix(redis_url, value)


def replica(redis_url: str | None, prefix: str, **extra: Any) -> TestClient:
    settings = Settings(
        llm_tiers=tiers(), redis_url=redis_url, redis_prefix=prefix, llm_backoff_s=0, **extra
    )
    return TestClient(create_app(settings))


def ask(c: TestClient, text: str, model: str = "local", **extra: Any) -> Any:
    body = {"model": model, "messages": [{"role": "user", "content": text}], **extra}
    return c.post("/v1/chat/completions", json=body)


def stream(c: TestClient, text: str, **extra: Any) -> str:
    body = {"model": "remote", "stream": True, "messages": [{"role": "user", "content": text}]}
    with c.stream("POST", "/v1/chat/completions", json={**body, **extra}) as resp:
        assert resp.status_code == 200
        lines = [x for x in resp.iter_lines() if x.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    return "".join(json.loads(x[6:])["choices"][0]["delta"].get("content", "") for x in lines[:-1])


def test_usage_on_any_replica_shows_the_totals_of_all(redis_url: str, prefix: str) -> None:
    with replica(redis_url, prefix) as one, replica(redis_url, prefix) as two:
        assert ask(one, "a", user="lan").status_code == 200
        assert ask(two, "b", user="lan").status_code == 200
        assert ask(two, "c", model="remote", user="minh").status_code == 200
        for c in (one, two):  # reading the usage waits for the replica's background writes
            c.get("/v1/usage")
        assert ask(one, "a", user="lan").json()["ree"]["cached"] is True
        # the cache is shared too: replica two has never seen "a"
        assert ask(two, "a", user="lan").json()["ree"]["cached"] is True
        views = [c.get("/v1/usage").json() for c in (one, two)]
        assert views[0] == {**views[1], "cache_hit_rate": views[0]["cache_hit_rate"]}
        usage = views[0]
        assert usage["shared"] is True
        assert usage["total"]["calls"] == 5 and usage["total"]["cached"] == 2
        assert usage["by_tier"]["local"]["calls"] == 4
        assert usage["by_tier"]["remote"]["calls"] == 1
        assert usage["by_tier"]["remote"]["cost_usd"] > 0
        assert usage["by_user"]["lan"]["calls"] == 4 and usage["by_user"]["minh"]["calls"] == 1
        lan = two.get("/v1/usage", params={"user": "lan"}).json()
        assert set(lan["by_tier"]) == {"local"} and lan["total"]["calls"] == 4
        assert one.get("/v1/usage", params={"day": "20000101"}).json()["total"]["calls"] == 0
        assert one.get("/v1/usage", params={"day": "yesterday"}).status_code == 400


def test_a_streamed_answer_is_charged_to_the_budget_and_the_ledger(
    redis_url: str, prefix: str
) -> None:
    budget = {"llm_tokens_per_day": 60}
    with replica(redis_url, prefix, **budget) as one, replica(redis_url, prefix, **budget) as two:
        assert stream(one, "x" * 120, user="an", max_tokens=5) == "remote answer"
        one.get("/v1/usage")  # waits for its background writes
        usage = two.get("/v1/usage", params={"user": "an"}).json()
        remote = usage["by_tier"]["remote"]
        assert remote["calls"] == 1 and remote["completion_tokens"] > 0
        assert remote["prompt_tokens"] >= 30 and remote["cost_usd"] > 0
        # 30 prompt + 2 pieces charged; a 40-token request no longer fits on any replica
        refused = ask(two, "y" * 40, user="an", max_tokens=30)
        assert refused.status_code == 429 and "daily" in refused.json()["error"]["message"]
        assert ask(two, "y" * 40, user="other", max_tokens=30).status_code == 200


def test_streamed_answers_are_charged_in_process_too() -> None:
    c = TestClient(create_app(Settings(llm_tiers=tiers(), llm_tokens_per_day=60)))
    with c:
        assert stream(c, "x" * 120, user="an", max_tokens=5) == "remote answer"
        assert c.get("/v1/usage", params={"user": "an"}).json()["total"]["calls"] == 1
        assert ask(c, "y" * 40, user="an", max_tokens=30).status_code == 429


def test_redis_down_keeps_answering(prefix: str) -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    with replica(dead, prefix, llm_requests_per_min=2) as c:
        first = ask(c, "a", user="u")
        assert first.status_code == 200 and first.json()["ree"]["tier"] == "local"
        assert ask(c, "a", user="u").json()["ree"]["cached"] is False  # no cache, no error
        assert ask(c, "b", user="u").status_code == 429  # limits hold, in this replica
        assert stream(c, "s") == "remote answer"
        usage = c.get("/v1/usage").json()
        assert usage["shared"] is False and usage["total"]["calls"] == 3
        assert c.get("/readyz").json()["ready"] is True
