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

import inspect
import time
import uuid
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from ree.config import Settings
from ree.errors import InvalidInput, RateLimited, ReeError, Unauthorized, Unavailable
from ree.llm.dispatch import DispatchFailed, ModelDispatcher
from ree.llm.factory import open_dispatcher
from ree.llm.openai_http import aclose_pools
from ree.llm.providers import ChatCall
from ree.llm.routing import ComplexityRouter, Signals

__all__ = ["ChatRequest", "create_app", "parse_chat"]

_ROLES = frozenset({"system", "user", "assistant", "tool", "developer"})
_MAX_TEXT = 100_000


@dataclass(slots=True)
class ChatRequest:
    """The OpenAI chat request fields REE uses, plus its two extensions."""

    model: str
    messages: list[dict[str, str]]
    max_tokens: int = 256
    temperature: float = 0.0
    stop: list[str] | None = None
    stream: bool = False
    user: str | None = None
    ree_prompt: str | None = None
    ree_fallback: bool = True

    def call(self) -> ChatCall:
        """The model call this request asks for."""
        return ChatCall(
            self.messages, self.max_tokens, self.temperature, self.stop or [], self.ree_prompt
        )


def _field(data: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any) -> Any:
    """`data[name]` when of `kind` (bools are not numbers), `default` when absent or null."""
    value = data.get(name)
    if value is None:
        return default
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise InvalidInput(f"{name}: wrong type")
    return value


