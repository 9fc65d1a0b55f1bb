"""The in-process local tier (`REE_LLM_LOCAL=llamacpp`): what loading the bundled Gemma 3 270M
costs an API node (RSS, load time) and what it answers at (first-token latency, whole
few-shot answers), against the extractive tier alone; each in a fresh process.

    nice -n -10 .venv/bin/python bench/bench_gateway_inprocess.py
    # writes bench/results/gateway-inprocess.json
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "results" / "gateway-inprocess.json"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def child(rounds: int) -> dict[str, Any]:
    """Runs in a fresh process: import, load, first tokens, whole answers through the gateway."""
    sys.path.insert(0, str(REPO / "tests" / "llm"))
    from test_llamacpp import compare_request  # type: ignore[import-not-found]

    from ree.config import Settings
    from ree.llm.factory import open_gateway
    from ree.llm.llamacpp import InProcessLlama
    from ree.llm.prompts import fewshot_call
    from ree.llm.providers import ChatCall, Deployment, StreamUsage

    out: dict[str, Any] = {"rss_mb_after_imports": rss_mb()}
    provider = InProcessLlama(Deployment(name="b", provider="llamacpp", model="gemma3-270m"))
    started = time.perf_counter()
    provider.model()
    out["load_s"] = round(time.perf_counter() - started, 2)
    out["rss_mb_after_load"] = rss_mb()
    request = compare_request()
    prompt = fewshot_call(request).prompt or ""
    firsts: list[float] = []
    for i in range(rounds):
        started = time.perf_counter()
        for piece in provider.stream(ChatCall([], 4, prompt=f"{prompt} ({i})")):
            if isinstance(piece, str):
                firsts.append((time.perf_counter() - started) * 1000)
                break
    out["prompt_tokens"] = len(prompt) // 4
    out["first_token_ms"] = {"p50": pct(firsts, 0.5), "p95": pct(firsts, 0.95)}
    gated = open_gateway(Settings(llm_local="llamacpp", llm_tiers=None, redis_url=None))
    extractive = open_gateway(Settings(llm_local="off", llm_tiers=None, redis_url=None))
    for name, gateway in (("llamacpp", gated), ("extractive_only", extractive)):
        times: list[float] = []
        tiers: dict[str, int] = {}
        for i in range(rounds):
            req = compare_request(f"Căn hộ mẫu số 1 ({i})")
            started = time.perf_counter()
            generation = gateway.generate(req)
            times.append((time.perf_counter() - started) * 1000)
            tiers[generation.route.tier] = tiers.get(generation.route.tier, 0) + 1
        out[f"answer_{name}"] = {
            "p50_ms": pct(times, 0.5),
            "p95_ms": pct(times, 0.95),
            "answered_by": tiers,
        }
    out["rss_mb_end"] = rss_mb()
    del StreamUsage
    return out


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
        return
    rounds = 10
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(rounds)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = {"rounds": rounds, **json.loads(proc.stdout.strip().splitlines()[-1])}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
