"""Chat turn benchmark: a whole turn (understand, retrieve ‖ history, rerank, extractive answer,
verify, save) on the embedded stores; new questions and repeated ones (cache).

Usage: python bench/bench_turn.py --n 10000 [--turns 200]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil

from bench_retrieval import build
from common import WORK, percentiles, realistic_queries, write_result
from ree.chat.service import Assistant
from ree.config import Settings


async def turns(assistant: Assistant, questions: list[str], follow_ups: bool) -> list[float]:
    samples = []
    rng = random.Random(5)
    for q in questions:
        r = await assistant.turns.handle(q)
        samples.append(r.timings_ms["total"])
        if follow_ups:
            r2 = await assistant.turns.handle(
                rng.choice(["rẻ hơn chút", "có hồ bơi nữa"]), r.conversation_id
            )
            samples.append(r2.timings_ms["total"])
    return samples


def run(n: int, count: int) -> None:
    settings, _ = build(n)
    memory_dir = WORK / "turn-memory"
    shutil.rmtree(memory_dir, ignore_errors=True)
    memory_dir.mkdir(parents=True)
    settings = Settings(
        data_dir=settings.data_dir, database_url=f"sqlite:///{memory_dir}/ree.db", demo_listings=0
    )
    assistant = Assistant.open(settings)
    questions = realistic_queries(count, seed=11)
    asyncio.run(turns(assistant, questions[:10], False))  # warm up
    new = asyncio.run(turns(assistant, questions, True))
    repeated = asyncio.run(turns(assistant, questions, False))
    write_result(
        f"turn-{n}",
        {
            "listings": assistant.search.count(),
            "turn_new_questions_and_follow_ups": percentiles(new),
            "turn_repeated_questions_cached": percentiles(repeated),
            "note": "generation is tier extractive (no model); totals include the SQLite turn save",
        },
    )
    assistant.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=200)
    args = parser.parse_args()
    run(args.n, args.turns)
