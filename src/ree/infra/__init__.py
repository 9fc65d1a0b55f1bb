"""In-process infrastructure shared by the layers: byte caches and per-conversation locks.

Redis-backed versions (issue: production backends) implement the same `Cache` protocol and
the same `acquire(conversation_id, timeout_s)` shape.
"""

from ree.infra.cache import Cache, MemoryCache, cache_key
from ree.infra.locks import ConversationLocks

__all__ = ["Cache", "ConversationLocks", "MemoryCache", "cache_key"]
