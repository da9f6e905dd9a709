"""Versioned, atomic publishing of builds under an output folder.

    output/
      builds/<YYYYmmddTHHMMSS>-<sha12>/   one folder per published build
      latest -> builds/<id>               switched by an atomic rename, only for good builds
      .staging/<run>/                     where a run writes; moved into builds/ when complete
      .lock                               held for a whole run: a second run waits, then fails

A run that fails or is killed leaves `latest` and every published build as they were; its
staging folder is removed by the next run (which holds the lock, so no other run owns it).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

LATEST = "latest"
BUILDS = "builds"
STAGING = ".staging"


class BuildLockedError(RuntimeError):
    """Another build holds the output folder's lock for longer than we were willing to wait."""


@contextmanager
def run_lock(output: Path, *, wait_seconds: float) -> Iterator[None]:
    """Hold the output folder's lock for a whole run; clear stale staging folders first."""
    output.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(output / ".lock"))
    try:
        lock.acquire(timeout=wait_seconds)
    except Timeout as exc:
        raise BuildLockedError(
            f"{output}: another build is running (lock {output / '.lock'} held for more than "
            f"{wait_seconds:.0f} s) — wait for it to finish, or pass a longer lock wait"
        ) from exc
    try:
        shutil.rmtree(output / STAGING, ignore_errors=True)
        yield
    finally:
        lock.release()


def new_staging(output: Path) -> Path:
    """A fresh, empty staging folder for this run."""
    path = output / STAGING / uuid.uuid4().hex
    path.mkdir(parents=True)
    return path


def build_id(when: datetime, sha256: str) -> str:
    """Sortable id of a build: time of the build and the source's content hash."""
    return f"{when:%Y%m%dT%H%M%S}-{sha256[:12]}"


def publish(output: Path, staging: Path, ident: str, *, switch_latest: bool, keep: int) -> Path:
    """Move a complete staging folder to builds/<id>; switch `latest` to it if asked; prune."""
    builds = output / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    final = builds / ident
    if final.exists():  # two builds of the same source within one second
        final = builds / f"{ident}-{uuid.uuid4().hex[:6]}"
    os.replace(staging, final)
    if switch_latest:
        _point_latest(output, final)
    prune(output, keep)
    return final


def latest_build(output: Path) -> Path | None:
    """The build `latest` points to, if any."""
    link = output / LATEST
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def prune(output: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` builds; never the one `latest` points to."""
    builds = sorted((output / BUILDS).iterdir()) if (output / BUILDS).is_dir() else []
    current = latest_build(output)
    doomed = [b for b in builds[: max(0, len(builds) - keep)] if b != current]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed


def _point_latest(output: Path, target: Path) -> None:
    # A symlink is replaced by renaming a new one over it: readers see the old or the new build,
    # never a missing or half-written `latest`.
    tmp = output / f".{LATEST}-{uuid.uuid4().hex}"
    os.symlink(os.path.relpath(target, output), tmp)
    os.replace(tmp, output / LATEST)
