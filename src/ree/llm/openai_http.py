"""Provider `openai-compatible`: any OpenAI-compatible server (llama.cpp, vLLM, Ollama's
`/v1`, OpenAI itself) called directly over HTTP, without LiteLLM's per-call work.

One keep-alive connection pool is shared by every deployment: an `aiohttp.ClientSession` per
event loop for the service (async end to end; its C HTTP parser costs a fraction of httpx's
pure-Python stack, which was most of the gateway's CPU per request) and one `httpx.Client` for
in-process sync callers. Bodies are built as dicts and serialised once with orjson; answers
are parsed with orjson and read by key, never validated into models. Raw prompts (base models) go to
`{api_base}/completions`, chats to `{api_base}/chat/completions`; streams are the server's SSE
lines, passed on piece by piece, asking for the final usage chunk
(`stream_options: {"include_usage": true}`), passed on as a `StreamUsage` so streamed answers
are charged their real token counts.

The deployment's `model` is the server's model name; a LiteLLM-style prefix
(`openai/`, `text-completion-openai/`) is dropped so tier configs can switch providers freely.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import orjson

from ree.llm.providers import (
    ChatCall,
    Completion,
    Deployment,
    ProviderError,
    StreamUsage,
    register_provider,
)

__all__ = ["OpenAICompatibleProvider", "aclose_pools", "http_error"]

_PREFIXES = ("text-completion-openai/", "openai/")
_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=64, keepalive_expiry=30)
_JSON = {"Content-Type": "application/json", "Accept": "application/json"}
_pool_lock = threading.Lock()
_async_pools: dict[int, tuple[asyncio.AbstractEventLoop, Any]] = {}
_sync_pool: list[httpx.Client] = []


def _async_pool() -> Any:
    """The shared `aiohttp.ClientSession` of the running event loop (a session is bound to its
    loop); aiohttp is imported on first use, so importing REE never needs it."""
    loop = asyncio.get_running_loop()
    entry = _async_pools.get(id(loop))
    if entry is None or entry[0] is not loop:
        import aiohttp

        connector = aiohttp.TCPConnector(limit=256, keepalive_timeout=30)
        entry = (loop, aiohttp.ClientSession(connector=connector, skip_auto_headers=["User-Agent"]))
        with _pool_lock:
            for key, (other, _) in list(_async_pools.items()):
                if other.is_closed():
                    del _async_pools[key]
            _async_pools[id(loop)] = entry
    return entry[1]


def _pool() -> httpx.Client:
    with _pool_lock:
        if not _sync_pool:
            _sync_pool.append(httpx.Client(limits=_LIMITS))
        return _sync_pool[0]


async def aclose_pools() -> None:
    """Close the running loop's session (at service shutdown)."""
    entry = _async_pools.pop(id(asyncio.get_running_loop()), None)
    if entry is not None:
        await entry[1].close()


def http_error(status: int, text: str, retry_after: str | None) -> ProviderError:
    """The `ProviderError` kind of an HTTP error answer."""
    text = text[:300]
    if status == 429:
        return ProviderError("rate_limit", text, float(retry_after) if retry_after else None)
    low = text.lower()
    if status == 413 or ("context" in low and ("exceed" in low or "length" in low)):
        return ProviderError("context", text)
    if status in (408, 504):
        return ProviderError("timeout", f"HTTP {status}: {text}")
    return ProviderError("error", f"HTTP {status}: {text}")


def _transport_error(exc: Exception) -> ProviderError:
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return ProviderError("timeout", f"{type(exc).__name__}: {exc}")
    return ProviderError("error", f"{type(exc).__name__}: {exc}")


