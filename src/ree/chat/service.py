"""The assistant as one object: the stores, the gateway and the pipeline, built once from settings.

The API, the CLI and the benchmarks all use `Assistant.open(settings)`; backends are chosen
there and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ree.chat.assist import GatewayAssistModel, UnderstandAssist
from ree.chat.posting import PostingDesk
from ree.chat.turn import TurnHandler, TurnLocks
from ree.config import Settings
from ree.infra.cache import Cache, MemoryCache
from ree.infra.locks import ConversationLocks
from ree.listings.analyze import ListingAnalyzer
from ree.listings.pricing import PriceModelFile, Pricer, fit_from_index
from ree.listings.type_model import LearnedTypeExtractor, TypeModelFile
from ree.llm.factory import open_gateway
from ree.memory import ConversationStore
from ree.memory.cached import HistoryCache, HistoryCachingStore
from ree.memory.factory import open_memory
from ree.rag.pipeline import RagPipeline
from ree.search import SearchBackend
from ree.search.factory import open_search

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Freshness:
    newest_crawl: datetime | None
    age_hours: float | None
    stale: bool


class Assistant:
    def __init__(
        self,
        settings: Settings,
        search: SearchBackend,
        memory: ConversationStore,
        cache: Cache,
        locks: TurnLocks | None = None,
        on_close: list[Callable[[], None]] | None = None,
        history_cache: Cache | None = None,
    ) -> None:
        self.settings = settings
        self.search = search
        self.history_cache = history_cache or MemoryCache(max_items=10_000, name="history")
        self.memory: ConversationStore = HistoryCachingStore(
            memory,
            HistoryCache(self.history_cache, settings.history_turns, settings.history_cache_ttl_s),
        )
        memory = self.memory
        self.cache = cache
        self.gateway = open_gateway(settings)
        self.price_model = PriceModelFile(settings.data_dir / "price_model")
        self.pricer = Pricer(search, self.price_model)
        self.type_model = TypeModelFile(settings.data_dir)
        self.analyzer = ListingAnalyzer(
            search, extractor=LearnedTypeExtractor(self.type_model), pricer=self.pricer
        )
        self.pipeline = RagPipeline(
            search,
            memory,
            self.gateway,
            cache,
            depth=settings.retrieve_depth,
            history_turns=settings.history_turns,
            cache_ttl_s=settings.cache_ttl_s,
            history_token_budget=settings.history_token_budget,
            pricer=self.pricer,
        )
        self.locks = locks or ConversationLocks()
        assist = (
            UnderstandAssist(GatewayAssistModel(self.gateway))
            if settings.understand_assist
            else None
        )
        self.turns = TurnHandler(
            self.pipeline,
            memory,
            self.locks,
            settings.lock_timeout_s,
            assist=assist,
            posting=PostingDesk(search, self.analyzer),
        )
        self._on_close = on_close or []

    @classmethod
    def open(cls, settings: Settings) -> Assistant:
        """Build from settings: Redis cache and locks when `redis_url` is set, else in-process."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        search, memory = open_search(settings), open_memory(settings)
        if settings.redis_url is None:
            return cls(settings, search, memory, MemoryCache(max_items=10_000, name="retrieval"))
        cache, locks, on_close, history = _redis_backends(settings, memory)
        return cls(settings, search, memory, cache, locks, on_close, history)

    def close(self) -> None:
        self.search.close()
        self.memory.close()
        for close in self._on_close:
            close()

    def index_changed(self) -> None:
        self.pipeline.index_changed()

    def freshness(self, now: datetime | None = None) -> Freshness:
        newest = self.search.newest_crawl()
        if newest is None:
            return Freshness(None, None, True)
        if newest.tzinfo is None:
            newest = newest.replace(tzinfo=UTC)
        age = ((now or datetime.now(UTC)) - newest).total_seconds() / 3600
        return Freshness(newest, round(age, 2), age > self.settings.stale_after_hours)

    def ensure_demo_data(self, progress: Callable[[int], None] | None = None) -> int:
        """On first start (empty index), generate and index the demo listings; returns how many.

        Then, when there is no price model yet, fit one on the index (`ensure_price_model`).
        """
        written = self._build_demo(progress)
        self.ensure_price_model()
        return written

    def ensure_price_model(self) -> bool:
        """Fit and save the price model when none is saved and the index has listings; True
        when it fitted one. Too few priced listings: the pricer falls back to comparables."""
        if self.price_model.get() is not None or self.search.count() == 0:
            return False
        try:
            model = fit_from_index(self.search, self.settings.price_min_rows)
        except ValueError as exc:
            log.warning("pricing.not_fitted reason=%s", exc)
            return False
        self.price_model.set(model)
        log.info("pricing.fitted rows=%s", model.meta.get("rows"))
        return True

    def _build_demo(self, progress: Callable[[int], None] | None) -> int:
        if self.search.count() > 0 or self.settings.demo_listings == 0:
            return 0
        from ree.ingest.demo import generate
        from ree.ingest.pipeline import ingest

        n = self.settings.demo_listings
        log.info("building demo data", extra={"listings": n})
        report = ingest(generate(n, seed=self.settings.demo_seed), self.search, progress=progress)
        self.index_changed()
        return report.written


def _redis_backends(
    settings: Settings, memory: ConversationStore
) -> tuple[Cache, TurnLocks, list[Callable[[], None]], Cache]:
    """The Redis caches (retrieval, history, query embeddings) and locks (with the
    advisory-lock fallback on PostgreSQL memory)."""
    from ree.infra.redis_cache import RedisCache, redis_client
    from ree.infra.redis_lock import AdvisoryLocks, RedisConversationLocks
    from ree.memory.sqlite import SqlMemory
    from ree.search.embedder import default_embedder

    assert settings.redis_url is not None
    client = redis_client(settings.redis_url)
    on_close: list[Callable[[], None]] = [client.close]
    fallback = None
    if isinstance(memory, SqlMemory) and memory.engine.dialect.name == "postgresql":
        fallback = AdvisoryLocks(memory.engine)
        on_close.append(fallback.close)
    cache = RedisCache(client, name="retrieval", prefix=settings.redis_prefix)
    history = RedisCache(client, name="history", prefix=settings.redis_prefix)
    if settings.embedding_cache_ttl_s > 0:
        embeddings = RedisCache(client, name="embeddings", prefix=settings.redis_prefix)
        embedder = default_embedder()
        embedder.share_queries(embeddings, settings.embedding_cache_ttl_s)
        on_close.insert(0, lambda: embedder.share_queries(None))
    locks = RedisConversationLocks(
        client,
        prefix=settings.redis_prefix,
        fallback=fallback,
        default_timeout_s=settings.lock_timeout_s,
    )
    return cache, locks, on_close, history
