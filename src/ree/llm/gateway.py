"""The gateway: route a request to a tier, check the answer, fall back down the chain.

Tiers are tried in route order; a tier that raises `TierError` or whose answer fails the
quality gate is recorded in `route.fallbacks` and the next one answers. Tier `extractive`
closes every chain and always passes, so the user always gets an answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from prometheus_client import Counter, Histogram

from ree.llm.base import AnswerRequest, Generation, Route, Tier, TierError
from ree.llm.extractive import ExtractiveComposer
from ree.llm.quality import check_answer
from ree.models import Intent

log = logging.getLogger(__name__)

GENERATIONS = Counter("ree_llm_generations_total", "Answers produced, by tier.", ["tier"])
FALLBACKS = Counter("ree_llm_fallbacks_total", "Tier failures that fell back.", ["tier", "kind"])
LATENCY = Histogram("ree_llm_generate_seconds", "Time to produce an answer, by tier.", ["tier"])

# Answers whose substance is listings and computed numbers: phrasing them needs no model.
RULE_EXTRACTIVE = frozenset(
    {Intent.SEARCH, Intent.REFINE, Intent.SMALLTALK, Intent.OUT_OF_SCOPE, Intent.LISTING_DETAIL}
)


class Gateway:
    """Routes every answer through an ordered tier chain ending in `extractive`."""

    def __init__(self, tiers: Sequence[Tier] = ()) -> None:
        chain = [t for t in tiers if t.name != "extractive"]
        self._extractive = ExtractiveComposer()
        self._tiers: list[Tier] = [*chain, self._extractive]

    @property
    def tiers(self) -> list[str]:
        return [t.name for t in self._tiers]

    def route(self, request: AnswerRequest) -> tuple[list[Tier], str]:
        """The tiers to try, in order, and the reason for that choice."""
        if len(self._tiers) == 1:
            return self._tiers, "only tier configured: extractive"
        if request.intent in RULE_EXTRACTIVE:
            return [
                self._extractive
            ], f"rule: intent {request.intent.value} is answered from listings"
        return self._tiers, f"rule: intent {request.intent.value} may use a model tier"

    def generate(self, request: AnswerRequest) -> Generation:
        chain, reason = self.route(request)
        fallbacks: list[str] = []
        for tier in chain:
            started = time.perf_counter()
            try:
                text = tier.generate(request)
            except TierError as exc:
                FALLBACKS.labels(tier.name, "error").inc()
                fallbacks.append(f"{tier.name}: {exc}")
                continue
            finally:
                LATENCY.labels(tier.name).observe(time.perf_counter() - started)
            verdict = check_answer(text, request)
            if not verdict.ok and tier is not self._extractive:
                FALLBACKS.labels(tier.name, "quality").inc()
                fallbacks.append(f"{tier.name}: quality gate: {', '.join(verdict.problems[:3])}")
                continue
            if not verdict.ok:
                log.warning(
                    "extractive answer failed the gate", extra={"problems": verdict.problems}
                )
            GENERATIONS.labels(tier.name).inc()
            return Generation(text, Route(tier.name, tier.model, reason, fallbacks))
        raise AssertionError("the extractive tier always answers")  # pragma: no cover
