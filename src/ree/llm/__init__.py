"""The core gateway: every answer the assistant phrases goes through `Gateway.generate`."""

from ree.llm.base import AnswerRequest, Generation, Route, Tier
from ree.llm.gateway import Gateway

__all__ = ["AnswerRequest", "Gateway", "Generation", "Route", "Tier"]
