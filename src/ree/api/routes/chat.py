"""`POST /v1/chat` (JSON or Server-Sent Events) and `POST /v1/understand`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from ree.api.deps import AssistantDep
from ree.api.errors import error_body
from ree.api.routes.cards import card
from ree.api.schemas import (
    ChatRequest,
    ChatResponse,
    Freshness,
    RouteOut,
    UnderstandRequest,
    UnderstandResponse,
)
from ree.chat.service import Assistant
from ree.chat.turn import TurnResult
from ree.chat.understand import understand
from ree.errors import InvalidInput, NotFound, PayloadTooLarge, ReeError
from ree.listings.chunking import description_snippet
from ree.llm.base import chunk_text
from ree.models import ConversationState

router = APIRouter(prefix="/v1", tags=["chat"])


def _check_message(message: str, max_chars: int) -> str:
    text = message.strip()
    if not text:
        raise InvalidInput("message is empty")
    if len(text) > max_chars:
        raise PayloadTooLarge(f"message is {len(text)} characters; the limit is {max_chars}")
    return text


def _response(assistant: Assistant, r: TurnResult, message: str | None = None) -> ChatResponse:
    fresh = assistant.freshness()
    return ChatResponse(
        conversation_id=r.conversation_id,
        intent=r.intent,
        filters=r.filters.constrained(),
        answer=r.answer,
        listings=[
            card(x.listing, x.score, x.why).model_copy(
                update={"snippet": description_snippet(x.listing.description, message)}
            )
            for x in r.shown
        ],
        route=RouteOut(
            tier=r.route.tier,
            model=r.route.model,
            reason=r.route.reason,
            fallbacks=r.route.fallbacks,
        ),
        cached=r.cached,
        timings_ms=r.timings_ms,
        language=r.language,
        data_freshness=Freshness(
            newest_crawl=fresh.newest_crawl, age_hours=fresh.age_hours, stale=fresh.stale
        ),
    )


def _owned_state(
    assistant: Assistant, conversation_id: str | None, user_id: str | None
) -> ConversationState | None:
    if conversation_id is None:
        return None
    conv = assistant.memory.get(conversation_id)
    if conv is None or (conv.user_id is not None and conv.user_id != user_id):
        raise NotFound(f"conversation {conversation_id!r} not found")
    return conv.state


def _sse(event: str, data: bytes) -> bytes:
    return b"event: " + event.encode() + b"\ndata: " + data + b"\n\n"


async def _stream(assistant: Assistant, body: ChatRequest, message: str) -> AsyncIterator[bytes]:
    try:
        result = await assistant.turns.handle(message, body.conversation_id, body.user_id)
    except ReeError as exc:
        yield _sse("error", orjson.dumps(error_body(exc.code, exc.message)))
        return
    for piece in chunk_text(result.answer):
        yield _sse("token", orjson.dumps({"text": piece}))
    yield _sse("done", _response(assistant, result, message).model_dump_json().encode())


@router.post("/chat", response_model=ChatResponse)
async def chat(body: ChatRequest, assistant: AssistantDep) -> ChatResponse | StreamingResponse:
    message = _check_message(body.message, assistant.settings.max_message_chars)
    if body.stream:
        _owned_state(assistant, body.conversation_id, body.user_id)  # 404 before the stream opens
        return StreamingResponse(
            _stream(assistant, body, message),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    result = await assistant.turns.handle(message, body.conversation_id, body.user_id)
    return _response(assistant, result, message)


@router.post("/understand", response_model=UnderstandResponse)
async def understand_message(
    body: UnderstandRequest, assistant: AssistantDep
) -> UnderstandResponse:
    message = _check_message(body.message, assistant.settings.max_message_chars)
    state = _owned_state(assistant, body.conversation_id, body.user_id)
    u = understand(message, state)
    if assistant.turns.assist is not None:  # REE_UNDERSTAND_ASSIST: the same reading as a turn
        u = (await assistant.turns.assist.improve(message, state, u)).understanding
    return UnderstandResponse(intent=u.intent, filters=u.filters.constrained(), language=u.language)
