"""Conversation memory: the `ConversationStore` protocol and its backends."""

from ree.memory.base import Conversation, ConversationStore, Turn

__all__ = ["Conversation", "ConversationStore", "Turn"]
