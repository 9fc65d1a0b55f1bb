"""Gateway benchmarks: router shares and cost per 1,000 questions at three knob settings;
latency over the same llama.cpp upstream, side by side in one run (each round sends the same
new prompt to every contender, in a rotating order): direct, `ree gateway` on the
`openai-compatible` provider, `ree gateway` on the `litellm` provider, and LiteLLM's own proxy
(`litellm --config …`, needs the proxy's dependencies); overhead = contender minus direct in
the same round. Throughput at concurrency 50 with cache hits and misses.

    .venv/bin/python bench/bench_gateway.py            # writes bench/results/gateway.json
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from ree.llm.factory import REMOTE_PRICE
from ree.llm.llamacpp import LlamaServer, free_port
from ree.llm.routing import route_report
from ree.models import Intent

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "queries-dev.jsonl"
OUT = REPO / "bench" / "results" / "gateway.json"
TOKENS = (700, 150)  # prompt, completion tokens of a typical answer


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def router_shares() -> dict[str, Any]:
    """The same figures as `ree eval route` (both call `route_report`)."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    questions = [(Intent(r.get("intent", "search")), str(r["query"])) for r in rows]
    return route_report(questions, (0.1, 0.3, 0.6), TOKENS, REMOTE_PRICE)


def gateway(port: int, tiers: str) -> subprocess.Popen[bytes]:
    code = "import sys; from ree.cli_gateway import gateway_cmd; gateway_cmd(port=int(sys.argv[1]))"
    env = {**os.environ, "REE_LLM_TIERS": tiers}
    proc = subprocess.Popen([sys.executable, "-c", code, str(port)], env=env)
    wait_up(f"http://127.0.0.1:{port}/healthz", proc)
    return proc


