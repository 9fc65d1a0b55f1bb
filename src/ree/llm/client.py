"""Provider `ree-gateway`: a model tier reached through the `ree gateway` service
(`REE_GATEWAY_URL`), so API nodes share one set of caches, limits and the ledger.

The deployment's `model` is the tier name at the service; fallback across tiers stays with
the caller's gateway (`ree_fallback: false`), which knows the request's context.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import httpx

from ree.llm.providers import ChatCall, Completion, Deployment, ProviderError, register_provider

__all__ = ["GatewayClientProvider"]


@register_provider("ree-gateway")
class GatewayClientProvider:
    """Calls `POST {api_base}/v1/chat/completions` of a `ree gateway` service."""

    def __init__(self, deployment: Deployment) -> None:
        if not deployment.api_base:
            raise ValueError("provider ree-gateway needs api_base (REE_GATEWAY_URL)")
        self.deployment = deployment
        key = os.environ.get(deployment.api_key_env or "", "")
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._http = httpx.Client(
            base_url=deployment.api_base, headers=headers, timeout=deployment.timeout_s
        )

    def _body(self, call: ChatCall, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.deployment.model,
            "messages": call.messages or [{"role": "user", "content": call.prompt or ""}],
            "max_tokens": call.max_tokens,
            "temperature": call.temperature,
            "stream": stream,
            "ree_fallback": False,
        }
        if call.stop:
            body["stop"] = call.stop
        if call.prompt is not None:
            body["ree_prompt"] = call.prompt
        return body

    def complete(self, call: ChatCall) -> Completion:
        """One answer from the service."""
        try:
            resp = self._http.post("/v1/chat/completions", json=self._body(call, False))
        except httpx.TimeoutException as exc:
            raise ProviderError("timeout", str(exc)) from exc
        except httpx.HTTPError as exc:
            raise ProviderError("error", f"{type(exc).__name__}: {exc}") from exc
        _raise_for(resp)
        data = resp.json()
        usage = data.get("usage") or {}
        return Completion(
            data["choices"][0]["message"]["content"] or "",
            int(usage.get("prompt_tokens", 0)),
            int(usage.get("completion_tokens", 0)),
            str(data.get("model", self.deployment.model)),
        )

    def stream(self, call: ChatCall) -> Iterator[str]:
        """The service's SSE stream, piece by piece."""
        try:
            with self._http.stream(
                "POST", "/v1/chat/completions", json=self._body(call, True)
            ) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    _raise_for(resp)
                for line in resp.iter_lines():
                    if not line.startswith("data: ") or line == "data: [DONE]":
                        continue
                    delta = json.loads(line[6:])["choices"][0]["delta"].get("content")
                    if delta:
                        yield delta
        except httpx.TimeoutException as exc:
            raise ProviderError("timeout", str(exc)) from exc
        except httpx.HTTPError as exc:
            raise ProviderError("error", f"{type(exc).__name__}: {exc}") from exc


def _raise_for(resp: httpx.Response) -> None:
    if resp.status_code < 400:
        return
    text = resp.text[:300]
    if resp.status_code == 429:
        after = resp.headers.get("retry-after")
        raise ProviderError("rate_limit", text, float(after) if after else None)
    if resp.status_code == 413 or "context" in text.lower():
        raise ProviderError("context", text)
    raise ProviderError("error", f"HTTP {resp.status_code}: {text}")
