"""`POST /v1/understand` with the assist on: the same reading a turn gets, and a model tier
that cannot answer never turns into an error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from ree.api import create_app
from ree.chat.understand import understand
from ree.config import Settings
from ree.llm.llamacpp import free_port


def test_understand_with_the_assist_and_a_dead_model_tier(
    demo_data_dir: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir, data_dir)
    tiers = [
        {
            "name": "local",
            "style": "fewshot",
            "deployments": [
                {
                    "name": "dead",
                    "provider": "openai-compatible",
                    "model": "gemma3-270m",
                    "api_base": f"http://127.0.0.1:{free_port()}/v1",
                    "timeout_s": 2.0,
                }
            ],
        }
    ]
    settings = Settings(
        data_dir=data_dir, understand_assist=True, llm_tiers=json.dumps(tiers), llm_retries=0
    )
    message = "nha minh co 4 nguoi, can cho o rong rai o go vap, tai chinh tam 5 ty"
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.app.state.assistant.turns.assist is not None  # type: ignore[attr-defined]
        resp = client.post("/v1/understand", json={"message": message})
    assert resp.status_code == 200, resp.text
    rules = understand(message)
    body = resp.json()
    assert body["intent"] == rules.intent.value
    assert body["filters"]["districts"] == ["Gò Vấp"]
