"""The conversation memory protocol (contract: tests/memory/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from ree.models import ConversationState


@dataclass(slots=True)
class Turn:
    """One exchange: the user's message, the answer, and the structured state after it."""

    user_message: str
    answer: str
    intent: str
    state: ConversationState
    meta: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    created_at: datetime | None = None


@dataclass(slots=True)
class Conversation:
    id: str
    user_id: str | None
    version: int
    state: ConversationState
    created_at: datetime
    updated_at: datetime


@runtime_checkable
class ConversationStore(Protocol):
    """Stores conversations and their turns.

    `append_turn` is a compare-and-set on the conversation version: it raises
    `ree.errors.Conflict` when `expected_version` is not the stored one, so a stale writer
    can never overwrite a newer turn. A conversation's version counts its turns.
    """

    def create(
        self, user_id: str | None = None, conversation_id: str | None = None
    ) -> Conversation: ...

    def get(self, conversation_id: str) -> Conversation | None: ...

    def history(self, conversation_id: str, limit: int = 10) -> list[Turn]:
        """The last `limit` turns, oldest first."""
        ...

    def append_turn(self, conversation_id: str, turn: Turn, expected_version: int) -> int:
        """Store `turn` as the next one; returns the new version."""
        ...

    def delete(self, conversation_id: str) -> bool: ...

    def ping(self) -> bool: ...

    def close(self) -> None: ...
