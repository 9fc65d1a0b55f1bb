"""The RAG pipeline: (retrieve ‖ load history) → rerank → augment → generate → verify.

Understanding happens one layer up (`ree.chat`), which hands this pipeline a `RagRequest`:
the intent, the effective filters and the ids of the listings the message refers to.
Every stage is timed into `timings_ms`.

A search's soft wishes ("có hồ bơi", "gần trường": `RagRequest.preferences`, or else the
features of the filters other than the lot's access, `ree.search.rerank.split_preferences`)
are not retrieval filters: they reach the reranker as `preferences`, so a listing meeting
them ranks above an otherwise equal one and says so in its `why`; the answer counts the
listings that meet the constraints, and `facts["preferences"]` names the wishes.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import orjson

from ree.infra.cache import Cache, cache_key
from ree.listings.pricing import Pricer
from ree.llm import AnswerRequest, Gateway, Route
from ree.memory import ConversationStore
from ree.memory.cached import HistoryCachingStore
from ree.models import Filters, Intent, Language, Listing, Transaction
from ree.rag import facts
from ree.rag.history import trim_history
from ree.search import Hit, SearchBackend, SearchResult
from ree.search.rerank import FitReranker, Ranked, split_preferences

SHOWN = 5
STATS_SAMPLE = 1000


@dataclass(slots=True)
class RagRequest:
    message: str
    intent: Intent
    filters: Filters
    language: Language
    query_text: str = ""
    referenced_ids: list[str] = field(default_factory=list)
    referenced_positions: list[int] = field(default_factory=list)
    conversation_id: str | None = None
    clarify: bool = False
    missing: list[str] = field(default_factory=list)
    version: int | None = None  # the conversation's version when the turn started
    facts: dict[str, Any] = field(default_factory=dict)  # computed upstream (posting draft)
    preferences: Filters | None = None  # soft wishes; None: drawn from `filters` (see above)

    def wishes(self) -> tuple[Filters, Filters | None]:
        """(the constraints a search retrieves under, its soft wishes or None)."""
        if self.intent not in (Intent.SEARCH, Intent.REFINE):
            return self.filters, None
        if self.preferences is not None:
            return self.filters, self.preferences
        return split_preferences(self.filters)


@dataclass(slots=True)
class RagResult:
    answer: str
    shown: list[Ranked]
    total: int
    route: Route
    timings_ms: dict[str, float]
    cached: bool = False
    facts: dict[str, Any] = field(default_factory=dict)


SALE_LEVEL_VND = 300_000_000


def search_filters(filters: Filters) -> Filters:
    """The filters retrieval uses: a budget at sale level (≥ 300 triệu) is no monthly rent, so an
    unstated transaction becomes `sale` ("căn hộ dưới 4 tỷ" never lists rentals)."""
    if filters.transaction is not None:
        return filters
    bounds = [v for v in (filters.price_min, filters.price_max) if v is not None]
    if bounds and max(bounds) >= SALE_LEVEL_VND:
        return filters.model_copy(update={"transaction": Transaction.SALE})
    return filters


_BOUNDS = ("price_min", "price_max")


def market_segment(filters: Filters) -> Filters:
    """The listings a market figure is taken over: the segment without the budget a search
    carried ("căn hộ 2PN quận 7 dưới 3 tỷ" then "giá căn hộ quận 7 dạo này thế nào"), and
    sales unless rent was asked ("giá thuê…"): sale prices and monthly rents never mix."""
    update: dict[str, object] = dict.fromkeys(_BOUNDS)
    if filters.transaction is None:
        update["transaction"] = Transaction.SALE
    return filters.model_copy(update=update)


class Stopwatch:
    """Times named stages in milliseconds."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    def stage(self, name: str, started: float) -> None:
        self.ms[name] = round((time.perf_counter() - started) * 1000, 3)


