"""Versioned, atomic publishing of builds under an output folder.

    output/
      builds/<YYYYmmddTHHMMSSZ>-<sha12>/   one folder per build, complete or absent
      latest -> builds/<id>                 switched by an atomic rename, only to a good build
      .staging/<run>/                       where a run writes; renamed into builds/ when complete
      .pruning/<id>/                        an old build being deleted (moved out of builds/ first)
      .latest-<hex>                         the new `latest` link for the instant before its rename
      .lock                                 held for a whole run: a second run waits for it

A run that fails or is killed leaves `latest` and every published build as they were: until the
final renames nothing outside .staging/ is touched, and a build leaves builds/ by one rename before
it is deleted, so builds/ never holds a half-deleted one. A failing run removes its own debris
(a disk-full run its partial staging folder); a killed run's debris (.staging/, .pruning/,
.latest-*) is removed by the next run, which holds the lock, so no other run owns it. The lock is
an OS file lock (flock): the kernel releases it when a killed run's process ends.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from casebook.errors import LockTimeoutError, PublishError

LATEST = "latest"
BUILDS = "builds"
STAGING = ".staging"
PRUNING = ".pruning"
LOCK = ".lock"

# Output folders whose lock this process holds: `casebook build` takes the lock before it starts
# Prefect, and the flow it then runs in this process takes it again (a no-op here). A second
# flock on the same file from the same process would wait for itself.
_held: set[Path] = set()


@contextmanager
def run_lock(
    output: Path, *, wait_seconds: float, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the output folder's lock for a whole run; clear the debris of killed runs first.

    `on_wait` is called once if another run holds the lock (to say why this one is waiting).
    Re-entering it for a folder this process already holds is a no-op.
    """
    output = output.resolve()
    if output in _held:
        yield
        return
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
        raise LockTimeoutError(
            f"{output}: another build is running (it holds {output / LOCK}) and did not finish "
            f"within {wait_seconds:g} s — wait for it to end, or allow a longer wait (--wait / lock_wait)"
        ) from exc
    _held.add(output)
    try:
        clear_debris(output)
        yield
    finally:
        _held.discard(output)
        lock.release()


def clear_debris(output: Path) -> None:
    """Remove what killed runs left: staging folders, builds half-way through deletion, new
    `latest` links never renamed into place. Only under the lock: then no other run owns them."""
    for folder in (STAGING, PRUNING):
        shutil.rmtree(output / folder, ignore_errors=True)
    for link in output.glob(f".{LATEST}-*"):
        with contextlib.suppress(OSError):
            link.unlink()
    repair_latest_record(output)


def repair_latest_record(output: Path, record: str = "build.json") -> None:
    """A run killed between switching `latest` and `mark_latest` left the latest build saying it
    is not latest (and perhaps a temporary record file): finish what it started."""
    current = latest_build(output)
    if current is None:
        return
    for tmp in current.glob(f".{record}-*"):
        with contextlib.suppress(OSError):
            tmp.unlink()
    path = current / record
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("published_as_latest") is False:
            mark_latest(current, record)


def build_id(sha256: str, when: datetime | None = None) -> str:
    """Sortable id of a build: the time (UTC) and the source's content hash."""
    when = (when or datetime.now(UTC)).astimezone(UTC)
    return f"{when:%Y%m%dT%H%M%SZ}-{sha256[:12]}"


def stage(output: Path, files: dict[str, bytes]) -> Path:
    """Write every file of a build (relative path → bytes) into a fresh staging folder.

    On failure (a full disk) the partial folder is removed at once, so it does not keep the disk
    full until the next run, and the error names the folder and what to do.
    """
    staging = output / STAGING / uuid.uuid4().hex
    target = staging
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:
        _remove_staging(staging)
        size = sum(len(data) for data in files.values())
        raise PublishError(_io_message(output, exc, target, needed=size)) from exc
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
    try:
        os.replace(staging, final)
        _remove_staging(staging)  # leaves no empty .staging/ behind
        if switch_latest:
            _point_latest(output, final)
    except OSError as exc:
        _remove_staging(staging)
        raise PublishError(_io_message(output, exc, Path(exc.filename or final))) from exc
    prune(output, keep)
    return final


def latest_build(output: Path) -> Path | None:
    """The build folder `latest` points to, if any."""
    link = output / LATEST
    target = link.resolve() if link.is_symlink() else None
    return target if target is not None and target.is_dir() else None


def prune(output: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` builds; never the one `latest` points to.

    Each leaves builds/ by one rename into .pruning/ before it is deleted: a kill half-way through
    the deletion leaves debris there (removed by the next run), never a half-build in builds/.
    """
    builds_dir = output / BUILDS
    builds = sorted(p for p in builds_dir.iterdir() if p.is_dir()) if builds_dir.is_dir() else []
    current = latest_build(output)
    doomed = [b for b in builds[: max(0, len(builds) - keep)] if b != current]
    trash = output / PRUNING
    for path in doomed:
        trash.mkdir(exist_ok=True)
        moved = trash / path.name
        os.replace(path, moved)
        shutil.rmtree(moved, ignore_errors=True)
    with contextlib.suppress(OSError):
        trash.rmdir()
    return doomed


def _point_latest(output: Path, target: Path) -> None:
    # A new symlink renamed over the old one: readers see the old build or the new one, never a
    # missing or half-written `latest`. The link is relative so the output folder can be moved.
    tmp = output / f".{LATEST}-{uuid.uuid4().hex}"
    try:
        os.symlink(os.path.relpath(target, output), tmp)
        os.replace(tmp, output / LATEST)
    finally:
        with contextlib.suppress(FileNotFoundError):  # gone after a successful rename
            tmp.unlink()


def _remove_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):  # .staging/ itself, when empty
        staging.parent.rmdir()


def _io_message(output: Path, exc: OSError, path: Path, *, needed: int | None = None) -> str:
    """One line for an I/O failure while publishing: the file that failed, what, what to do."""
    what = (exc.strerror or str(exc)).lower()
    failed = Path(exc.filename) if exc.filename else path
    if exc.errno == errno.ENOSPC:
        size = f" (the build needs {needed / 1e6:.1f} MB)" if needed else ""
        return (f"{failed}: no space left on the device while writing the build{size} — free some space "
                f"(or delete old builds in {output / BUILDS}, or use --keep) and run again; nothing was "
                "published")
    return (f"{failed}: {what} while writing the build — check the permissions and free space of "
            f"{output}; nothing was published")


def mark_latest(build: Path, record: str = "build.json") -> None:
    """Record in the build's `record` (JSON) that `latest` now points to it.

    Called only after the switch: a build never claims to be latest when a kill came first. The
    file is replaced by a rename, so it is never half-written.
    """
    path = build / record
    if not path.is_file():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    data["published_as_latest"] = True
    tmp = path.with_name(f".{record}-{uuid.uuid4().hex}")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
