"""`ree db …` (schema) and `ree memory …` (lifecycle jobs) commands.

Registered in `ree.cli` as `app.add_typer(db_app, name="db")` and
`app.add_typer(memory_app, name="memory")`. Each command reads `REE_DATABASE_URL` (or
`--database-url`) and works on SQLite and PostgreSQL alike; the scheduler runs the same
functions (`ree.memory.lifecycle`).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from ree.config import Settings
from ree.memory.lifecycle import ExpiryReport

__all__ = ["db_app", "memory_app"]

db_app = typer.Typer(help="Conversation memory schema (migrations, partitions).")
memory_app = typer.Typer(help="Conversation memory lifecycle: TTL cleanup, archive.")
_console = Console(stderr=True)

DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="Memory database (REE_DATABASE_URL).")
]


def _engine(database_url: str | None) -> Engine:
    """The memory store's engine with its schema in place (migrated on PostgreSQL)."""
    from ree.memory.sqlite import SqlMemory

    settings = Settings(database_url=database_url) if database_url else Settings()
    return SqlMemory(settings.memory_url).engine


def _is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


@db_app.command("upgrade")
def upgrade(database_url: DatabaseUrl = None, months_ahead: int = 3) -> None:
    """Apply the migrations (PostgreSQL) or create the tables (SQLite); make partitions."""
    from ree.memory.postgres import ensure_partitions, upgrade_schema

    settings = Settings(database_url=database_url) if database_url else Settings()
    url = make_url(settings.memory_url)
    if url.get_backend_name() != "postgresql":
        _engine(database_url).dispose()
        _console.print(f"[green]SQLite schema ready at {url.database}[/]")
        return
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        revision = upgrade_schema(engine)
        made = ensure_partitions(engine, months_ahead)
    finally:
        engine.dispose()
    _console.print(f"[green]database at revision {revision}; {made} new partition(s)[/]")


@db_app.command("partitions")
def partitions(database_url: DatabaseUrl = None, months_ahead: int = 3) -> None:
    """Create the next months' `messages` partitions (PostgreSQL) and list them."""
    from ree.memory.postgres import ensure_partitions
    from ree.memory.postgres import partitions as list_partitions

    engine = _engine(database_url)
    try:
        if not _is_postgres(engine):
            _console.print("SQLite memory is not partitioned: nothing to do")
            return
        made = ensure_partitions(engine, months_ahead)
        with engine.connect() as conn:
            names = list_partitions(conn)
    finally:
        engine.dispose()
    typer.echo("\n".join(names))
    _console.print(f"[green]{made} new partition(s)[/]")


@memory_app.command("cleanup")
def cleanup(
    database_url: DatabaseUrl = None,
    ttl_days: Annotated[int | None, typer.Option(help="REE_MEMORY_TTL_DAYS")] = None,
    archive_url: Annotated[str | None, typer.Option(help="REE_MEMORY_ARCHIVE_URL")] = None,
) -> None:
    """Delete turns and idle conversations older than the TTL (archived first if a sink)."""
    from ree.memory import lifecycle
    from ree.memory.archive import open_sink

    settings = Settings()
    days = settings.memory_ttl_days if ttl_days is None else ttl_days
    target = archive_url or settings.memory_archive_url
    engine = _engine(database_url)
    try:
        report = lifecycle.cleanup(engine, days, open_sink(target) if target else None)
    finally:
        engine.dispose()
    _print(report)


@memory_app.command("archive")
def archive(
    database_url: DatabaseUrl = None,
    after_days: Annotated[int | None, typer.Option(help="REE_MEMORY_ARCHIVE_AFTER_DAYS")] = None,
    archive_url: Annotated[str | None, typer.Option(help="REE_MEMORY_ARCHIVE_URL")] = None,
) -> None:
    """Move turns older than `after_days` to gzip JSONL files (a directory or s3://)."""
    from ree.memory import lifecycle
    from ree.memory.archive import open_sink

    settings = Settings()
    days = settings.memory_archive_after_days if after_days is None else after_days
    target = archive_url or settings.memory_archive_url
    if not target:
        raise typer.BadParameter("no archive target: pass --archive-url or set it in the env")
    engine = _engine(database_url)
    try:
        report = lifecycle.archive(engine, days, open_sink(target))
    finally:
        engine.dispose()
    _print(report)


def _print(report: ExpiryReport) -> None:
    typer.echo(
        f"cutoff={report.cutoff.isoformat()} deleted_turns={report.deleted_turns} "
        f"deleted_conversations={report.deleted_conversations} "
        f"dropped_partitions={len(report.dropped_partitions)} "
        f"archived_turns={report.archived_turns}"
    )
    for location in report.archive_files:
        typer.echo(f"archive {location}")
