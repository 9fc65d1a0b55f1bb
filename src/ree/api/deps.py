"""Request dependencies, declared once as `Annotated` aliases."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, Request

from ree.chat.service import Assistant
from ree.errors import Forbidden


def get_assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


def require_admin(
    assistant: AssistantDep, x_admin_key: Annotated[str | None, Header()] = None
) -> None:
    """Admin and ingest endpoints need `X-Admin-Key` equal to `REE_ADMIN_KEY`; unset: closed."""
    expected = assistant.settings.admin_key
    if not expected:
        raise Forbidden("admin endpoints are disabled: set REE_ADMIN_KEY to enable them")
    if not x_admin_key or not secrets.compare_digest(x_admin_key, expected):
        raise Forbidden("a valid X-Admin-Key header is required")


AdminDep = Annotated[None, Depends(require_admin)]
