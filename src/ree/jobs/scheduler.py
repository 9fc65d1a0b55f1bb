"""The embedded scheduler: an asyncio task in the API process running the daily jobs.

Used when there is no Celery beat (`REE_JOBS_EMBEDDED`, default on). The first run comes
`first_delay_s` after start (so a starting node serves first), then one every `interval_s`.
Jobs run in a worker thread; a failure is logged and retried at the next interval. Several
API nodes each running it is safe: the jobs are idempotent (see `ree.jobs.tasks`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from ree.config import Settings
from ree.jobs.tasks import run_daily

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
    ) -> None:
        self.settings = settings
        self.interval_s = interval_s if interval_s is not None else settings.jobs_interval_s
        self.first_delay_s = first_delay_s
        self.job = job
        self.runs = 0
        self.last: dict[str, Any] | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the background task (call from inside the event loop; idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="ree-jobs")

    async def stop(self) -> None:
        """Cancel the task and wait for it (a job already in its thread finishes alone)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    @property
    def running(self) -> bool:
        """True while the background task is alive."""
        return self._task is not None and not self._task.done()

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
