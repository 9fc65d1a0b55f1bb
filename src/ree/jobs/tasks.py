"""The lifecycle task functions every runner schedules (embedded scheduler, Celery, CLI).

Each takes `Settings` (default: from the environment), opens the memory database, does one
idempotent job and returns a JSON-able report (Celery stores it as the task result):

- `create_partitions`: the `messages` partitions from this month to `months_ahead` later
  (PostgreSQL only; skipped on SQLite, which has no partitions);
- `cleanup`: turns and conversations older than `REE_MEMORY_TTL_DAYS` (0: skipped), archived
  first when `REE_MEMORY_ARCHIVE_URL` is set;
- `archive`: turns older than `REE_MEMORY_ARCHIVE_AFTER_DAYS` moved to the archive target
  (skipped without one);
- `refit_price_model`: refits the price model on the indexed listings when the index changed
  since the saved model was fitted (count or newest crawl differ), and saves it in
  `$REE_DATA_DIR/price_model/`; serving processes pick the new file up.

Several nodes may run them at the same time: partition creation is serialised by an
advisory lock in the database, and cleanup/archive only delete what is already expired.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from ree.config import Settings, get_settings
from ree.memory.lifecycle import ExpiryReport
from ree.search.base import SearchBackend

__all__ = [
    "DAILY",
    "archive",
    "cleanup",
    "create_partitions",
    "refit_price_model",
    "run_daily",
]

log = logging.getLogger(__name__)

Report = dict[str, Any]


def create_partitions(settings: Settings | None = None, months_ahead: int = 3) -> Report:
    """Make the next months' partitions ahead (PostgreSQL); returns `{"made": n}`."""
    from ree.memory.postgres import ensure_partitions

    return _with_engine(
        settings,
        lambda engine: {"made": ensure_partitions(engine, months_ahead)},
        postgres_only=True,
    )


def cleanup(settings: Settings | None = None) -> Report:
    """Delete what is older than the TTL (archived first when a target is configured)."""
    from ree.memory import lifecycle

    s = settings or get_settings()
    if s.memory_ttl_days == 0:
        return {"skipped": "REE_MEMORY_TTL_DAYS is 0"}
    sink = _sink(s)
    return _with_engine(
        s, lambda engine: _report(lifecycle.cleanup(engine, s.memory_ttl_days, sink))
    )


def archive(settings: Settings | None = None) -> Report:
    """Archive then delete what is older than `memory_archive_after_days` (needs a target)."""
    from ree.memory import lifecycle

    s = settings or get_settings()
    sink = _sink(s)
    if sink is None:
        return {"skipped": "REE_MEMORY_ARCHIVE_URL is not set"}
    days = s.memory_archive_after_days
    return _with_engine(s, lambda engine: _report(lifecycle.archive(engine, days, sink)))


def refit_price_model(
    settings: Settings | None = None, search: SearchBackend | None = None, force: bool = False
) -> Report:
    """Fit the price model on the index and save it, unless the saved one was fitted on the
    index as it is now (`force` refits anyway). Opens the configured search backend unless
    `search` is given. Returns `{"rows", "fit_s", "signature"}` or `{"skipped": why}`."""
    from ree.listings.pricing import PriceModel, fit_from_index, index_signature

    s = settings or get_settings()
    path = s.data_dir / "price_model"
    owned = search is None
    if search is None:
        from ree.search.factory import open_search

        search = open_search(s)
    try:
        signature = index_signature(search)
        saved = PriceModel.load(path)
        if not force and saved is not None and saved.signature == signature:
            return {"skipped": "the index has not changed", "signature": signature}
        if search.count() == 0:
            return {"skipped": "the index is empty"}
        try:
            model = fit_from_index(search, s.price_min_rows)
        except ValueError as exc:  # too few priced listings: serving falls back to comparables
            return {"skipped": str(exc)}
        model.save(path)
        return {"rows": model.meta["rows"], "fit_s": model.meta["fit_s"], "signature": signature}
    finally:
        if owned:
            search.close()


DAILY: dict[str, Callable[[Settings | None], Report]] = {
    "partitions": create_partitions,
    "cleanup": cleanup,
    "archive": archive,
}


def run_daily(settings: Settings | None = None) -> dict[str, Report]:
    """Run every daily job in order; a failing job is reported and does not stop the rest."""
    results: dict[str, Report] = {}
    for name, task in DAILY.items():
        started = time.perf_counter()
        try:
            results[name] = task(settings)
        except Exception as exc:  # one job failing must not stop the others
            log.exception("jobs.failed job=%s", name)
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


def _with_engine(
    settings: Settings | None, work: Callable[[Engine], Report], postgres_only: bool = False
) -> Report:
    from ree.memory.sqlite import SqlMemory

    s = settings or get_settings()
    memory = SqlMemory(s.memory_url)
    try:
        if postgres_only and memory.engine.dialect.name != "postgresql":
            return {"skipped": f"not applicable on {memory.engine.dialect.name}"}
        return work(memory.engine)
    finally:
        memory.close()


def _sink(settings: Settings) -> Any:
    from ree.memory.archive import open_sink

    return open_sink(settings.memory_archive_url) if settings.memory_archive_url else None


def _report(report: ExpiryReport) -> Report:
    out = asdict(report)
    out["cutoff"] = report.cutoff.isoformat() if isinstance(report.cutoff, datetime) else None
    return out
