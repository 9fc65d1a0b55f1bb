"""High availability with real parts: three `ree gateway` processes behind a real HAProxy
(deploy/haproxy/haproxy.cfg), real llama.cpp upstreams. A replica killed under load fails no
request; the upstream killed, answers come from the next tier."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ree.llm.llamacpp import LlamaServer, free_port

REPO = Path(__file__).resolve().parents[2]


def wait_ok(url: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not up in {timeout_s} s")


def tiers(primary: str, backup: str) -> str:
    def dep(name: str, url: str) -> dict[str, object]:
        return {
            "name": name,
            "provider": "openai-compatible",
            "model": "gemma3-270m",
            "api_base": url,
            "timeout_s": 60,
        }

    return json.dumps(
        [
            {"name": "local", "deployments": [dep("primary", primary)]},
            {"name": "backup", "deployments": [dep("backup", backup)]},
        ]
    )


@pytest.fixture()
def cluster(llama_url: str) -> Iterator[tuple[str, list[subprocess.Popen[bytes]], LlamaServer]]:
    haproxy = shutil.which("haproxy")
    if haproxy is None:
        pytest.skip("haproxy is not installed (apt-get install -y haproxy)")
    primary = LlamaServer(startup_timeout_s=180).start()
    ports = [free_port() for _ in range(3)]
    env = {
        **os.environ,
        "REE_LLM_TIERS": tiers(primary.url, llama_url),
        "REE_LLM_CACHE_TTL_S": "0",
        "REE_LLM_RETRIES": "0",
        "REE_REDIS_URL": "",
    }
    env.pop("REE_REDIS_URL")
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
        **{f"GW{i + 1}": f"127.0.0.1:{p}" for i, p in enumerate(ports)},
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
        for p in ports:  # every replica warm (first call) before the load starts
            with httpx.Client(base_url=f"http://127.0.0.1:{p}", timeout=120) as warm:
                assert ask(warm, -p).status_code == 200
        yield f"http://127.0.0.1:{front}", replicas, primary
    finally:
        proxy.terminate()
        for r in replicas:
            if r.poll() is None:
                os.killpg(r.pid, signal.SIGTERM)
            r.wait(timeout=10)
        proxy.wait(timeout=10)
        primary.stop()


def ask(client: httpx.Client, n: int) -> httpx.Response:
    body = {
        "model": "local",
        "messages": [{"role": "user", "content": f"câu {n}"}],
        "ree_prompt": f"Đếm ({n}): một, hai, ba,",
        "max_tokens": 3,
    }
    return client.post("/v1/chat/completions", json=body)


def test_killing_a_replica_under_load_fails_no_request(
    cluster: tuple[str, list[subprocess.Popen[bytes]], LlamaServer],
) -> None:
    url, replicas, _ = cluster
    outcomes: list[int | str] = []  # a status, or the client error that replaced it
    lock = threading.Lock()

    def worker(start: int) -> None:
        with httpx.Client(base_url=url, timeout=180) as client:
            for n in range(start, start + 12):
                try:
                    outcome: int | str = ask(client, n).status_code
                except httpx.HTTPError as exc:  # counted as a failure, never a hung test
                    outcome = f"{type(exc).__name__}: {exc}"
                with lock:
                    outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(i * 100,)) for i in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 300
    while len(outcomes) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(replicas[1].pid, signal.SIGKILL)
    for t in threads:
        t.join(timeout=600)
    assert len(outcomes) == 48
    assert outcomes == [200] * 48, outcomes


def test_killing_the_upstream_answers_from_the_next_tier(
    cluster: tuple[str, list[subprocess.Popen[bytes]], LlamaServer],
) -> None:
    url, _, primary = cluster
    with httpx.Client(base_url=url, timeout=180) as client:
        assert ask(client, 1).json()["ree"]["tier"] == "local"
        primary.stop()
        for n in range(2, 6):
            resp = ask(client, n)
            assert resp.status_code == 200
            assert resp.json()["ree"]["tier"] == "backup"
