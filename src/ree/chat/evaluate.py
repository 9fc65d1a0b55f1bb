"""Score query understanding against labelled files (LABELS.md conventions).

`evaluate_understanding(queries, conversations)` runs `understand` on every single-turn query
and on every conversation turn (the state comes from our own `next_state`, with no listings
shown) and reports intent accuracy, per-field precision/recall and exact match of the whole
filter set. Lists compare as sets ("exact_match_ordered" also requires the labels' list order,
int/float alike). The two relative markers are honoured: a label whose note
starts with "price_max below previous results" is matched by any price_max set below the
label's (or set at all when the label has none); "area_min above previous results" likewise.
The scorer shows no listings between turns, so where the filters hold no such bound yet (a
single-turn query, or "rộng hơn" before any area was asked), recognising the request
("cheaper", "larger") without inventing a bound is right.

Run it: `python -m ree.chat.evaluate [DATA_DIR]` (prints the misses and the summary); with
`--assist-url URL` (an OpenAI-compatible server, e.g. llama.cpp serving the bundled Gemma) the
understanding assist runs too, and the summary says how often it was asked and what it kept.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ree.chat.assist import AssistResult, UnderstandAssist
from ree.chat.state import next_state
from ree.chat.understand import Understanding, understand
from ree.models import ConversationState

__all__ = ["assisted_reader", "evaluate_understanding", "main", "open_assist"]

_PRICE_NOTE = "price_max below previous results"
_AREA_NOTE = "area_min above previous results"


@dataclass
class _Score:
    intents: int = 0
    intent_ok: int = 0
    exact: int = 0
    exact_ordered: int = 0
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)


def _norm(value: object) -> object:
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _field_ok(
    key: str, got: dict[str, object], want: dict[str, object], note: str, asked: set[str]
) -> bool:
    """Whether one field is right; `asked` are the relative requests the reader recognised
    ("cheaper", "larger"), which satisfy a relative label when nothing was shown before
    (a single-turn query: there are no previous results to go below or above)."""
    if key == "price_max" and note.startswith(_PRICE_NOTE):
        g, w = got.get(key), want.get(key)
        if g is None and w is None and "cheaper" in asked:
            return True
        return isinstance(g, int) and (w is None or g < w)  # type: ignore[operator]
    if key == "area_min" and note.startswith(_AREA_NOTE):
        g, w = got.get(key), want.get(key)
        if g is None and w is None and "larger" in asked:
            return True
        return isinstance(g, int | float) and (w is None or g > w)  # type: ignore[operator]
    return _norm(got.get(key)) == _norm(want.get(key))


def _relative_keys(note: str) -> set[str]:
    if note.startswith(_PRICE_NOTE):
        return {"price_max"}
    if note.startswith(_AREA_NOTE):
        return {"area_min"}
    return set()


def _score_one(
    score: _Score,
    where: str,
    message: str,
    label: dict[str, Any],
    got: dict[str, object],
    intent: str,
    asked: set[str] | None = None,
) -> None:
    want: dict[str, object] = label.get("filters", {})
    note: str = label.get("note", "") or ""
    score.intents += 1
    score.intent_ok += intent == label["intent"]
    wrong: list[str] = []
    for key in set(got) | set(want) | _relative_keys(note):
        ok = _field_ok(key, got, want, note, asked or set())
        if ok and (key in want or key in got or key in _relative_keys(note)):
            score.tp[key] += 1
        elif not ok:
            wrong.append(key)
            if key in got:
                score.fp[key] += 1
            if key in want or key in _relative_keys(note):
                score.fn[key] += 1
    if not wrong:
        score.exact += 1
        relative = _relative_keys(note)
        same_order = all(
            got.get(k) == want.get(k) for k in set(got) | set(want) if k not in relative
        )
        score.exact_ordered += same_order
    if wrong or intent != label["intent"]:
        score.misses.append(
            {
                "where": where,
                "message": message,
                "intent": [intent, label["intent"]],
                "wrong": {k: [got.get(k), want.get(k)] for k in sorted(wrong)},
            }
        )


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


Reader = Callable[[str, ConversationState | None], Understanding]


def _rules(message: str, state: ConversationState | None) -> Understanding:
    return understand(message, state)


async def _improve(
    assist: UnderstandAssist, message: str, state: ConversationState | None, rules: Understanding
) -> AssistResult:
    from ree.llm.openai_http import aclose_pools

    try:
        return await assist.improve(message, state, rules)
    finally:
        await aclose_pools()  # this loop's HTTP session, before asyncio.run closes the loop


def assisted_reader(assist: UnderstandAssist, counts: Counter[str]) -> Reader:
    """A reader that runs the rules, then the assist (counting asks and kept constraints)."""

    def read(message: str, state: ConversationState | None) -> Understanding:
        rules = understand(message, state)
        out = asyncio.run(_improve(assist, message, state, rules))
        counts["asked"] += int(out.used)
        counts["changed"] += int(bool(out.kept))
        counts["kept"] += len(out.kept)
        counts["refused"] += len(out.refused)
        return out.understanding

    return read


def _run_queries(score: _Score, path: Path, read: Reader = _rules) -> None:
    for row in _read_jsonl(path):
        u = read(row["query"], None)
        got = u.filters.constrained()
        _score_one(score, row["id"], row["query"], row, got, u.intent.value, set(u.relative))


def _run_conversations(score: _Score, path: Path, read: Reader = _rules) -> None:
    for conv in _read_jsonl(path):
        state: ConversationState | None = None
        carried: dict[str, tuple[str, object]] = {}  # key -> (relative note, labelled value)
        for n, turn in enumerate(conv["turns"], start=1):
            u = read(turn["message"], state)
            where = f"{conv['id']}#{n}"
            got = u.filters.constrained()
            label = _carry_relative(turn, carried)
            _score_one(score, where, turn["message"], label, got, u.intent.value, set(u.relative))
            state = next_state(state, u, [], [], [])


def _carry_relative(turn: dict[str, Any], carried: dict[str, tuple[str, object]]) -> dict[str, Any]:
    """The turn's label, keeping a relative marker alive: after "rẻ hơn", later turns whose
    label still holds the old cap (LABELS keeps it "as an upper bound") are scored against
    the lowered one the conversation now has, until a label states a new value."""
    note: str = turn.get("note", "") or ""
    want: dict[str, object] = turn.get("filters", {})
    for key in _relative_keys(note):
        if want.get(key) is not None:  # a labelled bound the conversation went below/above
            carried[key] = (note, want.get(key))
    for key, (marker, value) in list(carried.items()):
        if want.get(key) != value:
            del carried[key]
        elif key not in _relative_keys(note):
            return {**turn, "note": marker}
    return turn


def _summary(score: _Score) -> dict[str, Any]:
    fields = sorted(set(score.tp) | set(score.fp) | set(score.fn))
    per_field = {}
    for key in fields:
        tp, fp, fn = score.tp[key], score.fp[key], score.fn[key]
        per_field[key] = {
            "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
            "support": tp + fn,
        }
    n = max(score.intents, 1)
    return {
        "items": score.intents,
        "intent_accuracy": round(score.intent_ok / n, 4),
        "exact_match": round(score.exact / n, 4),
        "exact_match_ordered": round(score.exact_ordered / n, 4),
        "fields": per_field,
        "misses": score.misses,
    }


def evaluate_understanding(
    queries_path: Path | str, conversations_path: Path | str, read: Reader = _rules
) -> dict[str, Any]:
    """Scores for the single-turn file, the conversation file, and both together.

    `read` is the reader under test: the rules (default) or `assisted_reader(...)`."""
    queries, convs, both = _Score(), _Score(), _Score()
    _run_queries(queries, Path(queries_path), read)
    if Path(conversations_path).exists():
        _run_conversations(convs, Path(conversations_path), read)
    for part in (queries, convs):
        both.intents += part.intents
        both.intent_ok += part.intent_ok
        both.exact += part.exact
        both.exact_ordered += part.exact_ordered
        both.tp.update(part.tp)
        both.fp.update(part.fp)
        both.fn.update(part.fn)
    report = {"queries": _summary(queries), "conversations": _summary(convs)}
    total = _summary(both)
    total.pop("misses")
    report["total"] = total
    return report


def open_assist(url: str, model: str = "gemma3-270m", style: str = "fewshot") -> UnderstandAssist:
    """The assist over one OpenAI-compatible model server (for evaluation runs)."""
    from ree.chat.assist import GatewayAssistModel
    from ree.llm import Gateway
    from ree.llm.dispatch import GatewayConfig, TierSpec
    from ree.llm.providers import Deployment

    dep = Deployment(name="assist", provider="openai-compatible", model=model, api_base=url)
    config = GatewayConfig(tiers=[TierSpec(name="local", style=style, deployments=[dep])])
    return UnderstandAssist(GatewayAssistModel(Gateway.from_config(config)))


def main(argv: list[str] | None = None) -> int:
    """`python -m ree.chat.evaluate [DATA_DIR] [--set dev|fresh] [--assist-url URL]`: misses,
    then the scores."""
    parser = argparse.ArgumentParser(prog="python -m ree.chat.evaluate")
    parser.add_argument("data", nargs="?", type=Path)
    parser.add_argument("--assist-url", default=None)
    parser.add_argument(
        "--set",
        default="dev",
        help="which files: queries-SET.jsonl and conversations-SET.jsonl (dev, or fresh with "
        "tests/data as DATA: our own blind-labelled set)",
    )
    args = parser.parse_args(argv)
    data = args.data or Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
    queries = data / f"queries-{args.set}.jsonl"
    if not queries.exists():
        print(f"{queries} not found")
        return 2
    counts: Counter[str] = Counter()
    read: Reader = _rules
    if args.assist_url:
        read = assisted_reader(open_assist(args.assist_url), counts)
    report = evaluate_understanding(queries, data / f"conversations-{args.set}.jsonl", read)
    for part in ("queries", "conversations"):
        for miss in report[part]["misses"]:
            print(json.dumps(miss, ensure_ascii=False))
    for part in ("queries", "conversations", "total"):
        r = report[part]
        scores = f"intent={r['intent_accuracy']:.3f} exact={r['exact_match']:.3f}"
        print(f"{part:14} items={r['items']:4} {scores}")
    if args.assist_url:
        print(f"assist: {dict(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
