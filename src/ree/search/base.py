"""The listing index protocol every search backend implements (contract: tests/search/)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from ree.models import Filters, Listing


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved listing with its fused score and the ranks each retriever gave it."""

    listing: Listing
    score: float
    bm25_rank: int | None = None
    vector_rank: int | None = None


@dataclass(slots=True)
class SearchResult:
    hits: list[Hit]
    total: int
    timings_ms: dict[str, float] = field(default_factory=dict)


@runtime_checkable
class SearchBackend(Protocol):
    """A persisted listing index with hybrid (lexical + vector) search under hard filters.

    Every hit of `search` satisfies `filters.matches(hit.listing)`. `query` may be empty:
    then the result is the filtered set in `filters.sort` order (newest first by default).
    """

    def upsert(self, listings: Iterable[Listing]) -> int:
        """Insert or replace by id; returns how many were written. Idempotent."""
        ...

    def delete(self, listing_id: str) -> bool: ...

    def get(self, listing_id: str) -> Listing | None: ...

    def get_many(self, listing_ids: list[str]) -> list[Listing]:
        """The listings found, in the order asked; unknown ids are left out."""
        ...

    def search(
        self, query: str | None, filters: Filters, limit: int = 10, offset: int = 0
    ) -> SearchResult: ...

    def count(self) -> int: ...

    def newest_crawl(self) -> datetime | None: ...

    def close(self) -> None: ...