@register_provider("openai-compatible")
class OpenAICompatibleProvider:
    """Calls one OpenAI-compatible deployment with the shared keep-alive pool."""

    def __init__(self, deployment: Deployment) -> None:
        if not deployment.api_base:
            raise ValueError(f"provider openai-compatible needs api_base ({deployment.name})")
        self.deployment = deployment
        base = deployment.api_base.rstrip("/")
        self._chat_url = f"{base}/chat/completions"
        self._text_url = f"{base}/completions"
        model = deployment.model
        for prefix in _PREFIXES:
            model = model.removeprefix(prefix)
        self._model = model
        key = os.environ.get(deployment.api_key_env, "") if deployment.api_key_env else ""
        self._headers = {**_JSON, **({"Authorization": f"Bearer {key}"} if key else {})}
        self._timeout = httpx.Timeout(deployment.timeout_s, connect=min(5.0, deployment.timeout_s))
        self._atimeouts: tuple[Any, Any] | None = None

    def _aio_timeouts(self) -> tuple[Any, Any]:
        """aiohttp timeouts: one answer (total), one stream (per chunk: a stream may last
        longer than one answer's timeout)."""
        if self._atimeouts is None:
            import aiohttp

            t, connect = self.deployment.timeout_s, min(5.0, self.deployment.timeout_s)
            self._atimeouts = (
                aiohttp.ClientTimeout(total=t, sock_connect=connect),
                aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=t),
            )
        return self._atimeouts

    def _request(self, call: ChatCall, stream: bool) -> tuple[str, bytes]:
        body: dict[str, Any] = {
            "model": self._model,
            "max_tokens": call.max_tokens,
            "temperature": call.temperature,
            **self.deployment.options,
        }
        if call.stop:
            body["stop"] = call.stop
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        if call.prompt is not None:
            body["prompt"] = call.prompt
            return self._text_url, orjson.dumps(body)
        body["messages"] = call.messages
        return self._chat_url, orjson.dumps(body)

    def _completion(self, status: int, raw: bytes, retry_after: str | None) -> Completion:
        if status >= 400:
            raise http_error(status, raw.decode("utf-8", "replace"), retry_after)
        try:
            data = orjson.loads(raw)
            choice = data["choices"][0]
            message = choice.get("message")
            text = (message.get("content") if message else choice.get("text")) or ""
        except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ProviderError("error", f"malformed answer: {raw[:200]!r}") from exc
        usage = data.get("usage") or {}
        return Completion(
            text,
            int(usage.get("prompt_tokens") or 0),
            int(usage.get("completion_tokens") or 0),
            str(data.get("model") or self._model),
        )

    async def acomplete(self, call: ChatCall) -> Completion:
        """One answer, awaited on the shared session."""
        url, body = self._request(call, False)
        try:
            async with _async_pool().post(
                url, data=body, headers=self._headers, timeout=self._aio_timeouts()[0]
            ) as resp:
                raw = await resp.read()
                status, retry_after = resp.status, resp.headers.get("retry-after")
        except Exception as exc:  # aiohttp.ClientError, TimeoutError, OSError
            raise _transport_error(exc) from exc
        return self._completion(status, raw, retry_after)

    async def astream(self, call: ChatCall) -> AsyncIterator[str | StreamUsage]:
        """The server's SSE answer, piece by piece (then its usage)."""
        url, body = self._request(call, True)
        try:
            async with _async_pool().post(
                url, data=body, headers=self._headers, timeout=self._aio_timeouts()[1]
            ) as resp:
                if resp.status >= 400:
                    raw = await resp.read()
                    raise http_error(resp.status, raw.decode("utf-8", "replace"), None)
                async for line in resp.content:
                    piece = _piece(line.decode("utf-8", "replace").rstrip("\r\n"))
                    if piece:
                        yield piece
        except ProviderError:
            raise
        except Exception as exc:  # aiohttp.ClientError, TimeoutError, OSError
            raise _transport_error(exc) from exc

    def complete(self, call: ChatCall) -> Completion:
        """One blocking answer (in-process callers), on the shared sync pool."""
        url, body = self._request(call, False)
        try:
            resp = _pool().post(url, content=body, headers=self._headers, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise _transport_error(exc) from exc
        return self._completion(resp.status_code, resp.content, resp.headers.get("retry-after"))

    def stream(self, call: ChatCall) -> Iterator[str | StreamUsage]:
        """The server's SSE answer, piece by piece (blocking)."""
        url, body = self._request(call, True)
        try:
            with _pool().stream(
                "POST", url, content=body, headers=self._headers, timeout=self._timeout
            ) as resp:
                if resp.status_code >= 400:
                    raw = resp.read()
                    raise http_error(resp.status_code, raw.decode("utf-8", "replace"), None)
                for line in resp.iter_lines():
                    piece = _piece(line)
                    if piece:
                        yield piece
        except httpx.HTTPError as exc:
            raise _transport_error(exc) from exc


def _piece(line: str) -> str | StreamUsage | None:
    """The text of one SSE `data:` line of a chat or text completion stream, or the usage it
    carries (the final chunk of a stream asked `include_usage`)."""
    if not line.startswith("data:"):
        return None
    payload = line[5:].strip()
    if not payload or payload == "[DONE]":
        return None
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise ProviderError("error", f"malformed stream line: {payload[:200]}") from exc
    choices = data.get("choices") or []
    if not choices:
        usage = data.get("usage")
        if isinstance(usage, dict) and usage.get("completion_tokens") is not None:
            return StreamUsage(
                int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
            )
        return None
    delta = choices[0].get("delta")
    text = delta.get("content") if delta else choices[0].get("text")
    return text if isinstance(text, str) else None
