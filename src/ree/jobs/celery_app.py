"""The Celery app for production: the lifecycle tasks on a Redis broker, with a beat schedule.

`ree worker` runs a worker, `ree beat` the scheduler (one beat per deployment); both read the
same settings as the API. The tasks are the functions of `ree.jobs.tasks`, so Celery, the
embedded scheduler and the CLI run exactly the same code:

| task | beat schedule (UTC) |
|---|---|
| `ree.memory.partitions` | daily 02:50 |
| `ree.memory.cleanup` | daily 03:00 |
| `ree.memory.archive` | daily 03:30 |
| `ree.pricing.refit` | every `REE_PRICE_REFIT_INTERVAL_S` (refits only when the index changed) |

Broker and result backend: `REE_REDIS_URL` (`unix:///path` is accepted and rewritten to
kombu's `redis+socket://`); every key is prefixed with `REE_REDIS_PREFIX`. Without Redis
the app still imports (broker `memory://`) so the CLI can explain what is missing.
"""

from __future__ import annotations

from typing import Any

from celery import Celery  # type: ignore[import-untyped]
from celery.schedules import crontab  # type: ignore[import-untyped]

from ree.config import Settings, get_settings
from ree.jobs import tasks

__all__ = ["app", "broker_url", "make_celery"]

SCHEDULE: dict[str, Any] = {
    "ree.memory.partitions": crontab(minute="50", hour="2"),
    "ree.memory.cleanup": crontab(minute="0", hour="3"),
    "ree.memory.archive": crontab(minute="30", hour="3"),
}
REFIT_TASK = "ree.pricing.refit"


def broker_url(redis_url: str | None) -> str:
    """The kombu URL for `redis_url` (`unix://` → `redis+socket://`), or `memory://`."""
    if not redis_url:
        return "memory://"
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


def make_celery(settings: Settings | None = None, queue: str = "ree") -> Celery:
    """A Celery app with the lifecycle tasks registered and the daily beat schedule."""
    s = settings or get_settings()
    url = broker_url(s.redis_url)
    celery = Celery("ree", broker=url, backend=url if s.redis_url else None)
    prefix = {"global_keyprefix": s.redis_prefix} if s.redis_url else {}
    celery.conf.update(
        task_default_queue=queue,
        broker_transport_options=prefix,
        result_backend_transport_options=prefix,
        broker_connection_retry_on_startup=True,
        result_expires=86_400,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        timezone="UTC",
        beat_schedule={
            name: {"task": name, "schedule": schedule}
            for name, schedule in {**SCHEDULE, REFIT_TASK: s.price_refit_interval_s}.items()
        },
    )
    _register(celery, s)
    return celery


def _register(celery: Celery, settings: Settings) -> None:
    @celery.task(name="ree.memory.partitions")  # type: ignore[untyped-decorator]
    def partitions(months_ahead: int = 3) -> dict[str, Any]:
        return tasks.create_partitions(settings, months_ahead)

    @celery.task(name="ree.memory.cleanup")  # type: ignore[untyped-decorator]
    def cleanup() -> dict[str, Any]:
        return tasks.cleanup(settings)

    @celery.task(name="ree.memory.archive")  # type: ignore[untyped-decorator]
    def archive() -> dict[str, Any]:
        return tasks.archive(settings)

    @celery.task(name=REFIT_TASK)  # type: ignore[untyped-decorator]
    def refit(force: bool = False) -> dict[str, Any]:
        return tasks.refit_price_model(settings, force=force)


app = make_celery()
