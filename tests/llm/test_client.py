"""`REE_GATEWAY_URL`: an API node's gateway reaching its model tiers through real `ree gateway`
processes (behind a real HAProxy, sharing a real Redis) on a real llama.cpp upstream. One
replica killed: answers keep coming from the model through the other; every gateway down:
the extractive tier answers, no error reaches the user."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ree.config import Settings
from ree.llm.factory import open_gateway
from ree.llm.llamacpp import free_port
from ree.llm.providers import ChatCall

from .test_ha import wait_ok
from .test_llamacpp import compare_request

REPO = Path(__file__).resolve().parents[2]
KEY = "client-test-key"


def tiers(url: str) -> str:
    dep = {
        "name": "gemma",
        "provider": "openai-compatible",
        "model": "gemma3-270m",
        "api_base": url,
        "timeout_s": 120,  # 120 tokens on a busy 2-core machine
    }
    return json.dumps([{"name": "local", "style": "fewshot", "deployments": [dep]}])


@dataclass
class Cluster:
    front: str
    replicas: list[subprocess.Popen[bytes]]
    tiers: str


@pytest.fixture()
def cluster(llama_url: str, redis_url: str) -> Iterator[Cluster]:
    haproxy = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
    if haproxy is None:
        pytest.skip("haproxy is not installed (apt-get install -y haproxy)")
    from services import drop_prefix, unique_prefix

    prefix = unique_prefix("client")
    ports = [free_port() for _ in range(2)]
    env = {
        **os.environ,
        "REE_LLM_TIERS": tiers(llama_url),
        "REE_REDIS_URL": redis_url,
        "REE_REDIS_PREFIX": prefix,
        "REE_API_KEYS": KEY,
        "REE_LLM_RETRIES": "0",
    }
    code = "import sys; from ree.cli_gateway import gateway_cmd; gateway_cmd(port=int(sys.argv[1]))"
    replicas = [
        subprocess.Popen([sys.executable, "-c", code, str(p)], env=env, start_new_session=True)
        for p in ports
    ]
    front = free_port()
    proxy_env = {
        **os.environ,
        "GATEWAY_PORT": str(front),
        "API_PORT": str(free_port()),
        "GW1": f"127.0.0.1:{ports[0]}",
        "GW2": f"127.0.0.1:{ports[1]}",
        "GW3": f"127.0.0.1:{free_port()}",  # a replica that never came up
        **{f"API{i}": f"127.0.0.1:{free_port()}" for i in (1, 2, 3)},
    }
    cfg = REPO / "deploy" / "haproxy" / "haproxy.cfg"
    proxy = subprocess.Popen(
        [haproxy, "-f", str(cfg), "-db"], env=proxy_env, stdout=subprocess.DEVNULL
    )
    try:
        for p in ports:
            wait_ok(f"http://127.0.0.1:{p}/healthz", 120)
        wait_ok(f"http://127.0.0.1:{front}/healthz", 60)
        yield Cluster(f"http://127.0.0.1:{front}", replicas, tiers(llama_url))
    finally:
        proxy.terminate()
        for r in replicas:
            if r.poll() is None:
                os.killpg(r.pid, signal.SIGKILL)  # an answer may still be generating
            r.wait(timeout=30)
        proxy.wait(timeout=30)
        drop_prefix(redis_url, prefix)


def usage_calls(front: str) -> int:
    auth = {"Authorization": f"Bearer {KEY}"}
    return int(httpx.get(f"{front}/v1/usage", headers=auth, timeout=30).json()["total"]["calls"])


def test_an_api_node_answers_through_remote_gateway_replicas(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REE_GATEWAY_KEY", KEY)
    settings = Settings(gateway_url=cluster.front, llm_tiers=cluster.tiers, redis_url=None)
    gateway = open_gateway(settings)
    dispatcher = gateway.dispatcher
    assert dispatcher is not None
    assert [d.provider for t in dispatcher.config.tiers for d in t.deployments] == ["ree-gateway"]

    # a raw call: the model's text comes back through the service, counted in its ledger
    done = dispatcher.complete(ChatCall([], 6, prompt="Một, hai, ba,"), ["local"])
    assert done.tier == "local" and done.completion.text.strip()
    assert done.completion.completion_tokens > 0
    pieces = list(dispatcher.stream(ChatCall([], 6, prompt="Bốn, năm,"), ["local"])[2])
    assert "".join(pieces).strip()
    assert usage_calls(cluster.front) == 2

    # a whole answer: routed to `local` (through the gateway), gated here
    request = compare_request()
    first = gateway.generate(request)
    assert first.route.tier in {"local", "extractive"}
    assert not any("error" in f or "timeout" in f for f in first.route.fallbacks), first.route
    counted = usage_calls(cluster.front)
    assert counted == 3, counted

    # one replica killed: HAProxy sends every call to the other; no call falls back
    os.killpg(cluster.replicas[0].pid, signal.SIGKILL)
    cluster.replicas[0].wait(timeout=10)
    for n in range(4):
        again = dispatcher.complete(ChatCall([], 4, prompt=f"Đếm {n}: một, hai,"), ["local"])
        assert again.tier == "local" and not again.fallbacks
    assert usage_calls(cluster.front) == counted + 4


def test_every_gateway_down_leaves_the_extractive_answer(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REE_GATEWAY_KEY", KEY)
    for r in cluster.replicas:
        os.killpg(r.pid, signal.SIGKILL)
        r.wait(timeout=10)
    settings = Settings(
        gateway_url=cluster.front, llm_tiers=cluster.tiers, redis_url=None, llm_retries=0
    )
    request = compare_request()
    generation = open_gateway(settings).generate(request)
    assert generation.route.tier == "extractive" and generation.text.strip()
    assert generation.route.fallbacks and generation.route.fallbacks[0].startswith("local")


def test_a_wrong_key_is_an_error_not_an_answer(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REE_GATEWAY_KEY", "wrong")
    settings = Settings(gateway_url=cluster.front, llm_tiers=cluster.tiers, redis_url=None)
    gateway = open_gateway(settings)
    generation = gateway.generate(compare_request())
    assert generation.route.tier == "extractive"
    assert any("error" in f for f in generation.route.fallbacks)
