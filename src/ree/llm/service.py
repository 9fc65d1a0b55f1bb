"""`ree gateway`: the core gateway as its own OpenAI-compatible service.

    POST /v1/chat/completions   model `auto` (routed by complexity) or a tier name; stream=true: SSE
    GET  /v1/models             `auto` and the tiers
    GET  /v1/usage              the cost ledger (`?user=` for one user)
    GET  /healthz /readyz /metrics

API keys (`REE_API_KEYS`, `Authorization: Bearer …`) when set. Limits apply per API key and
per `user`. Extensions of the request: `ree_prompt` (a raw completion prompt for base-model
tiers) and `ree_fallback` (false: only the named tier). The answer carries
`ree: {tier, deployment, cached, reason, fallbacks}`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import orjson
from fastapi import Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from ree.config import Settings
from ree.errors import InvalidInput, RateLimited, ReeError, Unauthorized, Unavailable
from ree.llm.dispatch import DispatchFailed, ModelDispatcher
from ree.llm.factory import open_dispatcher
from ree.llm.providers import ChatCall
from ree.llm.routing import ComplexityRouter, Signals

__all__ = ["ChatRequest", "create_app"]


class Message(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str = Field(max_length=100_000)


class ChatRequest(BaseModel):
    """The OpenAI chat request fields REE uses, plus its two extensions."""

    model: str = "auto"
    messages: list[Message] = Field(min_length=1, max_length=200)
    max_tokens: int = Field(default=256, ge=1, le=8192)
    temperature: float = Field(default=0.0, ge=0, le=2)
    stop: list[str] | str | None = None
    stream: bool = False
    user: str | None = Field(default=None, max_length=200)
    ree_prompt: str | None = Field(default=None, max_length=100_000)
    ree_fallback: bool = True

    def call(self) -> ChatCall:
        stop = [self.stop] if isinstance(self.stop, str) else list(self.stop or [])
        messages = [{"role": m.role, "content": m.content} for m in self.messages]
        return ChatCall(messages, self.max_tokens, self.temperature, stop, self.ree_prompt)


class GatewayService:
    """The state of one replica: dispatcher, router, limiter, keys."""

    def __init__(self, settings: Settings) -> None:
        self.dispatcher, self.limiter, self.closers = open_dispatcher(settings)
        config = self.dispatcher.config
        self.names = [t.name for t in config.tiers]
        self.router = ComplexityRouter(self.names, config.shares())
        self.keys = {k.strip() for k in (settings.api_keys or "").split(",") if k.strip()}

    def chain(self, body: ChatRequest) -> tuple[list[str], str]:
        """Tiers to try and why: the named (or routed) tier, cheaper ones, then pricier ones."""
        if body.model in self.names:
            first, reason = body.model, f"requested tier {body.model}"
        elif body.model in ("auto", "ree"):
            users = [m for m in body.messages if m.role == "user"]
            text = users[-1].content if users else ""
            decision = self.router.decide(Signals(None, text, 0, len(body.messages) - 1))
            if decision.tier is None:
                raise Unavailable("no model tier is configured")
            first, reason = decision.tier, decision.reason
        else:
            raise InvalidInput(f"unknown model {body.model!r}; see GET /v1/models")
        if not body.ree_fallback:
            return [first], reason
        i = self.names.index(first)
        return [first, *self.names[:i][::-1], *self.names[i + 1 :]], reason


def _service(request: Request) -> GatewayService:
    state: GatewayService = request.app.state.gateway
    return state


Service = Annotated[GatewayService, Depends(_service)]
Auth = Annotated[str | None, Header()]


def _subjects(service: GatewayService, authorization: str | None, user: str | None) -> list[str]:
    key = (authorization or "").removeprefix("Bearer ").strip()
    if service.keys and key not in service.keys:
        raise Unauthorized("a valid API key is required (Authorization: Bearer …)")
    subjects = [f"key:{key[:8]}"] if key else []
    return subjects + ([f"user:{user}"] if user else [])


def _check(text: str) -> list[str]:
    return [] if text.strip() else ["empty"]


def _completion(body: ChatRequest, done: Any, reason: str) -> dict[str, Any]:
    c = done.completion
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:20]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": c.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": c.text},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": c.prompt_tokens,
            "completion_tokens": c.completion_tokens,
            "total_tokens": c.prompt_tokens + c.completion_tokens,
        },
        "ree": {
            "tier": done.tier,
            "deployment": done.deployment,
            "cached": done.cached,
            "reason": reason,
            "fallbacks": done.fallbacks,
        },
    }


def _sse(tier: str, model: str, pieces: Iterator[str]) -> Iterator[bytes]:
    cid = f"chatcmpl-{uuid.uuid4().hex[:20]}"
    for piece in pieces:
        chunk = {
            "id": cid,
            "object": "chat.completion.chunk",
            "model": model,
            "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
            "ree": {"tier": tier},
        }
        yield b"data: " + orjson.dumps(chunk) + b"\n\n"
    end: dict[str, Any] = {"id": cid, "object": "chat.completion.chunk", "model": model}
    end["choices"] = [{"index": 0, "delta": {}, "finish_reason": "stop"}]
    yield b"data: " + orjson.dumps(end) + b"\n\ndata: [DONE]\n\n"


def _error(exc: ReeError) -> JSONResponse:
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, int(exc.retry_after_s + 0.999)))
    body = {"error": {"code": exc.code, "message": exc.message}}
    return JSONResponse(body, status_code=exc.status, headers=headers)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The gateway service app for `settings` (read from the environment when omitted)."""
    settings = settings or Settings()
    service = GatewayService(settings)
    app = FastAPI(title="REE core gateway", version="1")
    app.state.gateway = service

    @app.exception_handler(ReeError)
    async def ree_error(_: Request, exc: ReeError) -> JSONResponse:
        return _error(exc)

    @app.on_event("shutdown")
    def close() -> None:  # pragma: no cover - runs at process exit
        for closer in service.closers:
            closer()

    @app.post("/v1/chat/completions", response_model=None)
    def chat(body: ChatRequest, s: Service, authorization: Auth = None) -> Any:
        call = body.call()
        subjects = _subjects(s, authorization, body.user)
        for subject in subjects:
            s.limiter.admit(subject, call.estimated_tokens())
        chain, reason = s.chain(body)
        user = body.user or (subjects[0] if subjects else "anonymous")
        try:
            if body.stream:
                tier, dep, pieces, _ = s.dispatcher.stream(call, chain, user)
                return StreamingResponse(_sse(tier, dep, pieces), media_type="text/event-stream")
            done = s.dispatcher.complete(call, chain, user, _check)
        except DispatchFailed as exc:
            raise Unavailable("every model tier failed: " + "; ".join(exc.fallbacks)) from exc
        for subject in subjects:
            s.limiter.spent(
                subject, done.completion.prompt_tokens + done.completion.completion_tokens
            )
        return _completion(body, done, reason)

    @app.get("/v1/models")
    def models(s: Service, authorization: Auth = None) -> dict[str, Any]:
        _subjects(s, authorization, None)
        ids = ["auto", *s.names]
        return {
            "object": "list",
            "data": [{"id": i, "object": "model", "owned_by": "ree"} for i in ids],
        }

    @app.get("/v1/usage")
    def usage(s: Service, user: str | None = None, authorization: Auth = None) -> dict[str, Any]:
        _subjects(s, authorization, None)
        out = s.dispatcher.ledger.usage(user)
        out["cache_hit_rate"] = round(s.dispatcher.hit_rate(), 4)
        return out

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz(s: Service) -> JSONResponse:
        d: ModelDispatcher = s.dispatcher
        open_ = [
            x.name for t in d.config.tiers for x in t.deployments if not d.cooldowns.cooling(x.name)
        ]
        ok = bool(open_) or not d.config.tiers
        return JSONResponse({"ready": ok, "deployments": open_}, status_code=200 if ok else 503)

    @app.get("/metrics")
    def metrics() -> Response:
        return PlainTextResponse(generate_latest().decode(), media_type=CONTENT_TYPE_LATEST)

    return app
