"""The cost ledger: tokens and cost of every model call, per user and per tier, and what each
call would have cost on the reference (remote) model, so savings are measured, not guessed.

Totals are kept in this process; `GET /v1/usage` reads them. Cached answers are recorded with
zero cost (`cached` counts them), so the saving of the cache shows too.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from prometheus_client import Counter

__all__ = ["CallRecord", "Ledger", "Totals"]

TOKENS = Counter("ree_llm_tokens_total", "Tokens used, by tier and direction.", ["tier", "kind"])
COST = Counter("ree_llm_cost_usd_total", "USD spent, by tier.", ["tier"])


@dataclass(slots=True)
class CallRecord:
    """One model call (or a cache hit standing in for one)."""

    user: str
    tier: str
    deployment: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    reference_cost_usd: float
    cached: bool = False


@dataclass(slots=True)
class Totals:
    """Sums over a group of calls."""

    calls: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    reference_cost_usd: float = 0.0

    def add(self, r: CallRecord) -> None:
        self.calls += 1
        self.cached += int(r.cached)
        self.prompt_tokens += r.prompt_tokens
        self.completion_tokens += r.completion_tokens
        self.cost_usd += r.cost_usd
        self.reference_cost_usd += r.reference_cost_usd

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["cost_usd"] = round(self.cost_usd, 8)
        out["reference_cost_usd"] = round(self.reference_cost_usd, 8)
        out["saved_usd"] = round(self.reference_cost_usd - self.cost_usd, 8)
        return out


@dataclass(slots=True)
class Ledger:
    """Totals overall, per user, per tier and per (user, tier)."""

    total: Totals = field(default_factory=Totals)
    by_user: dict[str, Totals] = field(default_factory=dict)
    by_tier: dict[str, Totals] = field(default_factory=dict)
    by_user_tier: dict[tuple[str, str], Totals] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, r: CallRecord) -> None:
        """Add one call to every total it belongs to."""
        with self._lock:
            self.total.add(r)
            self.by_user.setdefault(r.user, Totals()).add(r)
            self.by_tier.setdefault(r.tier, Totals()).add(r)
            self.by_user_tier.setdefault((r.user, r.tier), Totals()).add(r)
        if not r.cached:
            TOKENS.labels(r.tier, "prompt").inc(r.prompt_tokens)
            TOKENS.labels(r.tier, "completion").inc(r.completion_tokens)
            COST.labels(r.tier).inc(r.cost_usd)

    def usage(self, user: str | None = None) -> dict[str, Any]:
        """The `/v1/usage` body: everything, or one user's totals per tier."""
        with self._lock:
            if user is not None:
                tiers = {t: v.as_dict() for (u, t), v in self.by_user_tier.items() if u == user}
                mine = self.by_user.get(user, Totals()).as_dict()
                return {"user": user, "total": mine, "by_tier": tiers}
            return {
                "total": self.total.as_dict(),
                "by_tier": {k: v.as_dict() for k, v in self.by_tier.items()},
                "by_user": {k: v.as_dict() for k, v in self.by_user.items()},
            }
