"""The gateway's own cost per request, without the model's jitter: `ree gateway` (provider
`openai-compatible`) in front of an upstream that answers at once (a fixed OpenAI completion,
keep-alive, raw asyncio: ~0.1 ms), side by side with calling that upstream directly, in
rotating order; overhead = gateway minus direct in the same round. With `--profile`, the
gateway runs under pyinstrument and its profile is written next to the results.

    nice -n -10 .venv/bin/python bench/bench_gateway_overhead.py [--rounds 2000] [--profile]

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


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--stub":
        asyncio.run(_serve(int(sys.argv[2])))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    from ree.llm.llamacpp import free_port

    stub_port, gw_port = free_port(), free_port()
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
    procs = [
        subprocess.Popen([sys.executable, __file__, "--stub", str(stub_port)]),
        subprocess.Popen(cmd, env=env),
    ]
    try:
        wait_up(f"{upstream}/completions", procs[0], "POST")
        wait_up(f"http://127.0.0.1:{gw_port}/healthz", procs[1])
        direct = (f"{upstream}/completions", {"model": "stub", "prompt": "Một, hai,",
                                               "max_tokens": 3})  # fmt: skip
        gateway = (
            f"http://127.0.0.1:{gw_port}/v1/chat/completions",
            {"model": "local", "messages": [{"role": "user", "content": "Một, hai,"}],
             "ree_prompt": "Một, hai,", "max_tokens": 3},
        )  # fmt: skip
        targets = {"direct": direct, "ree_gateway": gateway}
        times: dict[str, list[float]] = {k: [] for k in targets}
        names = list(targets)
        with httpx.Client(timeout=30) as client:
            for i in range(-50, args.rounds):
                for name in names[i % 2 :] + names[: i % 2]:
                    url, body = targets[name]
                    started = time.perf_counter()
                    resp = client.post(url, json=body)
                    took = (time.perf_counter() - started) * 1000
                    resp.raise_for_status()
                    if i >= 0:
                        times[name].append(took)
        diff = [g - d for g, d in zip(times["ree_gateway"], times["direct"], strict=True)]
        result: dict[str, Any] = {
            "rounds": args.rounds,
            "upstream": "instant stub (fixed completion)",
            "latency_ms": {k: {"p50": pct(v, 0.5), "p95": pct(v, 0.95)} for k, v in times.items()},
            "overhead_ms": {"p50": pct(diff, 0.5), "p95": pct(diff, 0.95)},
            "load_avg_1m": round(os.getloadavg()[0], 2),
            "profiled": args.profile,
        }
    finally:
        for proc in procs[::-1]:
            proc.terminate()
            proc.wait(timeout=30)
    if not args.profile:
        OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
