"""Model providers: how one deployment is called. Every provider, built-ins too, registers
through `register_provider`; the gateway never asks which provider it holds.

    ProviderError(kind)     kind            what the gateway does
    ├── error               "error"         retry with backoff, then cooldown + next tier
    ├── timeout             "timeout"       retry once, then next tier
    ├── rate limit (429)    "rate_limit"    cooldown for Retry-After, next deployment/tier
    └── context overflow    "context"       skip to a tier with a larger context window

Built-ins: `openai-compatible` (llama.cpp, vLLM, Ollama's `/v1`, OpenAI: direct HTTP on one
shared keep-alive pool, see `openai_http.py`; the default for `REE_LLM_LOCAL=<base URL>`),
`litellm` (any LiteLLM model, for providers that need its translation) and `scripted`
(answers from a list, for fast unit tests of routing; the real-server tests use llama.cpp).

A provider may also offer `acomplete`/`astream` (`AsyncProvider`): the service awaits those on
its event loop; a provider without them runs in a worker thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

ErrorKind = Literal["error", "timeout", "rate_limit", "context"]

__all__ = [
    "AsyncProvider",
    "ChatCall",
    "Completion",
    "Deployment",
    "ErrorKind",
    "Provider",
    "ProviderError",
    "StreamUsage",
    "make_provider",
    "provider_names",
    "register_provider",
]


class Deployment(BaseModel):
    """One callable model: a provider, a model name, where it lives and what it costs."""

    name: str = Field(min_length=1)
    provider: str = "litellm"
    model: str = Field(min_length=1, description="The provider's model name.")
    api_base: str | None = None
    api_key_env: str | None = Field(default=None, description="Env var holding the key.")
    timeout_s: float = Field(default=30.0, gt=0)
    context_tokens: int = Field(default=8192, ge=256)
    input_cost_per_1k: float = Field(default=0.0, ge=0, description="USD per 1k prompt tokens.")
    output_cost_per_1k: float = Field(default=0.0, ge=0, description="USD per 1k output tokens.")
    options: dict[str, Any] = Field(default_factory=dict, description="Provider options.")

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for a call of this size."""
        return (
            prompt_tokens * self.input_cost_per_1k + completion_tokens * self.output_cost_per_1k
        ) / 1000


@dataclass(slots=True)
class ChatCall:
    """One model call: chat messages (or a raw prompt for base models) and parameters."""

    messages: list[dict[str, str]]
    max_tokens: int = 256
    temperature: float = 0.0
    stop: list[str] = field(default_factory=list)
    prompt: str | None = None

    def params(self) -> dict[str, Any]:
        """Everything besides the messages that shapes the answer (part of the cache key)."""
        return {
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "stop": list(self.stop),
            "prompt": self.prompt,
        }

    def estimated_tokens(self) -> int:
        """A cheap upper-ish estimate of the tokens this call costs (4 chars a token)."""
        chars = len(self.prompt or "") + sum(len(m.get("content", "")) for m in self.messages)
        return chars // 4 + self.max_tokens


