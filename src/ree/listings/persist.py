"""Save and load a fitted model with joblib: atomically, stamped with a format version.

A file of another version, from an older library, or torn by a crash loads as None, so the
caller refits instead of crashing.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["ModelFile", "load_versioned", "model_file", "save_versioned"]

log = logging.getLogger(__name__)


def model_file(path: Path, name: str) -> Path:
    """`path` itself when it names a joblib file, else the file `name` in the folder `path`."""
    path = Path(path)
    return path if path.suffix == ".joblib" else path / name


def save_versioned(obj: object, target: Path, version: int) -> Path:
    """Write `obj` to the file `target` (its folder is created), replacing it atomically."""
    import joblib  # type: ignore[import-untyped]

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    os.close(fd)
    try:
        joblib.dump({"version": version, "model": obj}, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def load_versioned(target: Path, version: int, kind: type[Any]) -> Any:
    """The `kind` object saved at `target`, or None when absent, of another version or
    type, or unreadable."""
    import joblib

    if not target.is_file():
        return None
    try:
        data = joblib.load(target)
    except Exception:  # a file from an older library or a torn write: refit, do not crash
        log.warning("model.load_failed path=%s", target, exc_info=True)
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        log.info("model.version_mismatch path=%s", target)
        return None
    model = data.get("model")
    return model if isinstance(model, kind) else None


class Saveable(Protocol):
    def save(self, path: Path) -> Path: ...


M = TypeVar("M", bound=Saveable)


class ModelFile(Generic[M]):
    """The model file of a serving process: loaded lazily, reloaded when a newer one appears.

    `get()` checks the file's modification time at most every `check_every_s` seconds, so a
    model refitted by a job or another replica is served without a restart.
    """

    def __init__(
        self, path: Path, load: Callable[[Path], M | None], check_every_s: float = 5.0
    ) -> None:
        self.path, self._load = path, load
        self.check_every_s = check_every_s
        self._model: M | None = None
        self._mtime: int | None = None
        self._checked = -math.inf

    def get(self) -> M | None:
        """The newest saved model, or None when there is none."""
        now = time.monotonic()
        if now - self._checked >= self.check_every_s:
            self._checked = now
            self._refresh()
        return self._model

    def set(self, model: M) -> None:
        """Save `model` to the file and serve it from now on."""
        model.save(self.path)
        self._model, self._mtime = model, self.path.stat().st_mtime_ns
        self._checked = time.monotonic()

    def _refresh(self) -> None:
        try:
            mtime = self.path.stat().st_mtime_ns
        except FileNotFoundError:
            self._model, self._mtime = None, None
            return
        if mtime != self._mtime:
            self._model, self._mtime = self._load(self.path), mtime
