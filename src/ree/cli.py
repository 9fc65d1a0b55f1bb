"""The `ree` command line: serve, ask, understand, ingest, demo-data, eval."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ree import cli_listings, cli_pricing
from ree.cli_db import db_app, memory_app
from ree.cli_gateway import eval_route_cmd, gateway_cmd
from ree.cli_jobs import beat, worker
from ree.config import Settings

app = typer.Typer(help="REE: a real-estate assistant for Vietnam.", no_args_is_help=True)
eval_app = typer.Typer(help="Measure quality against ../shared/data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(db_app, name="db")
app.add_typer(memory_app, name="memory")
cli_listings.register(app, eval_app)
cli_pricing.register(app, eval_app)
eval_app.command("route")(eval_route_cmd)
app.command("gateway")(gateway_cmd)
app.command("worker")(worker)
app.command("beat")(beat)
console = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data directory (REE_DATA_DIR).")]


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir else Settings()


@contextmanager
def _progress(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _prepare(settings: Settings) -> None:
    """Open the stores once and build the demo index on first start, with a progress bar."""
    from ree.chat.service import Assistant

    assistant = Assistant.open(settings)
    try:
        if assistant.search.count() == 0 and settings.demo_listings:
            with _progress("Building demo data", settings.demo_listings) as advance:
                written = assistant.ensure_demo_data(progress=advance)
            console.print(f"[green]Indexed {written} demo listings in {settings.index_dir}[/]")
    finally:
        assistant.close()


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    data_dir: DataDir = None,
    log_level: str = "info",
) -> None:
    """Serve the API and the web page (embedded defaults; demo data on first start)."""
    import uvicorn

    from ree.api import create_app
    from ree.chat.understand import understand

    settings = _settings(data_dir)
    _prepare(settings)
    understand("khởi động")  # load the gazetteer and vocabulary now, not on the first question
    console.print(f"REE on http://{host}:{port}")
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level)


async def _turn(assistant: Any, text: str, conversation_id: str | None) -> Any:
    """One chat turn in its own event loop, closing the loop's model-tier HTTP sessions."""
    from ree.llm.openai_http import aclose_pools

    try:
        return await assistant.turns.handle(text, conversation_id)
    finally:
        await aclose_pools()