@dataclass(slots=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    model: str


@dataclass(slots=True)
class StreamUsage:
    """The token counts a provider learnt while streaming (e.g. OpenAI's final usage chunk,
    `stream_options.include_usage`); yielded after the last piece when known."""

    prompt_tokens: int
    completion_tokens: int


class ProviderError(Exception):
    """A provider call failed; `kind` picks the fallback, `retry_after_s` comes from a 429."""

    def __init__(self, kind: ErrorKind, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.retry_after_s = retry_after_s


class Provider(Protocol):
    """Calls one deployment. Raises `ProviderError`, never anything else."""

    def complete(self, call: ChatCall) -> Completion:
        """The whole answer."""
        ...

    def stream(self, call: ChatCall) -> Iterator[str | StreamUsage]:
        """The answer in pieces, as the model produces them (then its usage, when known)."""
        ...


class AsyncProvider(Provider, Protocol):
    """A provider that can also be awaited (no worker thread per call)."""

    async def acomplete(self, call: ChatCall) -> Completion:
        """The whole answer, awaited."""
        ...

    def astream(self, call: ChatCall) -> AsyncIterator[str | StreamUsage]:
        """The answer in pieces, as an async iterator (then its usage, when known)."""
        ...


ProviderFactory = Callable[[Deployment], Provider]
_REGISTRY: dict[str, ProviderFactory] = {}


def register_provider(name: str) -> Callable[[ProviderFactory], ProviderFactory]:
    """Class decorator (or factory decorator) adding a provider under `name`."""

    def add(factory: ProviderFactory) -> ProviderFactory:
        _REGISTRY[name] = factory
        return factory

    return add


def provider_names() -> list[str]:
    """Registered provider names."""
    return sorted(_REGISTRY)


def make_provider(deployment: Deployment) -> Provider:
    """The provider for `deployment`; ValueError names the registered ones when unknown."""
    factory = _REGISTRY.get(deployment.provider)
    if factory is None:
        raise ValueError(
            f"unknown provider {deployment.provider!r}; registered: {', '.join(provider_names())}"
        )
    return factory(deployment)


_litellm_lock = threading.Lock()
_litellm: Any = None


def load_litellm() -> Any:
    """Import LiteLLM once (it costs ~2 s), offline: the local price map, no telemetry."""
    global _litellm
    with _litellm_lock:
        if _litellm is None:
            os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            os.environ.setdefault("LITELLM_TELEMETRY", "False")
            import litellm  # type: ignore[import-not-found,unused-ignore]

            litellm.telemetry = False
            litellm.suppress_debug_info = True
            _litellm = litellm
    return _litellm


def _classify(exc: Exception) -> ProviderError:
    """Map LiteLLM's (OpenAI-shaped) exceptions to our four kinds."""
    name = type(exc).__name__
    text = str(exc)
    low = text.lower()
    if "ContextWindow" in name or ("context" in low and ("exceed" in low or "length" in low)):
        return ProviderError("context", text[:300])
    if "RateLimit" in name or "429" in text:
        retry = getattr(getattr(exc, "response", None), "headers", {}) or {}
        after = retry.get("retry-after") if hasattr(retry, "get") else None
        return ProviderError("rate_limit", text[:300], float(after) if after else None)
    if "Timeout" in name or "timed out" in low:
        return ProviderError("timeout", text[:300])
    return ProviderError("error", f"{name}: {text[:300]}")


@register_provider("litellm")
class LiteLLMProvider:
    """Any LiteLLM model. Raw prompts (base models) go to the text-completion endpoint."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self._litellm = load_litellm()

    def _kwargs(self, call: ChatCall) -> dict[str, Any]:
        d = self.deployment
        kwargs: dict[str, Any] = {
            "model": d.model,
            "max_tokens": call.max_tokens,
            "temperature": call.temperature,
            "timeout": d.timeout_s,
            "num_retries": 0,
            **d.options,
        }
        if call.stop:
            kwargs["stop"] = call.stop
        if d.api_base:
            kwargs["api_base"] = d.api_base
        kwargs["api_key"] = os.environ.get(d.api_key_env, "") if d.api_key_env else "none"
        return kwargs

    def complete(self, call: ChatCall) -> Completion:
        """One blocking call."""
        try:
            if call.prompt is not None:
                resp = self._litellm.text_completion(prompt=call.prompt, **self._kwargs(call))
                text = resp.choices[0].text or ""
            else:
                resp = self._litellm.completion(messages=call.messages, **self._kwargs(call))
                text = resp.choices[0].message.content or ""
        except Exception as exc:  # LiteLLM raises many types; classified once, here
            raise _classify(exc) from exc
        usage = getattr(resp, "usage", None)
        return Completion(
            text,
            int(getattr(usage, "prompt_tokens", 0) or 0),
            int(getattr(usage, "completion_tokens", 0) or 0),
            self.deployment.model,
        )

    async def acomplete(self, call: ChatCall) -> Completion:
        """One awaited call (LiteLLM's async entry points)."""
        try:
            if call.prompt is not None:
                resp = await self._litellm.atext_completion(
                    prompt=call.prompt, **self._kwargs(call)
                )
                text = resp.choices[0].text or ""
            else:
                resp = await self._litellm.acompletion(messages=call.messages, **self._kwargs(call))
                text = resp.choices[0].message.content or ""
        except Exception as exc:
            raise _classify(exc) from exc
        usage = getattr(resp, "usage", None)
        return Completion(
            text,
            int(getattr(usage, "prompt_tokens", 0) or 0),
            int(getattr(usage, "completion_tokens", 0) or 0),
            self.deployment.model,
        )

    def stream(self, call: ChatCall) -> Iterator[str]:
        """Pieces of a chat answer as they arrive."""
        try:
            if call.prompt is not None:
                resp = self._litellm.text_completion(
                    prompt=call.prompt, stream=True, **self._kwargs(call)
                )
                for chunk in resp:
                    piece = chunk.choices[0].text if chunk.choices else ""
                    if piece:
                        yield piece
                return
            resp = self._litellm.completion(
                messages=call.messages, stream=True, **self._kwargs(call)
            )
            for chunk in resp:
                piece = chunk.choices[0].delta.content if chunk.choices else None
                if piece:
                    yield piece
        except ProviderError:
            raise
        except Exception as exc:
            raise _classify(exc) from exc


_KINDS: dict[str, ErrorKind] = {
    "error": "error",
    "timeout": "timeout",
    "rate_limit": "rate_limit",
    "context": "context",
}


@register_provider("scripted")
class ScriptedProvider:
    """Answers from `options["answers"]` in turn (the last one repeats); an answer of the form
    `!kind` raises that `ProviderError` kind. For unit tests of routing and accounting."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.answers: list[str] = list(deployment.options.get("answers", ["ok"]))
        self.calls: list[ChatCall] = []
        self._lock = threading.Lock()

    def complete(self, call: ChatCall) -> Completion:
        """The next scripted answer."""
        with self._lock:
            self.calls.append(call)
            answer = self.answers[min(len(self.calls) - 1, len(self.answers) - 1)]
        if answer.startswith("!"):
            kind = _KINDS.get(answer[1:])
            if kind is None:
                raise ValueError(f"bad scripted error kind {answer!r}")
            raise ProviderError(kind, f"scripted {kind}", 1.0 if kind == "rate_limit" else None)
        prompt = call.estimated_tokens() - call.max_tokens
        return Completion(answer, prompt, max(1, len(answer) // 4), self.deployment.model)

    def stream(self, call: ChatCall) -> Iterator[str]:
        """The next scripted answer, word by word."""
        text = self.complete(call).text
        for i, word in enumerate(text.split(" ")):
            yield word if i == 0 else " " + word

    async def acomplete(self, call: ChatCall) -> Completion:
        """The next scripted answer, awaited."""
        return self.complete(call)

    async def astream(self, call: ChatCall) -> AsyncIterator[str]:
        """The next scripted answer, word by word, awaited."""
        for piece in self.stream(call):
            yield piece


from ree.llm import llamacpp, openai_http  # noqa: E402,F401  register `llamacpp`, `openai-compatible`
