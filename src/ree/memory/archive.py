"""Where archived turns go: gzip JSON Lines files in a directory or an S3-compatible bucket.

`open_sink("/var/lib/ree/archive")` writes files there; `open_sink("s3://bucket/prefix")`
uploads them with boto3 (any S3-compatible server: set `AWS_ENDPOINT_URL`, or pass
`endpoint_url`). A file is complete or absent: it is written under a temporary name (or
to a temporary file, then uploaded) and only then given its final name.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from ree.errors import InvalidInput, Unavailable

__all__ = ["ArchiveSink", "DirectorySink", "S3Sink", "open_sink", "write_gzip_lines"]


class ArchiveSink(Protocol):
    """Stores one named archive file made of JSON lines."""

    def write(self, name: str, lines: Iterable[bytes]) -> tuple[str, int]:
        """Store `lines` (each one JSON document, no newline) gzip-compressed as `name`;
        returns the file's location and how many lines it holds."""
        ...


def write_gzip_lines(path: Path, lines: Iterable[bytes]) -> int:
    """Write `lines` to `path` as gzip JSON Lines; returns the line count."""
    count = 0
    with gzip.open(path, "wb", compresslevel=6) as out:
        for line in lines:
            out.write(line)
            out.write(b"\n")
            count += 1
    return count


class DirectorySink:
    """Archive files in a local (or mounted) directory, created on first use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def write(self, name: str, lines: Iterable[bytes]) -> tuple[str, int]:
        """Write `name` atomically (temporary file, then rename)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        final = self.directory / name
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.", suffix=".part")
        os.close(fd)
        try:
            count = write_gzip_lines(Path(tmp), lines)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return str(final), count


class S3Sink:
    """Archive files in an S3-compatible bucket under `prefix`."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None) -> None:
        try:
            import boto3
        except ImportError as exc:
            raise Unavailable("S3 archives need boto3: pip install 'ree[s3]'") from exc
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self._client: Any = boto3.client("s3", endpoint_url=endpoint_url)

    def write(self, name: str, lines: Iterable[bytes]) -> tuple[str, int]:
        """Write to a temporary file, then upload it as one object."""
        key = f"{self.prefix}/{name}" if self.prefix else name
        with tempfile.TemporaryDirectory(prefix="ree-archive-") as tmp:
            path = Path(tmp) / name
            count = write_gzip_lines(path, lines)
            self._client.upload_file(str(path), self.bucket, key)
        return f"s3://{self.bucket}/{key}", count


def open_sink(url: str, endpoint_url: str | None = None) -> ArchiveSink:
    """A sink for `url`: `s3://bucket[/prefix]` or a directory path (`file://` allowed)."""
    if url.startswith("s3://"):
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise InvalidInput("an S3 archive URL names a bucket: s3://bucket/prefix")
        return S3Sink(bucket, prefix, endpoint_url)
    if "://" in url and not url.startswith("file://"):
        raise InvalidInput(f"archive URL {url!r}: use a directory path or s3://bucket/prefix")
    return DirectorySink(Path(url.removeprefix("file://")).expanduser())
