"""`GET/DELETE /v1/conversations/{id}`: users read and delete only their own."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from ree.api.deps import AssistantDep
from ree.api.schemas import ConversationOut, TurnOut
from ree.chat.service import Assistant
from ree.errors import NotFound
from ree.memory import Conversation

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])


def _owned(assistant: Assistant, conversation_id: str, user_id: str | None) -> Conversation:
    conv = assistant.memory.get(conversation_id)
    if conv is None or (conv.user_id is not None and conv.user_id != user_id):
        raise NotFound(f"conversation {conversation_id!r} not found")
    return conv


@router.get("/{conversation_id}", response_model=ConversationOut)
async def get_conversation(
    conversation_id: str, assistant: AssistantDep, user_id: str | None = None
) -> ConversationOut:
    conv = await asyncio.to_thread(_owned, assistant, conversation_id, user_id)
    turns = await asyncio.to_thread(assistant.memory.history, conv.id, 1000)
    return ConversationOut(
        id=conv.id,
        created_at=conv.created_at,
        updated_at=conv.updated_at,
        state=conv.state.model_dump(mode="json"),
        turns=[
            TurnOut(
                seq=t.seq,
                user_message=t.user_message,
                answer=t.answer,
                intent=t.intent,
                created_at=t.created_at,
            )
            for t in turns
        ],
    )


@router.delete("/{conversation_id}", status_code=204)
async def delete_conversation(
    conversation_id: str, assistant: AssistantDep, user_id: str | None = None
) -> None:
    conv = await asyncio.to_thread(_owned, assistant, conversation_id, user_id)
    await asyncio.to_thread(assistant.memory.delete, conv.id)