class RagPipeline:
    def __init__(
        self,
        search: SearchBackend,
        memory: ConversationStore,
        gateway: Gateway,
        cache: Cache,
        reranker: FitReranker | None = None,
        depth: int = 100,
        history_turns: int = 10,
        cache_ttl_s: float = 300.0,
        history_token_budget: int = 0,
        pricer: Pricer | None = None,
    ) -> None:
        self.search = search
        self.memory = memory
        self.gateway = gateway
        self.cache = cache
        self.reranker = reranker or FitReranker()
        self.depth = depth
        self.history_turns = history_turns
        self.cache_ttl_s = cache_ttl_s
        self.history_token_budget = history_token_budget
        self.pricer = pricer or Pricer(search)
        self.generation = 0  # bumped when the index changes; part of every retrieval key

    def index_changed(self) -> None:
        self.generation += 1

    async def run(self, req: RagRequest) -> RagResult:
        watch = Stopwatch()
        t0 = time.perf_counter()
        (result, cached), history = await asyncio.gather(
            asyncio.to_thread(self._retrieve, req, watch),
            asyncio.to_thread(self._history, req, watch),
        )
        t = time.perf_counter()
        shown = self._rerank(req, result)
        valuation: dict[str, Any] | None = None
        if req.intent == Intent.VALUATION and not req.clarify:
            valuation, shown = self._valuation(req, result, shown)
        watch.stage("rerank", t)
        t = time.perf_counter()
        request = self._augment(req, result, shown, history, valuation)
        watch.stage("augment", t)
        t = time.perf_counter()
        generation = self.gateway.generate(request)
        watch.stage("generate", t)
        t = time.perf_counter()  # the gateway ran the quality gate on the answer it returns
        if generation.problems:
            generation.route.fallbacks.append("verify: " + ", ".join(generation.problems[:3]))
        watch.stage("verify", t)
        watch.stage("pipeline", t0)
        return RagResult(
            generation.text, shown, result.total, generation.route, watch.ms, cached, request.facts
        )

    def _history(self, req: RagRequest, watch: Stopwatch) -> list[tuple[str, str]]:
        """The recent turns for the model: through the history cache when the store has one
        and the version is known, then trimmed to `history_token_budget` (newest first)."""
        t = time.perf_counter()
        pairs: list[tuple[str, str]] = []
        if req.conversation_id:
            if isinstance(self.memory, HistoryCachingStore) and req.version is not None:
                pairs = self.memory.cached_pairs(req.conversation_id, req.version)
            else:
                turns = self.memory.history(req.conversation_id, self.history_turns)
                pairs = [(x.user_message, x.answer) for x in turns]
            pairs = trim_history(pairs[-self.history_turns :], self.history_token_budget)
        watch.stage("history", t)
        return pairs

    def _retrieve(self, req: RagRequest, watch: Stopwatch) -> tuple[SearchResult, bool]:
        t = time.perf_counter()
        try:
            return self._retrieve_for(req)
        finally:
            watch.stage("retrieve", t)

    def _retrieve_for(self, req: RagRequest) -> tuple[SearchResult, bool]:
        if req.clarify or req.intent in (
            Intent.SMALLTALK,
            Intent.OUT_OF_SCOPE,
            Intent.POST_LISTING,
        ):
            return SearchResult([], 0), False
        if req.referenced_ids and req.intent != Intent.SEARCH:
            listings = self.search.get_many(req.referenced_ids)
            return SearchResult([Hit(x, 1.0) for x in listings], len(listings)), False
        if req.intent == Intent.VALUATION:
            described = facts.subject_of(search_filters(req.filters))
            segment = facts.comparables_filters(described or search_filters(req.filters))
            return self._cached_search(None, segment, STATS_SAMPLE)
        if req.intent == Intent.MARKET:
            return self._cached_search(None, market_segment(req.filters), STATS_SAMPLE)
        hard, _ = req.wishes()
        return self._cached_search(req.query_text or None, search_filters(hard), self.depth)

    def _cached_search(
        self, query: str | None, filters: Filters, limit: int
    ) -> tuple[SearchResult, bool]:
        key = cache_key("retrieve", self.generation, query, filters.constrained(), limit)
        raw = self.cache.get(key)
        if raw is not None:
            data = orjson.loads(raw)
            hits = [Hit(Listing.model_validate(h["l"]), h["s"]) for h in data["hits"]]
            return SearchResult(hits, data["total"]), True
        result = self.search.search(query, filters, limit=limit)
        payload = {
            "total": result.total,
            "hits": [{"l": h.listing.model_dump(mode="json"), "s": h.score} for h in result.hits],
        }
        self.cache.set(key, orjson.dumps(payload), self.cache_ttl_s)
        return result, False

    def _rerank(self, req: RagRequest, result: SearchResult) -> list[Ranked]:
        if req.intent in (Intent.SEARCH, Intent.REFINE):
            _, wishes = req.wishes()
            return self.reranker.run(
                result.hits, req.filters, req.language, limit=SHOWN, preferences=wishes
            )
        if req.intent in (Intent.LISTING_DETAIL, Intent.COMPARE) or (
            req.intent == Intent.VALUATION and req.referenced_ids
        ):
            return [Ranked(h.listing, h.score) for h in result.hits]
        return []

    def _augment(
        self,
        req: RagRequest,
        result: SearchResult,
        shown: list[Ranked],
        history: list[tuple[str, str]],
        valuation: dict[str, Any] | None = None,
    ) -> AnswerRequest:
        known: dict[str, Any] = dict(req.facts)
        if req.clarify:
            known["clarify"] = True
        if req.referenced_positions and len(req.referenced_positions) == len(shown):
            known["positions"] = req.referenced_positions
        if req.intent == Intent.MARKET:
            known["market"] = facts.market_stats([h.listing for h in result.hits])
        elif req.intent == Intent.VALUATION:
            known["valuation"] = valuation if valuation is not None else {"n": 0}
        elif req.intent == Intent.POST_LISTING:
            known["missing"] = req.missing
        hard, wishes = req.wishes()
        if wishes is not None:
            known["preferences"] = wishes.constrained()
        return AnswerRequest(
            intent=req.intent,
            language=req.language,
            question=req.message,
            filters=hard.model_copy(update=dict.fromkeys(_BOUNDS))
            if req.intent == Intent.MARKET
            else hard,  # a market figure is named by the segment it describes
            listings=[r.listing for r in shown],
            total=result.total,
            facts=known,
            history=history,
        )

    def _valuation(
        self, req: RagRequest, result: SearchResult, shown: list[Ranked]
    ) -> tuple[dict[str, Any], list[Ranked]]:
        """The price model's valuation (`ree.listings.pricing.Pricer`) of the listing referred
        to, or of the property the question describes, with the nearest comparables as cards
        (after the listing itself when there is one)."""
        if shown:
            subject = shown[0].listing
            segment = facts.comparables_filters(subject)
            comps, _ = self._cached_search(None, segment, STATS_SAMPLE)
            valuation = self.pricer.run(subject, [h.listing for h in comps.hits])
            cards = [shown[0], *(Ranked(c, 0.0) for c in valuation.comparables[: SHOWN - 1])]
            return valuation.facts(subject), cards
        described = facts.subject_of(search_filters(req.filters))
        if described is None:
            return {"n": 0, "note": "no property type, place and area to price"}, []
        valuation = self.pricer.run(described, [h.listing for h in result.hits])
        return valuation.facts(), [Ranked(c, 0.0) for c in valuation.comparables[:SHOWN]]
