"""Query understanding benchmark: `understand` per message, data loaded once.

Messages: the dev queries and conversation turns of ../shared/data when present, plus the
generated traffic questions. Usage: python bench/bench_understand.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from common import percentiles, realistic_queries, write_result
from ree.chat.understand import understand

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def messages() -> list[str]:
    out = realistic_queries(300, seed=21)
    queries, convs = SHARED / "queries-dev.jsonl", SHARED / "conversations-dev.jsonl"
    if queries.exists():
        out += [json.loads(line)["query"] for line in queries.open(encoding="utf-8")]
    if convs.exists():
        for line in convs.open(encoding="utf-8"):
            out += [t["message"] for t in json.loads(line)["turns"]]
    return out


def run(rounds: int) -> None:
    texts = messages()
    t = time.perf_counter()
    understand("khởi động")
    first_ms = (time.perf_counter() - t) * 1000
    samples = []
    for _ in range(rounds):
        for text in texts:
            t = time.perf_counter()
            understand(text)
            samples.append((time.perf_counter() - t) * 1000)
    write_result(
        "understand",
        {
            "messages": len(texts),
            "rounds": rounds,
            "first_call_ms_loads_data": round(first_ms, 1),
            "understand": percentiles(samples),
            "messages_per_s": round(len(samples) / (sum(samples) / 1000), 1),
        },
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    run(parser.parse_args().rounds)
