"""One chat turn: lock the conversation, understand, run the RAG pipeline, save the new state.

Turns of one conversation run one at a time in arrival order (`ConversationLocks`), and the
save is a compare-and-set on the conversation version, so no turn is lost or overwritten.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Protocol

from ree.chat.assist import UnderstandAssist
from ree.chat.posting import PostingDesk, PostingStep
from ree.chat.state import next_state
from ree.chat.understand import Understanding, understand
from ree.errors import NotFound
from ree.llm import Route
from ree.memory import Conversation, ConversationStore, Turn
from ree.models import ConversationState, Filters, Intent, Language
from ree.rag.pipeline import RagPipeline, RagRequest
from ree.search.rerank import Ranked
from ree.vi.display import label

LISTING_INTENTS = (Intent.SEARCH, Intent.REFINE)


class TurnLocks(Protocol):
    """What the handler needs from a lock registry: `ConversationLocks` (in process) or
    `RedisConversationLocks` (across processes; the context value is a fencing token)."""

    def acquire(
        self, conversation_id: str, timeout_s: float | None = None
    ) -> AbstractAsyncContextManager[object]:
        """Hold the conversation for the body of the `async with`; `Conflict` past timeout."""
        ...


@dataclass(slots=True)
class TurnResult:
    conversation_id: str
    intent: Intent
    filters: Filters
    language: Language
    answer: str
    shown: list[Ranked]
    total: int
    route: Route
    cached: bool
    timings_ms: dict[str, float] = field(default_factory=dict)


def needs_clarification(u: Understanding) -> bool:
    """A search (or a refinement of nothing: "sắp xếp giá cao đến thấp" as the first message)
    with nothing to narrow it (no place, budget, size or rooms): ask first."""
    if u.intent not in LISTING_INTENTS:
        return False
    f = u.filters
    narrowing = (
        f.province,
        f.districts,
        f.wards,
        f.streets,
        f.project,
        f.price_min,
        f.price_max,
        f.area_min,
        f.area_max,
        f.bedrooms_min,
        f.bedrooms_max,
    )
    return all(v is None for v in narrowing)


def missing_for_post(filters: Filters, lang: Language) -> list[str]:
    """What a seller's draft still lacks, in the seller's language (issue 4 deepens this)."""
    vi = lang == "vi"
    missing: list[str] = []
    if not filters.property_types:
        missing.append("loại nhà" if vi else "property type")
    if not (filters.districts or filters.province):
        missing.append("khu vực" if vi else "location")
    if filters.area_min is None:
        missing.append("diện tích" if vi else "area")
    if filters.price_min is None and filters.price_max is None:
        missing.append("giá" if vi else "price")
    types = filters.property_types or []
    if filters.bedrooms_min is None and types and "land" not in types:
        missing.append("số phòng ngủ" if vi else "bedrooms")
    if not filters.legal and filters.transaction != "rent":
        missing.append(
            label("legal_status", "pink_book", lang) + (" / pháp lý" if vi else " / legal status")
        )
    return missing


class TurnHandler:
    def __init__(
        self,
        pipeline: RagPipeline,
        memory: ConversationStore,
        locks: TurnLocks,
        lock_timeout_s: float = 10.0,
        assist: UnderstandAssist | None = None,
        posting: PostingDesk | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.memory = memory
        self.locks = locks
        self.lock_timeout_s = lock_timeout_s
        self.assist = assist
        self.posting = posting

    async def _conversation(self, conversation_id: str | None, user_id: str | None) -> Conversation:
        if conversation_id is None:
            return await asyncio.to_thread(self.memory.create, user_id)
        conv = await asyncio.to_thread(self.memory.get, conversation_id)
        if conv is None or (conv.user_id is not None and conv.user_id != user_id):
            raise NotFound(f"conversation {conversation_id!r} not found")
        return conv

    async def handle(
        self, message: str, conversation_id: str | None = None, user_id: str | None = None
    ) -> TurnResult:
        started = time.perf_counter()
        if conversation_id is None:
            conversation_id = (await self._conversation(None, user_id)).id
        # Queue first, then read: the lock is taken before any await, so the turns of one
        # conversation run in the order their messages arrived.
        async with self.locks.acquire(conversation_id, self.lock_timeout_s) as token:
            conv = await self._conversation(conversation_id, user_id)  # fresh version
            result = await self._run(message, conv, token)
        result.timings_ms["total"] = round((time.perf_counter() - started) * 1000, 3)
        return result

    async def _run(self, message: str, conv: Conversation, token: object = None) -> TurnResult:
        state = conv.state
        t = time.perf_counter()
        u = understand(message, state)
        assisted: list[str] = []
        if self.assist is not None:
            helped = await self.assist.improve(message, state, u)
            u, assisted = helped.understanding, helped.kept
        understand_ms = round((time.perf_counter() - t) * 1000, 3)
        post: PostingStep | None = None
        if u.intent == Intent.POST_LISTING and self.posting is not None:
            post = await asyncio.to_thread(self.posting.step, state.draft, message, u)
        positions = [i for i in u.refers_to if 0 < i <= len(state.shown_ids)]
        refs = [state.shown_ids[i - 1] for i in positions]
        req = RagRequest(
            message=message,
            intent=u.intent,
            filters=_asked(u),
            language=u.language,
            query_text=u.query_text,
            referenced_ids=refs,
            referenced_positions=positions,
            conversation_id=conv.id,
            version=conv.version,
            clarify=needs_clarification(u),
            missing=self._missing(u, post),
            facts=post.facts if post is not None else {},
        )
        out = await self.pipeline.run(req)
        new_state = self._next_state(state, u, out.shown)
        if post is not None:
            new_state = new_state.model_copy(update={"draft": post.draft})
        t = time.perf_counter()
        turn = Turn(
            user_message=message,
            answer=out.answer,
            intent=u.intent.value,
            state=new_state,
            meta={"route": out.route.tier, "shown": [r.listing.id for r in out.shown]},
        )
        if assisted:
            turn.meta["assist"] = assisted  # constraints a model read and the message grounds
        if post is not None and post.published is not None:
            turn.meta["published"] = post.published.id
        if isinstance(token, int):
            turn.meta["fence"] = token  # the lock's fencing token, kept with the turn
        await asyncio.to_thread(self.memory.append_turn, conv.id, turn, conv.version)
        out.timings_ms["save"] = round((time.perf_counter() - t) * 1000, 3)
        out.timings_ms["understand"] = understand_ms
        return TurnResult(
            conv.id,
            u.intent,
            u.filters,
            u.language,
            out.answer,
            out.shown,
            out.total,
            out.route,
            out.cached,
            out.timings_ms,
        )

    @staticmethod
    def _missing(u: Understanding, post: PostingStep | None) -> list[str]:
        if u.intent != Intent.POST_LISTING:
            return []
        if post is not None:
            return list(post.facts.get("missing", []))
        return missing_for_post(u.filters, u.language)

    @staticmethod
    def _next_state(
        state: ConversationState, u: Understanding, shown: list[Ranked]
    ) -> ConversationState:
        # A search that finds nothing leaves the previous cards on screen: "căn thứ 2" still
        # means the second of those.
        if u.intent in LISTING_INTENTS and shown:
            listings = [r.listing for r in shown]
            return next_state(
                state,
                u,
                [x.id for x in listings],
                [x.price_vnd for x in listings],
                [x.area_m2 for x in listings],
            )
        return next_state(state, u, state.shown_ids, state.shown_prices, state.shown_areas)


def _asked(u: Understanding) -> Filters:
    """What this turn's answer is about: the conversation's filters, with the deal a market
    question asks about ("giá thuê ở đây" while buying: rents)."""
    if u.asked_deal is None:
        return u.filters
    return u.filters.model_copy(update={"transaction": u.asked_deal})
