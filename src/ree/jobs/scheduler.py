"""The embedded scheduler: asyncio tasks in the API process running the background jobs.

Used when there is no Celery beat (`REE_JOBS_EMBEDDED`, default on). The daily jobs' first
run comes `first_delay_s` after start (so a starting node serves first), then one every
`interval_s`. Beside them, the price model is checked against the index every
`REE_PRICE_REFIT_INTERVAL_S` and refit when the index changed (`tasks.refit_price_model`, on
the process's own search backend when one is given). Jobs run in a worker thread; a failure
is logged and retried at the next interval. Several API nodes each running it is safe: the
jobs are idempotent (see `ree.jobs.tasks`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from ree.config import Settings
from ree.jobs.tasks import refit_price_model, run_daily
from ree.search.base import SearchBackend

__all__ = ["EmbeddedScheduler"]

log = logging.getLogger(__name__)


class EmbeddedScheduler:
    """Runs `job(settings)` every `interval_s` seconds in the running event loop."""

    def __init__(
        self,
        settings: Settings,
        interval_s: float | None = None,
        first_delay_s: float = 60.0,
        job: Callable[[Settings], dict[str, Any]] = run_daily,
        search: SearchBackend | None = None,
        refit_interval_s: float | None = None,
        refit: bool = True,
    ) -> None:
        self.settings = settings
        self.interval_s = interval_s if interval_s is not None else settings.jobs_interval_s
        self.first_delay_s = first_delay_s
        self.job = job
        self.search = search
        self.refit_interval_s = (
            refit_interval_s if refit_interval_s is not None else settings.price_refit_interval_s
        )
        self.refit = refit
        self.runs = 0
        self.last: dict[str, Any] | None = None
        self.refits = 0
        self.last_refit: dict[str, Any] | None = None
        self._task: asyncio.Task[None] | None = None
        self._refit_task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the background tasks (call from inside the event loop; idempotent)."""
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._loop(), name="ree-jobs")
        if self.refit and (self._refit_task is None or self._refit_task.done()):
            self._refit_task = loop.create_task(self._refit_loop(), name="ree-price-refit")

    async def stop(self) -> None:
        """Cancel the tasks and wait for them (a job already in its thread finishes alone)."""
        tasks = [t for t in (self._task, self._refit_task) if t is not None]
        self._task = self._refit_task = None
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        """True while the daily-jobs task is alive."""
        return self._task is not None and not self._task.done()

    async def refit_once(self) -> dict[str, Any]:
        """Check the price model against the index now, refit when it changed."""
        report = await asyncio.to_thread(refit_price_model, self.settings, self.search)
        self.refits += 1
        self.last_refit = report
        log.info("jobs.price_refit run=%d report=%s", self.refits, report)
        return report

    async def _refit_loop(self) -> None:
        await asyncio.sleep(self.first_delay_s)
        while True:
            try:
                await self.refit_once()
            except Exception:  # keep the schedule alive; the next interval retries
                log.exception("jobs.price_refit_failed")
            await asyncio.sleep(self.refit_interval_s)

    async def run_once(self) -> dict[str, Any]:
        """Run the job now in a worker thread; returns its report."""
        report = await asyncio.to_thread(self.job, self.settings)
        self.runs += 1
        self.last = report
        log.info("jobs.ran run=%d report=%s", self.runs, report)
        return report

    async def _loop(self) -> None:
        await asyncio.sleep(self.first_delay_s)
        while True:
            try:
                await self.run_once()
            except Exception:  # keep the schedule alive; the next interval retries
                log.exception("jobs.run_failed")
            await asyncio.sleep(self.interval_s)
