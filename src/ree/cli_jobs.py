"""`ree worker` and `ree beat`: the Celery worker and scheduler for the lifecycle jobs.

To register in `ree.cli`: `app.command("worker")(worker)` and `app.command("beat")(beat)`.
Both need `REE_REDIS_URL` (the broker); the tasks read the same settings as the API.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ree.config import Settings

__all__ = ["beat", "worker"]


def _require_redis() -> None:
    if not Settings().redis_url:
        typer.echo("REE_REDIS_URL is required: Celery uses Redis as its broker.", err=True)
        raise typer.Exit(2)


def worker(
    concurrency: Annotated[int, typer.Option(help="Worker processes/threads.")] = 1,
    pool: Annotated[str, typer.Option(help="prefork, solo or threads.")] = "prefork",
    queue: Annotated[str, typer.Option(help="Queue to consume.")] = "ree",
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "INFO",
) -> None:
    """Run a Celery worker for the lifecycle jobs (partitions, cleanup, archive)."""
    _require_redis()
    from ree.jobs.celery_app import app

    app.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            f"--pool={pool}",
            f"--queues={queue}",
            f"--loglevel={loglevel}",
        ]
    )


def beat(
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "INFO",
    schedule: Annotated[
        str | None, typer.Option(help="Beat state file (default: celerybeat-schedule).")
    ] = None,
) -> None:
    """Run Celery beat: sends the daily lifecycle jobs to the workers (one per deployment)."""
    _require_redis()
    from ree.jobs.celery_app import app

    argv = ["beat", f"--loglevel={loglevel}"]
    if schedule:
        argv.append(f"--schedule={schedule}")
    app.start(argv)