@app.command()
def ask(
    message: Annotated[list[str], typer.Argument(help="The question (and follow-ups, in order).")],
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ask one question (several arguments = one conversation, turn by turn)."""
    from ree.chat.service import Assistant

    settings = _settings(data_dir)
    _prepare(settings)
    assistant = Assistant.open(settings)
    try:
        conversation_id = None
        for text in message:
            result = asyncio.run(_turn(assistant, text, conversation_id))
            conversation_id = result.conversation_id
            if as_json:
                print(
                    json.dumps(
                        {
                            "message": text,
                            "intent": result.intent.value,
                            "filters": result.filters.constrained(),
                            "answer": result.answer,
                            "listings": [r.listing.id for r in result.shown],
                        },
                        ensure_ascii=False,
                    )
                )
                continue
            _print_turn(text, result)
    finally:
        assistant.close()


def _print_turn(text: str, result: object) -> None:
    from ree.chat.turn import TurnResult

    assert isinstance(result, TurnResult)
    out = Console()
    out.print(
        f"[bold]» {text}[/]  [dim]({result.intent.value}, {result.route.tier}, "
        f"{result.timings_ms.get('total', 0):.0f} ms)[/]"
    )
    out.print(result.answer)
    if result.shown:
        table = Table(show_header=True, header_style="bold")
        for col in ("#", "id", "price (VND)", "m²", "PN", "district"):
            table.add_column(col)
        for i, r in enumerate(result.shown, 1):
            x = r.listing
            table.add_row(
                str(i),
                x.id,
                f"{x.price_vnd:,}" if x.price_vnd else "—",
                f"{x.area_m2:g}" if x.area_m2 else "—",
                str(x.bedrooms or "—"),
                x.district or x.province or "—",
            )
        out.print(table)


@app.command("understand")
def understand_cmd(message: str) -> None:
    """Print the intent and filters REE reads from a message."""
    from ree.chat.understand import understand

    u = understand(message)
    print(
        json.dumps(
            {
                "intent": u.intent.value,
                "filters": u.filters.constrained(),
                "language": u.language,
                "query_text": u.query_text,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


@app.command()
def ingest(
    path: Annotated[
        Path, typer.Argument(exists=True, help="JSONL of Listing, a known CSV, or a dir.")
    ],
    data_dir: DataDir = None,
    analyze: Annotated[
        bool, typer.Option(help="Run the analysis stages (chunk … dedup) before writing.")
    ] = True,
    batch_size: Annotated[int, typer.Option(min=1, help="Listings per batch.")] = 256,
) -> None:
    """Analyse and index listings from a file or directory (idempotent upsert by id)."""
    from ree.ingest.loaders import listing_files
    from ree.ingest.pipeline import Analysis, IngestPipeline
    from ree.search.factory import open_search

    settings = _settings(data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    total = sum(_count_rows(f) for f in listing_files(path))
    search = open_search(settings)
    try:
        analysis = Analysis.default(settings.data_dir, settings.price_min_rows) if analyze else None
        priced_before = analysis is not None and analysis.price is not None
        pipeline = IngestPipeline(search, analysis, batch_size=batch_size)
        with _progress(f"Ingesting {path.name}", total or None) as advance:
            report = pipeline.run_path(path, progress=advance)
    finally:
        search.close()
    cli_listings.print_ingest(report, console, priced=priced_before)


def _count_rows(file: Path) -> int:
    """Rows (CSV records or JSON lines) in a file, for the progress bar's total."""
    import csv

    with file.open("r", encoding="utf-8-sig", errors="replace", newline="") as fh:
        if file.suffix.lower() == ".csv":
            csv.field_size_limit(2**31 - 1)
            return max(0, sum(1 for _ in csv.reader(fh)) - 1)
        return sum(1 for line in fh if line.strip())


@app.command("demo-data")
def demo_data(
    n: Annotated[int, typer.Argument(min=1, help="How many listings.")],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 7,
    out: Annotated[Path | None, typer.Option(help="Write JSONL here (default: stdout).")] = None,
) -> None:
    """Generate N realistic demo listings as JSONL."""
    from ree.ingest.demo import generate, write_jsonl

    if out is None:
        for listing in generate(n, seed=seed):
            sys.stdout.write(listing.model_dump_json(exclude_none=True) + "\n")
        return
    written = write_jsonl(generate(n, seed=seed), out)
    console.print(f"wrote {written} listings to {out}")


@eval_app.command("dedup")
def eval_dedup(
    data: Annotated[Path, typer.Option(help="The shared data folder.")] = Path("../shared/data"),
    pairs: Annotated[Path, typer.Option(help="Labelled pairs (id_a,id_b,label,note).")] = Path(
        "tests/data/dedup_pairs.csv"
    ),
) -> None:
    """Precision/recall of duplicate detection on hand-labelled repost pairs."""
    from ree.listings.dedup import evaluate_dedup

    source = data / "batdongsanvn-2024.csv"
    if not source.exists():
        console.print(f"[red]{source} not found[/]")
        raise typer.Exit(2)
    print(json.dumps(evaluate_dedup(source, pairs), ensure_ascii=False, indent=2))


@eval_app.command("rerank")
def eval_rerank(
    data: Annotated[Path, typer.Option(help="The shared data folder.")] = Path("../shared/data"),
    index_dir: Annotated[
        Path, typer.Option(help="Where to build (or reuse) the evaluation index.")
    ] = Path(".ree-eval/rerank"),
    queries: Annotated[int, typer.Option(min=1, help="Queries from held-out rows.")] = 60,
) -> None:
    """nDCG@10 / precision@5 of fusion-only retrieval vs the reranker at several weights."""
    from ree.ingest.loaders import read_listings
    from ree.ingest.pipeline import ingest
    from ree.search.embedded import EmbeddedSearch
    from ree.search.rerank_eval import evaluate_rerank, held_out, index_dir_ready, make_queries

    source = data / "bdscomvn-2025-dev.csv"
    if not source.exists():
        console.print(f"[red]{source} not found[/]")
        raise typer.Exit(2)
    indexed, held = held_out(list(read_listings(source)))
    search = EmbeddedSearch(index_dir)
    try:
        if not index_dir_ready(index_dir) or search.count() != len(indexed):
            with _progress("Indexing the evaluation rows", len(indexed)) as advance:
                ingest(indexed, search, progress=advance)
        report = evaluate_rerank(search, make_queries(held, queries))
    finally:
        search.close()
    print(json.dumps(report, ensure_ascii=False, indent=2))


@eval_app.command("understand")
def eval_understand(
    data: Annotated[Path, typer.Option(help="The shared data folder.")] = Path("../shared/data"),
    set_name: Annotated[
        str,
        typer.Option(
            "--set",
            help="Score queries-SET.jsonl and conversations-SET.jsonl: 'dev' in the shared "
            "data, or 'fresh' (our own blind-labelled set; use --data tests/data).",
        ),
    ] = "dev",
) -> None:
    """Score query understanding on queries-SET.jsonl and conversations-SET.jsonl."""
    from ree.chat.evaluate import evaluate_understanding

    queries = data / f"queries-{set_name}.jsonl"
    convs = data / f"conversations-{set_name}.jsonl"
    if not queries.exists():
        console.print(f"[red]{queries} not found[/]")
        raise typer.Exit(2)
    report = evaluate_understanding(queries, convs)
    print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
