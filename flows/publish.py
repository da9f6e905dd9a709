"""Versioned, atomic publishing of builds under an output folder.

    output/
      builds/<YYYYmmddTHHMMSSZ>-<sha12>/   one folder per build, complete or absent
      latest -> builds/<id>                 switched by an atomic rename, only to a good build
      .staging/<run>/                       where a run writes; renamed into builds/ when complete
      .lock                                 held for a whole run: a second run waits for it

A run that fails or is killed leaves `latest` and every published build as they were: until the
final renames nothing outside .staging/ is touched. Its staging folder is removed by the next run
(which holds the lock, so no other run owns it). The lock is an OS file lock (flock), so the
kernel releases it when a killed run's process ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

LATEST = "latest"
BUILDS = "builds"
STAGING = ".staging"
LOCK = ".lock"


class BuildLockedError(RuntimeError):
    """Another build holds the output folder's lock for longer than we were willing to wait."""


@contextmanager
def run_lock(
    output: Path, *, wait_seconds: float, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the output folder's lock for a whole run; clear staging left by killed runs first.

    `on_wait` is called once if another run holds the lock (to say why this one is waiting).
    """
    output.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(output / LOCK))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if on_wait is not None:
                on_wait()
            lock.acquire(timeout=wait_seconds)
    except Timeout as exc:
        raise BuildLockedError(
            f"{output}: another build is running (it holds {output / LOCK}) and did not finish "
            f"within {wait_seconds:g} s — wait for it, or allow a longer wait"
        ) from exc
    try:
        shutil.rmtree(output / STAGING, ignore_errors=True)
        yield
    finally:
        lock.release()


def build_id(sha256: str, when: datetime | None = None) -> str:
    """Sortable id of a build: the time (UTC) and the source's content hash."""
    when = (when or datetime.now(UTC)).astimezone(UTC)
    return f"{when:%Y%m%dT%H%M%SZ}-{sha256[:12]}"


def stage(output: Path, files: dict[str, bytes]) -> Path:
    """Write every file of a build (relative path → bytes) into a fresh staging folder."""
    staging = output / STAGING / uuid.uuid4().hex
    for rel, data in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return staging


def publish(output: Path, staging: Path, ident: str, *, switch_latest: bool, keep: int) -> Path:
    """Rename a complete staging folder to builds/<id>, switch `latest` to it if asked, prune."""
    if keep < 1:
        raise ValueError(f"keep must be at least 1 (got {keep})")
    builds = output / BUILDS
    builds.mkdir(parents=True, exist_ok=True)
    final = builds / ident
    if final.exists():  # two builds of the same source within one second
        final = builds / f"{ident}-{uuid.uuid4().hex[:6]}"
    os.replace(staging, final)
    with contextlib.suppress(OSError):  # leave no empty .staging behind (another run may be using it)
        staging.parent.rmdir()
    if switch_latest:
        _point_latest(output, final)
    prune(output, keep)
    return final


def latest_build(output: Path) -> Path | None:
    """The build folder `latest` points to, if any."""
    link = output / LATEST
    target = link.resolve() if link.is_symlink() else None
    return target if target is not None and target.is_dir() else None


def prune(output: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` builds; never the one `latest` points to."""
    builds_dir = output / BUILDS
    builds = sorted(p for p in builds_dir.iterdir() if p.is_dir()) if builds_dir.is_dir() else []
    current = latest_build(output)
    doomed = [b for b in builds[: max(0, len(builds) - keep)] if b != current]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return doomed


def _point_latest(output: Path, target: Path) -> None:
    # A new symlink renamed over the old one: readers see the old build or the new one, never a
    # missing or half-written `latest`. The link is relative so the output folder can be moved.
    tmp = output / f".{LATEST}-{uuid.uuid4().hex}"
    os.symlink(os.path.relpath(target, output), tmp)
    os.replace(tmp, output / LATEST)
