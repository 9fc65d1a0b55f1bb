"""Conversation memory on PostgreSQL: history load and turn save at 1k, 100k, 1M messages.

    .venv/bin/python bench/bench_memory.py [--sizes 1000,100000,1000000] [--samples 300]

Uses `REE_BENCH_POSTGRES_URL`, else a throwaway database on 127.0.0.1:5432 (user postgres),
else a throwaway embedded server. Messages are bulk-loaded with generate_series (10 turns
per conversation, spread over the last 11 months, so most monthly partitions hold data);
then `SqlMemory.history` and `SqlMemory.append_turn` are timed on random conversations.
Prints p50/p95/p99 and the EXPLAIN ANALYZE of the history query (partition pruning), and
writes everything to bench/results/memory.json. Stops growing when `--max-seconds` is spent.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import event, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ree.memory.base import Turn  # noqa: E402
from ree.memory.postgres import ensure_partitions  # noqa: E402
from ree.memory.sqlite import SqlMemory  # noqa: E402
from ree.models import ConversationState, Filters  # noqa: E402

TURNS_PER_CONVERSATION = 10


def _state() -> ConversationState:
    return ConversationState(
        filters=Filters(districts=["Quận 7"], price_max=4_000_000_000, bedrooms_min=2),
        shown_ids=[f"demo:{i}" for i in range(5)],
        shown_prices=[3_200_000_000 + i * 100_000_000 for i in range(5)],
        shown_areas=[68.0 + i for i in range(5)],
    )


def _turn(n: int) -> Turn:
    answer = "Có 5 căn hộ 2 phòng ngủ ở Quận 7 dưới 4 tỷ: căn 1 giá 3,2 tỷ, 68 m²… " * 4
    return Turn(f"Tìm căn hộ 2PN Quận 7 dưới 4 tỷ #{n}", answer, "search", _state(), {"n": n})


def _load(store: SqlMemory, first: int, last: int) -> None:
    """Conversations first..last (inclusive), 10 turns each, created up to 330 days ago."""
    turn = _turn(0)
    content = orjson.dumps(
        {
            "user_message": turn.user_message,
            "answer": turn.answer,
            "intent": turn.intent,
            "state": turn.state.model_dump(mode="json"),
            "meta": turn.meta,
        }
    ).decode()
    state = json.dumps(turn.state.model_dump(mode="json"))
    started = "now() - ((g % 330) * interval '1 day') - interval '1 hour'"
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO conversations (id, user_id, version, state, created_at, updated_at) "
                f"SELECT 'bench-' || g, 'user-' || (g % 1000), {TURNS_PER_CONVERSATION}, "
                f"CAST(:state AS jsonb), {started}, {started} + interval '10 minutes' "
                "FROM generate_series(CAST(:lo AS int), CAST(:hi AS int)) g"
            ),
            {"state": state, "lo": first, "hi": last},
        )
        conn.execute(
            text(
                "INSERT INTO messages (conversation_id, seq, role, content, created_at) "
                "SELECT 'bench-' || g, s, 'turn', CAST(:content AS jsonb), "
                f"{started} + s * interval '1 minute' "
                "FROM generate_series(CAST(:lo AS int), CAST(:hi AS int)) g, "
                f"generate_series(1, {TURNS_PER_CONVERSATION}) s"
            ),
            {"content": content, "lo": first, "hi": last},
        )
        conn.execute(text("ANALYZE conversations"))
        conn.execute(text("ANALYZE messages"))


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.50), 3),
        "p95_ms": round(pick(0.95), 3),
        "p99_ms": round(pick(0.99), 3),
        "mean_ms": round(statistics.fmean(ordered), 3),
    }


def _measure(store: SqlMemory, conversations: int, samples: int) -> dict[str, Any]:
    rng = random.Random(7)
    history, save = [], []
    for _ in range(samples):
        cid = f"bench-{rng.randint(1, conversations)}"
        t = time.perf_counter()
        turns = store.history(cid, limit=10)
        history.append((time.perf_counter() - t) * 1000)
        assert len(turns) >= 1, cid
    for n in range(samples):
        cid = f"bench-{rng.randint(1, conversations)}"
        conv = store.get(cid)
        assert conv is not None
        t = time.perf_counter()
        store.append_turn(cid, _turn(n), conv.version)
        save.append((time.perf_counter() - t) * 1000)
    return {"history_load": _percentiles(history), "turn_save": _percentiles(save)}


def _explain(store: SqlMemory, cid: str) -> str:
    seen: list[tuple[str, Any]] = []

    def capture(_c: Any, _cur: Any, statement: str, params: Any, *_rest: Any) -> None:
        if "FROM messages" in statement:
            seen.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        store.history(cid, limit=10)
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    statement, params = seen[-1]
    with store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        rows = raw.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + statement, params)
        return "\n".join(row[0] for row in rows)


def _size(store: SqlMemory) -> dict[str, int]:
    with store.engine.connect() as conn:
        total = conn.execute(
            text(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "WHERE c.relname = 'conversations' OR c.oid IN "
                "(SELECT inhrelid FROM pg_inherits WHERE inhparent = 'messages'::regclass)"
            )
        ).scalar_one()
        conversations = conn.execute(text("SELECT count(*) FROM conversations")).scalar_one()
    return {"bytes": int(total), "conversations": int(conversations)}


def run(url: str, sizes: list[int], samples: int, max_seconds: float) -> dict[str, Any]:
    store = SqlMemory(url)
    today = datetime.now(UTC).date()
    first = (today.replace(day=1) - timedelta(days=340)).replace(day=1)
    ensure_partitions(store.engine, months_ahead=14, from_month=date(first.year, first.month, 1))
    results: dict[str, Any] = {"sizes": {}, "server": str(store.engine.url.host or "socket")}
    loaded, began = 0, time.perf_counter()
    try:
        for size in sizes:
            target = size // TURNS_PER_CONVERSATION
            if time.perf_counter() - began > max_seconds:
                print(f"skipping {size}: --max-seconds spent", file=sys.stderr)
                break
            t = time.perf_counter()
            _load(store, loaded + 1, target)
            load_s = time.perf_counter() - t
            loaded = target
            entry = _measure(store, loaded, samples)
            size_info = _size(store)
            per_1k = size_info["bytes"] / max(size_info["conversations"], 1) * 1000
            entry.update(
                {
                    "messages": size,
                    "load_s": round(load_s, 2),
                    "db_bytes": size_info["bytes"],
                    "mb_per_1000_conversations": round(per_1k / 1e6, 3),
                }
            )
            results["sizes"][str(size)] = entry
            print(json.dumps({str(size): entry}), flush=True)
        results["explain_history"] = _explain(store, f"bench-{max(loaded, 1)}")
        print(results["explain_history"])
    finally:
        store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "memory.json")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    from services import postgres_url

    given = os.environ.get("REE_BENCH_POSTGRES_URL")
    if given:
        results = run(given, sizes, args.samples, args.max_seconds)
    else:
        with postgres_url() as url:
            if url is None:
                raise SystemExit("no PostgreSQL server available")
            results = run(url, sizes, args.samples, args.max_seconds)
    results["measured_at"] = datetime.now(UTC).isoformat()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
