"""The content fingerprint of a listing, used to spot reposts under different ids."""

from __future__ import annotations

import hashlib


def content_hash(title: str, description: str) -> str:
    """sha1 (hex) of title + description."""
    return hashlib.sha1((title + description).encode("utf-8")).hexdigest()
