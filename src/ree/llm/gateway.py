"""The gateway: route a request to a tier, check the answer, fall back down the chain.

Routing decides before generating (`ree.llm.routing`): obvious intents go to `extractive` by
rule; the rest get a complexity score and a model tier. The chain is then the chosen tier, the
cheaper model tiers below it, and `extractive`. A tier that raises `TierError` or whose answer
fails the quality gate is recorded in `route.fallbacks` and the next one answers. Tier
`extractive` closes every chain and always passes, so the user always gets an answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from prometheus_client import Counter, Histogram

from ree.llm.base import AnswerRequest, Generation, Route, Tier, TierError
from ree.llm.dispatch import DispatchFailed, GatewayConfig, ModelDispatcher, TierSpec
from ree.llm.extractive import ExtractiveComposer
from ree.llm.prompts import chat_call, fewshot_call
from ree.llm.quality import check_answer
from ree.llm.routing import RULE_EXTRACTIVE, ComplexityRouter, Signals

__all__ = ["RULE_EXTRACTIVE", "Gateway", "ModelTier"]

log = logging.getLogger(__name__)

GENERATIONS = Counter("ree_llm_generations_total", "Answers produced, by tier.", ["tier"])
FALLBACKS = Counter("ree_llm_fallbacks_total", "Tier failures that fell back.", ["tier", "kind"])
LATENCY = Histogram("ree_llm_generate_seconds", "Time to produce an answer, by tier.", ["tier"])
ROUTES = Counter("ree_llm_routes_total", "Routing decisions, by first tier.", ["tier"])


class ModelTier:
    """A model tier of the dispatcher, prompted from the `AnswerRequest` (few-shot for base
    models, chat otherwise); answers failing the quality gate are refused inside the call."""

    def __init__(self, dispatcher: ModelDispatcher, spec: TierSpec) -> None:
        self.name = spec.name
        self.model = spec.deployments[0].model
        self.style = spec.style
        self._dispatcher = dispatcher

    def generate(self, request: AnswerRequest) -> str:
        """The answer text, or `TierError` with what failed."""
        call = fewshot_call(request) if self.style == "fewshot" else chat_call(request)
        try:
            done = self._dispatcher.complete(
                call, [self.name], check=lambda text: check_answer(text, request).problems
            )
        except DispatchFailed as exc:
            raise TierError("; ".join(exc.fallbacks)) from exc
        return done.completion.text.strip()


class Gateway:
    """Routes every answer through an ordered tier chain ending in `extractive`."""

    def __init__(self, tiers: Sequence[Tier] = (), router: ComplexityRouter | None = None) -> None:
        chain = [t for t in tiers if t.name != "extractive"]
        self._extractive = ExtractiveComposer()
        self._tiers: list[Tier] = [*chain, self._extractive]
        self._router = router or ComplexityRouter([t.name for t in chain], {})
        self.dispatcher: ModelDispatcher | None = None

    @classmethod
    def from_config(
        cls, config: GatewayConfig, dispatcher: ModelDispatcher | None = None
    ) -> Gateway:
        """Model tiers from `config` (cheapest first), routed by its share knob."""
        dispatcher = dispatcher or ModelDispatcher(config)
        tiers = [ModelTier(dispatcher, spec) for spec in config.tiers]
        router = ComplexityRouter([t.name for t in tiers], config.shares())
        gateway = cls(tiers, router)
        gateway.dispatcher = dispatcher
        return gateway

    @property
    def tiers(self) -> list[str]:
        return [t.name for t in self._tiers]

    def route(self, request: AnswerRequest) -> tuple[list[Tier], str]:
        """The tiers to try, in order, and the reason for that choice."""
        if len(self._tiers) == 1:
            return self._tiers, "only tier configured: extractive"
        signals = Signals(
            request.intent, request.question, len(request.listings), len(request.history)
        )
        decision = self._router.decide(signals)
        if decision.tier is None:
            return [self._extractive], decision.reason
        names = self._router.tiers
        below = names[: names.index(decision.tier) + 1][::-1]
        by_name = {t.name: t for t in self._tiers}
        return [*(by_name[n] for n in below), self._extractive], decision.reason

    def generate(self, request: AnswerRequest) -> Generation:
        chain, reason = self.route(request)
        ROUTES.labels(chain[0].name).inc()
        log.info("llm.route tier=%s reason=%s", chain[0].name, reason)
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
            route = Route(tier.name, tier.model, reason, fallbacks)
            return Generation(text, route, verdict.problems)
        raise AssertionError("the extractive tier always answers")  # pragma: no cover
