"""Health, readiness, metrics, and the web page."""

from __future__ import annotations

import asyncio
from importlib import resources

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from ree.api.deps import AssistantDep

router = APIRouter(tags=["system"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(assistant: AssistantDep) -> JSONResponse:
    checks: dict[str, bool] = {}
    try:
        checks["memory"] = await asyncio.to_thread(assistant.memory.ping)
    except Exception:
        checks["memory"] = False
    try:
        checks["search"] = await asyncio.to_thread(assistant.search.count) >= 0
    except Exception:
        checks["search"] = False
    ok = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": checks}, 200 if ok else 503
    )


@router.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index() -> HTMLResponse:
    page = resources.files("ree.web").joinpath("static/index.html").read_text(encoding="utf-8")
    return HTMLResponse(page)
