"""Deciding before generating: rules first, then a complexity score against one knob.

Obvious intents go by rule (a search answer is composed from listings, never by a model).
The rest get a complexity score in [0, 1] from the intent, how many listings are compared,
reasoning words, length and conversation depth. One knob, `remote_share`, is the target share
of scored requests sent to the most capable tier: the threshold is the (1 - share) quantile
of the scores seen recently, so the share holds whatever the traffic looks like (calibrated
online; until enough scores are seen, a fixed prior threshold is used).

With more than two model tiers, tiers are ordered cheapest first; each may declare its own
share of the top scores; the first model tier takes the rest.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import deque
from dataclasses import dataclass

from ree.models import Intent
from ree.vi.text import fold

RULE_EXTRACTIVE = frozenset(
    {Intent.SEARCH, Intent.REFINE, Intent.SMALLTALK, Intent.OUT_OF_SCOPE, Intent.LISTING_DETAIL}
)

_INTENT_WEIGHT: dict[Intent, float] = {
    Intent.COMPARE: 0.35,
    Intent.VALUATION: 0.3,
    Intent.MARKET: 0.25,
    Intent.POST_LISTING: 0.15,
}
# Folded (no diacritics), so "tại sao" and "tai sao" count alike.
_REASONING = re.compile(
    r"\b(tai sao|vi sao|nen|co nen|so sanh|hop ly|loi the|uu diem|nhuoc diem|rui ro|dau tu|"
    r"tiem nang|phan tich|danh gia|tu van|giai thich|khac nhau|tot hon|why|should|compare|"
    r"better|worth|pros|cons|risk|invest|explain|analy[sz]e|recommend|trade.?off|versus|vs)\b"
)


@dataclass(slots=True, frozen=True)
class Signals:
    """What the score is computed from."""

    intent: Intent | None
    text: str
    listings: int = 0
    history_turns: int = 0


def complexity(s: Signals) -> float:
    """A score in [0, 1]: higher means a more capable model is more likely to help."""
    score = _INTENT_WEIGHT.get(s.intent, 0.1) if s.intent is not None else 0.15
    folded = fold(s.text).lower()
    score += min(0.3, 0.12 * len(_REASONING.findall(folded)))
    score += min(0.15, 0.05 * max(0, s.listings - 1))
    score += min(0.1, len(s.text) / 3000)
    score += min(0.1, 0.02 * s.history_turns)
    return round(min(1.0, score), 4)


class ShareCalibrator:
    """Thresholds such that a target share of recent scores lies above each."""

    def __init__(self, window: int = 2000, warmup: int = 50, prior: float = 0.5) -> None:
        if window < 1 or warmup < 1:
            raise ValueError("window and warmup must be >= 1")
        self.warmup = warmup
        self.prior = prior
        self._recent: deque[float] = deque(maxlen=window)
        self._sorted: list[float] = []
        self._lock = threading.Lock()

    def observe(self, score: float) -> None:
        """Add a score to the window."""
        with self._lock:
            if len(self._recent) == self._recent.maxlen:
                old = self._recent[0]
                del self._sorted[bisect.bisect_left(self._sorted, old)]
            self._recent.append(score)
            bisect.insort(self._sorted, score)

    def threshold(self, share: float) -> float:
        """Scores strictly above this are in the top `share` (prior until warmed up)."""
        if share <= 0:
            return 1.01
        if share >= 1:
            return -0.01
        with self._lock:
            if len(self._sorted) < self.warmup:
                return self.prior + (0.5 - share) * 0.5
            index = min(len(self._sorted) - 1, int((1 - share) * len(self._sorted)))
            return self._sorted[index] - 1e-9


@dataclass(slots=True)
class Decision:
    """The model tier chosen (None: extractive by rule), the score and the reason."""

    tier: str | None
    score: float | None
    reason: str


class ComplexityRouter:
    """Picks a model tier for a request: rule, else score vs. calibrated share thresholds.

    `tiers` are model tier names cheapest first; `shares[name]` is the target share of scored
    requests for that tier (the first tier takes what the others leave).
    """

    def __init__(
        self,
        tiers: list[str],
        shares: dict[str, float],
        calibrator: ShareCalibrator | None = None,
    ) -> None:
        if sum(shares.values()) > 1 + 1e-9:
            raise ValueError(f"tier shares sum past 1: {shares}")
        unknown = set(shares) - set(tiers)
        if unknown:
            raise ValueError(f"shares for unknown tiers: {sorted(unknown)}")
        self.tiers = list(tiers)
        self.shares = dict(shares)
        self.calibrator = calibrator or ShareCalibrator()

    def decide(self, signals: Signals) -> Decision:
        """The tier for `signals`, with `route.reason`."""
        if signals.intent in RULE_EXTRACTIVE:
            intent = signals.intent.value if signals.intent else "?"
            return Decision(None, None, f"rule: intent {intent} is answered from listings")
        if not self.tiers:
            return Decision(None, None, "no model tier configured")
        score = complexity(signals)
        self.calibrator.observe(score)
        above = 0.0
        for name in reversed(self.tiers[1:]):
            above += self.shares.get(name, 0.0)
            cut = self.calibrator.threshold(above)
            if score > cut:
                return Decision(name, score, f"score {score:.2f} > {cut:.2f} (top {above:.0%})")
        first = self.tiers[0]
        return Decision(first, score, f"score {score:.2f}: cheapest model tier")


def route_report(
    questions: list[tuple[Intent, str]],
    knobs: tuple[float, ...] = (0.1, 0.3, 0.6),
    tokens: tuple[int, int] = (700, 150),
    price_per_1k: tuple[float, float] = (0.00015, 0.0006),
) -> dict[str, object]:
    """Share of `questions` routed to each tier and the remote cost per 1,000 questions at each
    knob, versus sending every question to the remote tier (`tokens` prompt/completion a call
    at `price_per_1k`). Two passes per knob: the second runs on the calibrated threshold."""
    per_call = (tokens[0] * price_per_1k[0] + tokens[1] * price_per_1k[1]) / 1000
    n = max(1, len(questions))
    out: dict[str, object] = {
        "questions": len(questions),
        "tokens_per_call": list(tokens),
        "always_remote_per_1000_usd": round(per_call * 1000, 4),
    }
    for share in knobs:
        router = ComplexityRouter(
            ["local", "remote"], {"remote": share}, ShareCalibrator(warmup=20)
        )
        counts = {"extractive": 0, "local": 0, "remote": 0}
        for _ in range(2):
            counts = dict.fromkeys(counts, 0)
            for intent, text in questions:
                counts[router.decide(Signals(intent, text)).tier or "extractive"] += 1
        scored = counts["local"] + counts["remote"]
        out[f"share={share}"] = {
            "shares": {k: round(v / n, 3) for k, v in counts.items()},
            "remote_share_of_scored": round(counts["remote"] / scored, 3) if scored else 0.0,
            "cost_per_1000_usd": round(counts["remote"] / n * per_call * 1000, 4),
        }
    return out
