"""`ree gateway`: run the core gateway service; `ree eval route`: the router's shares and cost
(the lead registers `gateway_cmd` on the app and `eval_route_cmd` on `eval`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["eval_route_cmd", "gateway_cmd"]

_QUERIES = Path("..") / "shared" / "data" / "queries-dev.jsonl"


def gateway_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8100,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the OpenAI-compatible core gateway (tiers, cache, limits, ledger)."""
    import uvicorn

    uvicorn.run(
        "ree.llm.service:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,  # uvloop and httptools when installed (uvicorn's "auto")
    )


def eval_route_cmd(
    queries: Annotated[Path, typer.Option(help="JSONL with `query` and `intent`.")] = _QUERIES,
    knobs: Annotated[str, typer.Option(help="Comma-separated REE_LLM_REMOTE_SHARE values.")] = (
        "0.1,0.3,0.6"
    ),
) -> None:
    """Share of questions routed to each tier and cost per 1,000 versus always-remote."""
    from ree.llm.factory import REMOTE_PRICE
    from ree.llm.routing import route_report
    from ree.models import Intent

    if not queries.exists():
        raise typer.BadParameter(f"{queries} does not exist")
    rows = [json.loads(line) for line in queries.read_text(encoding="utf-8").splitlines() if line]
    questions = [(Intent(r.get("intent", "search")), str(r["query"])) for r in rows]
    levels = tuple(float(k) for k in knobs.split(",") if k.strip())
    report = route_report(questions, levels, price_per_1k=REMOTE_PRICE)
    typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
