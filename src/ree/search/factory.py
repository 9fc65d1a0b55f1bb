"""Choose the listing search backend once, from configuration (`REE_SEARCH_BACKEND`)."""

from __future__ import annotations

from ree.config import Settings
from ree.errors import Unavailable
from ree.search.base import SearchBackend

__all__ = ["open_search"]


def open_search(settings: Settings) -> SearchBackend:
    """Open the configured backend: `embedded` keeps its index in `settings.index_dir`."""
    if settings.search_backend == "embedded":
        from ree.search.embedded import EmbeddedSearch

        return EmbeddedSearch(
            settings.index_dir,
            fusion=settings.fusion,
            bm25_weight=settings.fusion_bm25_weight,
            rrf_k=settings.rrf_k,
            depth=settings.retrieve_depth,
        )
    if settings.search_backend == "opensearch":
        raise Unavailable("the opensearch search backend is not built yet")
    raise Unavailable(f"unknown search backend {settings.search_backend!r}")
