"""Listing search: the `SearchBackend` protocol and its backends."""

from ree.search.base import Hit, SearchBackend, SearchResult

__all__ = ["Hit", "SearchBackend", "SearchResult"]