def _messages(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= 200:
        raise InvalidInput("messages: a list of 1 to 200 messages is required")
    out = []
    for m in raw:
        role = m.get("role") if isinstance(m, dict) else None
        content = m.get("content") if isinstance(m, dict) else None
        if role not in _ROLES or not isinstance(content, str) or len(content) > _MAX_TEXT:
            raise InvalidInput("messages: each needs a known role and a text content")
        out.append({"role": role, "content": content})
    return out


def parse_chat(raw: bytes) -> ChatRequest:
    """The request in `raw` (JSON), checked by hand: no model validation on the hot path.
    `InvalidInput` (400) names the first bad field."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput("the body is not JSON") from exc
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object")
    stop = data.get("stop")
    if isinstance(stop, str):
        stop = [stop]
    elif stop is not None and not (
        isinstance(stop, list) and all(isinstance(x, str) for x in stop)
    ):
        raise InvalidInput("stop: a string or a list of strings")
    body = ChatRequest(
        model=_field(data, "model", str, "auto"),
        messages=_messages(data.get("messages")),
        max_tokens=_field(data, "max_tokens", int, 256),
        temperature=float(_field(data, "temperature", (int, float), 0.0)),
        stop=stop,
        stream=_field(data, "stream", bool, False),
        user=_field(data, "user", str, None),
        ree_prompt=_field(data, "ree_prompt", str, None),
        ree_fallback=_field(data, "ree_fallback", bool, True),
    )
    if not 1 <= body.max_tokens <= 8192 or not 0 <= body.temperature <= 2:
        raise InvalidInput("max_tokens must be 1..8192 and temperature 0..2")
    if len(body.user or "") > 200 or len(body.ree_prompt or "") > _MAX_TEXT:
        raise InvalidInput("user or ree_prompt too long")
    return body


class GatewayService:
    """The state of one replica: dispatcher, router, limiter, keys."""

    def __init__(self, settings: Settings) -> None:
        self.dispatcher, self.limiter, self.closers = open_dispatcher(
            settings, background_writes=True
        )
        config = self.dispatcher.config
        self.names = [t.name for t in config.tiers]
        self.router = ComplexityRouter(self.names, config.shares())
        self.keys = {k.strip() for k in (settings.api_keys or "").split(",") if k.strip()}

    def chain(self, body: ChatRequest) -> tuple[list[str], str]:
        """Tiers to try and why: the named (or routed) tier, cheaper ones, then pricier ones."""
        if body.model in self.names:
            first, reason = body.model, f"requested tier {body.model}"
        elif body.model in ("auto", "ree"):
            users = [m for m in body.messages if m["role"] == "user"]
            text = users[-1]["content"] if users else ""
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


async def _sse(tier: str, model: str, pieces: AsyncIterator[str]) -> AsyncIterator[bytes]:
    cid = f"chatcmpl-{uuid.uuid4().hex[:20]}"
    async for piece in pieces:
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


def _error(exc: ReeError) -> Response:
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(max(1, int(exc.retry_after_s + 0.999)))
    body = {"error": {"code": exc.code, "message": exc.message}}
    return Response(
        orjson.dumps(body), status_code=exc.status, headers=headers, media_type="application/json"
    )


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def create_app(settings: Settings | None = None) -> Starlette:
    """The gateway service app for `settings` (read from the environment when omitted).
    A plain Starlette app: every route is a coroutine (no worker-thread hop), and no
    per-request dependency solving, validation or telemetry middleware on the hot path."""
    settings = settings or Settings()
    s = GatewayService(settings)
    limiter = s.limiter
    auth = s.keys or None  # no keys configured: nothing to check

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await s.dispatcher.flush()
        for closer in s.closers:
            result = closer()
            if inspect.isawaitable(result):
                await result
        await aclose_pools()

    async def ree_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, ReeError)
        return _error(exc)

    async def charge(subjects: list[str], tokens: int) -> None:
        for subject in subjects:
            await limiter.aspent(subject, tokens)

    def later(work: Coroutine[Any, Any, None]) -> None:
        s.dispatcher.later(work)

    async def chat(request: Request) -> Response:
        body = parse_chat(await request.body())
        call = body.call()
        subjects = _subjects(s, request.headers.get("authorization"), body.user)
        if limiter.active:
            for subject in subjects:
                await limiter.aadmit(subject, call.estimated_tokens())
        chain, reason = s.chain(body)
        user = body.user or (subjects[0] if subjects else "anonymous")
        try:
            if body.stream:

                def charged(c: Any) -> None:
                    if limiter.tpd and subjects:
                        later(charge(subjects, c.prompt_tokens + c.completion_tokens))

                tier, dep, pieces, _ = await s.dispatcher.astream(call, chain, user, charged)
                return StreamingResponse(_sse(tier, dep, pieces), media_type="text/event-stream")
            done = await s.dispatcher.acomplete(call, chain, user, _check)
        except DispatchFailed as exc:
            raise Unavailable("every model tier failed: " + "; ".join(exc.fallbacks)) from exc
        if limiter.tpd and subjects:
            c = done.completion
            later(charge(subjects, c.prompt_tokens + c.completion_tokens))
        return _json(_completion(body, done, reason))

    async def models(request: Request) -> Response:
        if auth:
            _subjects(s, request.headers.get("authorization"), None)
        ids = ["auto", *s.names]
        data = [{"id": i, "object": "model", "owned_by": "ree"} for i in ids]
        return _json({"object": "list", "data": data})

    async def usage(request: Request) -> Response:
        if auth:
            _subjects(s, request.headers.get("authorization"), None)
        user = request.query_params.get("user")
        day = request.query_params.get("day")
        if day is not None and not (len(day) == 8 and day.isdigit()):
            raise InvalidInput("day: YYYYMMDD")
        await s.dispatcher.flush()  # this replica's writes are in before it reads
        out = await s.dispatcher.ledger.ausage(user, day)
        out["cache_hit_rate"] = round(s.dispatcher.hit_rate(), 4)
        return _json(out)

    async def healthz(_: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    async def readyz(_: Request) -> Response:
        d: ModelDispatcher = s.dispatcher
        open_ = [x.name for t in d.config.tiers for x in await d.aopen(t.name, [])]
        ok = bool(open_) or not d.config.tiers
        return _json({"ready": ok, "deployments": open_}, 200 if ok else 503)

    async def metrics(_: Request) -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    app = Starlette(
        routes=[
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/v1/models", models, methods=["GET"]),
            Route("/v1/usage", usage, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        exception_handlers={ReeError: ree_error},
        lifespan=lifespan,
    )
    app.state.gateway = s
    return app
