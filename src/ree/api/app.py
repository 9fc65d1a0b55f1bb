"""`create_app(settings)`: the FastAPI application with every layer wired in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ree import __version__
from ree.api.errors import install_error_handlers
from ree.api.middleware import BodyLimit, Metrics
from ree.api.routes import analyze, chat, conversations, search, system
from ree.chat.service import Assistant
from ree.config import Settings, get_settings
from ree.llm.openai_http import aclose_pools


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        assistant = Assistant.open(settings)
        assistant.ensure_demo_data()
        app.state.assistant = assistant
        app.state.scheduler = None
        if settings.jobs_embedded:  # lifecycle jobs in process (Celery beat otherwise)
            from ree.jobs.scheduler import EmbeddedScheduler

            app.state.scheduler = EmbeddedScheduler(settings, search=assistant.search)
            app.state.scheduler.start()
        try:
            yield
        finally:
            if app.state.scheduler is not None:
                await app.state.scheduler.stop()
            assistant.close()
            await aclose_pools()  # the model tiers' HTTP sessions of this event loop

    app = FastAPI(
        title="REE",
        version=__version__,
        lifespan=lifespan,
        description="Real-estate assistant for Vietnam: grounded answers over real listings.",
    )
    install_error_handlers(app)
    for module in (chat, search, analyze, conversations, system):
        app.include_router(module.router)
    static = resources.files("ree.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(Metrics)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
