"""The gateway's own cost per request, without the model's jitter: `ree gateway` (provider
`openai-compatible`) in front of an upstream that answers at once (a fixed OpenAI completion,
keep-alive, raw asyncio: ~0.1 ms), side by side with calling that upstream directly, in
rotating order; overhead = gateway minus direct in the same round. Wall time on a busy
machine is mostly scheduling, so the CPU time the gateway process spends per request
(/proc/<pid>/stat, user + system) is reported too: that is what the code costs.
`--baseline SRC` adds a second gateway run from another checkout's `src` (A/B in the same
rounds). With `--profile`, the gateway runs under pyinstrument (profile written next to the
results).

    nice -n -10 .venv/bin/python bench/bench_gateway_overhead.py [--rounds 2000] [--profile]
    git worktree add /tmp/before <commit>
    nice -n -10 .venv/bin/python bench/bench_gateway_overhead.py --baseline /tmp/before/src

The llama.cpp side-by-side (and LiteLLM's proxy) is bench/bench_gateway.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "results" / "gateway-overhead.json"

_ANSWER = json.dumps(
    {
        "id": "cmpl-1",
        "object": "text_completion",
        "model": "stub",
        "choices": [{"index": 0, "text": " ba, bốn", "finish_reason": "length"}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
    }
).encode()


async def _serve(port: int) -> None:
    head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
        + str(len(_ANSWER)).encode()
        + b"\r\n\r\n"
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                header = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in header.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                writer.write(head + _ANSWER)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def wait_up(url: str, proc: subprocess.Popen[bytes], method: str = "GET") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.request(method, url, timeout=1, json={})
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of process `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--stub":
        asyncio.run(_serve(int(sys.argv[2])))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--baseline", help="another checkout's src directory (A/B)")
    args = parser.parse_args()
    from ree.llm.llamacpp import free_port

    stub_port, gw_port, base_port = free_port(), free_port(), free_port()
    upstream = f"http://127.0.0.1:{stub_port}/v1"
    dep = {"name": "stub", "provider": "openai-compatible", "model": "stub", "api_base": upstream}
    env = {
        **os.environ,
        "REE_LLM_TIERS": json.dumps([{"name": "local", "deployments": [dep]}]),
        "REE_LLM_CACHE_TTL_S": "0",  # every request goes upstream: the miss path
    }
    env.pop("REE_REDIS_URL", None)
    code = "import sys; from ree.cli_gateway import gateway_cmd; gateway_cmd(port=int(sys.argv[1]))"
    profile = REPO / "bench" / "results" / "gateway-overhead-profile.txt"
    cmd = [sys.executable, "-c", code, str(gw_port)]
    if args.profile:
        cmd = [sys.executable, "-m", "pyinstrument", "-r", "text", "--show-all",
               "-o", str(profile), "-c", code, str(gw_port)]  # fmt: skip
    if os.environ.get("BENCH_GATEWAY_CMD"):  # e.g. a cProfile runner script
        cmd = [sys.executable, os.environ["BENCH_GATEWAY_CMD"], str(gw_port)]
    procs = {
        "stub": subprocess.Popen([sys.executable, __file__, "--stub", str(stub_port)]),
        "ree_gateway": subprocess.Popen(cmd, env=env),
    }
    if args.baseline:
        base_env = {**env, "PYTHONPATH": args.baseline}
        procs["baseline_gateway"] = subprocess.Popen(
            [sys.executable, "-c", code, str(base_port)], env=base_env
        )
    body = {"model": "local", "messages": [{"role": "user", "content": "Một, hai,"}],
            "ree_prompt": "Một, hai,", "max_tokens": 3}  # fmt: skip
    targets: dict[str, tuple[str, dict[str, Any]]] = {
        "direct": (f"{upstream}/completions",
                   {"model": "stub", "prompt": "Một, hai,", "max_tokens": 3}),
        "ree_gateway": (f"http://127.0.0.1:{gw_port}/v1/chat/completions", body),
    }  # fmt: skip
    if args.baseline:
        targets["baseline_gateway"] = (f"http://127.0.0.1:{base_port}/v1/chat/completions", body)
    try:
        wait_up(f"{upstream}/completions", procs["stub"], "POST")
        for name in targets:
            if name != "direct":
                url = targets[name][0].replace("/v1/chat/completions", "/healthz")
                wait_up(url, procs[name])
        times: dict[str, list[float]] = {k: [] for k in targets}
        cpu: dict[str, float] = {}
        names = list(targets)
        with httpx.Client(timeout=30) as client:
            for i in range(-50, args.rounds):
                if i == 0:
                    cpu = {k: cpu_s(p.pid) for k, p in procs.items()}
                for name in names[i % len(names) :] + names[: i % len(names)]:
                    url, payload = targets[name]
                    started = time.perf_counter()
                    resp = client.post(url, json=payload)
                    took = (time.perf_counter() - started) * 1000
                    resp.raise_for_status()
                    if i >= 0:
                        times[name].append(took)
        cpu_ms = {
            k: round((cpu_s(p.pid) - cpu[k]) * 1000 / args.rounds, 3) for k, p in procs.items()
        }
        result: dict[str, Any] = {
            "rounds": args.rounds,
            "upstream": "instant stub (fixed completion)",
            "latency_ms": {k: {"p50": pct(v, 0.5), "p95": pct(v, 0.95)} for k, v in times.items()},
            "overhead_ms": {},
            "cpu_ms_per_request": cpu_ms,
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "profiled": args.profile,
        }
        for name in names[1:]:
            diff = [g - d for g, d in zip(times[name], times["direct"], strict=True)]
            result["overhead_ms"][name] = {"p50": pct(diff, 0.5), "p95": pct(diff, 0.95)}
    finally:
        for proc in list(procs.values())[::-1]:
            proc.terminate()
            proc.wait(timeout=30)
    if not args.profile:
        OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
