"""Ingestion: demo data, file loaders, and the pipeline into the listing index.

generate(n, seed, now)             realistic demo listings (`ree.ingest.demo`)
write_jsonl(listings, path)        JSON Lines of `Listing`
read_listings(path, report)        JSONL or a portal CSV, rejects counted (`loaders`)
ingest(listings, backend)          batched idempotent upserts + `IngestReport`
ingest_path(path, backend)         loaders + ingest for a file or a directory
"""

from ree.ingest.demo import generate
from ree.ingest.jsonl import write_jsonl
from ree.ingest.loaders import LoadReport, read_listings
from ree.ingest.pipeline import IngestReport, ingest, ingest_path

__all__ = [
    "IngestReport",
    "LoadReport",
    "generate",
    "ingest",
    "ingest_path",
    "read_listings",
    "write_jsonl",
]
