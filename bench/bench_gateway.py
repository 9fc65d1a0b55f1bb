"""Gateway benchmarks: router shares and cost per 1,000 questions at three knob settings,
gateway overhead over calling the llama.cpp upstream directly (side by side, one run), and
`ree gateway` throughput at concurrency 50 with cache hits and misses.

    .venv/bin/python bench/bench_gateway.py            # writes bench/results/gateway.json

The LiteLLM-proxy comparison is not measured yet (see docs/gateway.md).
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from ree.llm.factory import REMOTE_PRICE
from ree.llm.llamacpp import LlamaServer, free_port
from ree.llm.routing import ComplexityRouter, ShareCalibrator, Signals
from ree.models import Intent

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "queries-dev.jsonl"
OUT = REPO / "bench" / "results" / "gateway.json"
TOKENS = (700, 150)  # prompt, completion tokens of a typical answer


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def router_shares() -> dict[str, Any]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    per_call = (TOKENS[0] * REMOTE_PRICE[0] + TOKENS[1] * REMOTE_PRICE[1]) / 1000
    out: dict[str, Any] = {"questions": len(rows), "always_remote_per_1000_usd": per_call * 1000}
    for share in (0.1, 0.3, 0.6):
        router = ComplexityRouter(
            ["local", "remote"], {"remote": share}, ShareCalibrator(warmup=20)
        )
        counts = {"extractive": 0, "local": 0, "remote": 0}
        for _ in range(2):  # the second pass runs with a calibrated threshold
            counts = dict.fromkeys(counts, 0)
            for row in rows:
                intent = Intent(row.get("intent", "search"))
                decision = router.decide(Signals(intent, row["query"]))
                counts[decision.tier or "extractive"] += 1
        n = len(rows)
        out[f"share={share}"] = {
            "shares": {k: round(v / n, 3) for k, v in counts.items()},
            "cost_per_1000_usd": round(counts["remote"] / n * per_call * 1000, 4),
        }
    return out


def timed_posts(url: str, body: dict[str, Any], n: int) -> list[float]:
    times = []
    with httpx.Client(timeout=60) as client:
        for _ in range(n):
            started = time.perf_counter()
            client.post(url, json=body).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def gateway(port: int, tiers: str) -> Any:
    import os
    import subprocess

    code = "import sys; from ree.cli_gateway import gateway_cmd; gateway_cmd(port=int(sys.argv[1]))"
    env = {**os.environ, "REE_LLM_TIERS": tiers}
    proc = subprocess.Popen([sys.executable, "-c", code, str(port)], env=env)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("gateway did not start")


def overhead_and_throughput(server: LlamaServer, n: int = 40) -> dict[str, Any]:
    dep = {"name": "local", "model": "text-completion-openai/gemma3-270m", "api_base": server.url}
    port = free_port()
    proc = gateway(port, json.dumps([{"name": "local", "deployments": [dep]}]))
    try:
        direct: list[float] = []
        ours: list[float] = []
        gw = f"http://127.0.0.1:{port}/v1/chat/completions"
        for i in range(n):  # side by side, alternating, same prompts, cache bypassed by seed
            prompt = f"Một, hai, ba, bốn ({i}),"
            body = {"prompt": prompt, "max_tokens": 3, "temperature": 0}
            direct += timed_posts(f"{server.url}/completions", body, 1)
            g = {"model": "local", "messages": [{"role": "user", "content": str(i)}],
                 "ree_prompt": prompt, "max_tokens": 3}  # fmt: skip
            ours += timed_posts(gw, g, 1)
        overhead = [o - d for o, d in zip(ours, direct, strict=True)]
        result: dict[str, Any] = {
            "direct_ms": {"p50": pct(direct, 0.5), "p95": pct(direct, 0.95)},
            "gateway_ms": {"p50": pct(ours, 0.5), "p95": pct(ours, 0.95)},
            "overhead_ms": {"p50": pct(overhead, 0.5), "p95": pct(overhead, 0.95)},
            "overhead_median_of_differences_ms": round(statistics.median(overhead), 3),
        }
        result["throughput_c50_cache_hit_rps"] = load(gw, 50, 400, hit=True)
        result["throughput_c50_cache_miss_rps"] = load(gw, 50, 100, hit=False)
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def load(url: str, concurrency: int, total: int, hit: bool) -> float:
    counter = iter(range(total))
    lock = threading.Lock()

    def worker() -> None:
        with httpx.Client(timeout=120) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                text = "Một, hai," if hit else f"Một, hai ({i} {time.time_ns()}),"
                body = {"model": "local", "messages": [{"role": "user", "content": text}],
                        "ree_prompt": text, "max_tokens": 3}  # fmt: skip
                client.post(url, json=body).raise_for_status()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return round(total / (time.perf_counter() - started), 1)


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
