"""`ree gateway`: run the core gateway service (the lead registers `gateway_cmd` on the app)."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["gateway_cmd"]


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
        access_log=False,
    )