def litellm_proxy(port: int, upstream: str, workdir: Path) -> subprocess.Popen[bytes] | None:
    """LiteLLM's proxy on the same upstream; None when its dependencies are missing."""
    exe = Path(sys.executable).with_name("litellm")
    if not exe.exists():
        return None
    cfg = workdir / "litellm.yaml"
    cfg.write_text(
        "model_list:\n  - model_name: gemma3-270m\n    litellm_params:\n"
        "      model: text-completion-openai/gemma3-270m\n"
        f"      api_base: {upstream}\n      api_key: none\n"
        "litellm_settings:\n  telemetry: false\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_TELEMETRY": "False",
        # no master key, like `ree gateway` without REE_API_KEYS: neither checks keys
        "LITELLM_DANGEROUSLY_PERMIT_WEAK_OR_UNSET_MASTER_KEY": "true",
    }
    cmd = [str(exe), "--config", str(cfg), "--port", str(port), "--host", "127.0.0.1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(f"http://127.0.0.1:{port}/health/liveliness", proc, 120)
    except RuntimeError:
        proc.terminate()
        return None
    return proc


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def tiers(url: str, provider: str) -> str:
    model = (
        "gemma3-270m" if provider == "openai-compatible" else "text-completion-openai/gemma3-270m"
    )
    dep = {"name": "local", "provider": provider, "model": model, "api_base": url}
    return json.dumps([{"name": "local", "deployments": [dep]}])


def rounds(targets: dict[str, tuple[str, Any]], n: int) -> dict[str, list[float]]:
    """`n` rounds; each sends one new prompt to every target (rotating order), keep-alive."""
    times: dict[str, list[float]] = {name: [] for name in targets}
    names = list(targets)
    with httpx.Client(timeout=120) as client:
        for i in range(-3, n):  # three warm-up rounds
            stamp = time.time_ns() % 10**6
            for name in names[i % len(names) :] + names[: i % len(names)]:
                url, make = targets[name]
                # same length for all, different per target: no one reuses another's KV cache
                prompt = f"Một, hai, ba, bốn ({i} {names.index(name)} {stamp:06d}),"
                started = time.perf_counter()
                resp = client.post(url, json=make(prompt))
                if resp.status_code != 200:
                    raise RuntimeError(f"{name}: HTTP {resp.status_code} {resp.text[:300]}")
                if i >= 0:
                    times[name].append((time.perf_counter() - started) * 1000)
    return times


def overhead_and_throughput(server: LlamaServer, n: int = 200) -> dict[str, Any]:
    procs: list[subprocess.Popen[bytes]] = []
    ports = {k: free_port() for k in ("ree", "ree_litellm", "proxy")}
    tokens = 3

    def ree(prompt: str) -> dict[str, Any]:
        return {"model": "local", "messages": [{"role": "user", "content": prompt}],
                "ree_prompt": prompt, "max_tokens": tokens, "temperature": 0}  # fmt: skip

    def plain(prompt: str) -> dict[str, Any]:
        return {"model": "gemma3-270m", "prompt": prompt, "max_tokens": tokens, "temperature": 0}

    try:
        procs.append(gateway(ports["ree"], tiers(server.url, "openai-compatible")))
        procs.append(gateway(ports["ree_litellm"], tiers(server.url, "litellm")))
        gw = f"http://127.0.0.1:{ports['ree']}/v1/chat/completions"
        targets: dict[str, tuple[str, Any]] = {
            "direct": (f"{server.url}/completions", plain),
            # the noise floor: the upstream against itself in the same round
            "direct_again": (f"{server.url}/completions", plain),
            "ree_gateway": (gw, ree),
            "ree_gateway_litellm_provider": (
                f"http://127.0.0.1:{ports['ree_litellm']}/v1/chat/completions",
                ree,
            ),
        }
        with tempfile.TemporaryDirectory() as tmp:
            proxy = litellm_proxy(ports["proxy"], server.url, Path(tmp))
            if proxy is not None:
                procs.append(proxy)
                targets["litellm_proxy"] = (
                    f"http://127.0.0.1:{ports['proxy']}/v1/completions",
                    plain,
                )
            times = rounds(targets, n)
        result: dict[str, Any] = {"rounds": n, "max_tokens": tokens, "latency_ms": {}}
        result["overhead_ms"] = {}
        for name, values in times.items():
            result["latency_ms"][name] = {"p50": pct(values, 0.5), "p95": pct(values, 0.95)}
            if name != "direct":
                diff = [v - d for v, d in zip(values, times["direct"], strict=True)]
                result["overhead_ms"][name] = {"p50": pct(diff, 0.5), "p95": pct(diff, 0.95)}
        if proxy is None:
            result["litellm_proxy"] = "not measured: the proxy did not start (missing extras?)"
        result["throughput_c50_cache_hit"] = load(gw, 50, 2000, hit=True)
        result["throughput_c50_cache_miss"] = load(gw, 50, 150, hit=False)
        return result
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)


def load(url: str, concurrency: int, total: int, hit: bool) -> dict[str, float]:
    """`total` requests from `concurrency` clients at once: req/s and latency p50/p95 (ms).
    Hits repeat one prompt (warmed first); misses send a new prompt each to the upstream."""
    counter = iter(range(total))
    lock = threading.Lock()
    latencies: list[float] = []
    failures: list[str] = []

    def body(i: int) -> dict[str, Any]:
        text = "Một, hai," if hit else f"Một, hai ({i} {time.time_ns()}),"
        return {"model": "local", "messages": [{"role": "user", "content": text}],
                "ree_prompt": text, "max_tokens": 3}  # fmt: skip

    if hit:
        httpx.post(url, json=body(0), timeout=120).raise_for_status()

    def worker() -> None:
        with httpx.Client(timeout=300) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                started = time.perf_counter()
                resp = client.post(url, json=body(i))
                took = (time.perf_counter() - started) * 1000
                with lock:
                    if resp.status_code == 200:
                        latencies.append(took)
                    else:
                        failures.append(f"{resp.status_code}")

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": total,
        "concurrency": concurrency,
        "failed": len(failures),
        "rps": round(total / elapsed, 1),
        "p50_ms": pct(latencies, 0.5),
        "p95_ms": pct(latencies, 0.95),
    }


def main() -> None:
    results: dict[str, Any] = {}
    if DATA.exists():
        results["router"] = router_shares()
    with LlamaServer(startup_timeout_s=180) as server:
        results["overhead"] = overhead_and_throughput(server)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
