"""What killed runs leave outside the output folder, closed by the next run: their flow runs
still "Running" in Prefect's database, and the temporary folders of their LibreOffice.

A run killed with `kill -9` cannot say it ended. Prefect learns it from the process's heartbeats
on a server that watches them, but `casebook build`'s temporary server dies with it, and a worker
does not always see it. So each flow run of a build records itself while it runs —
`<output>/.runs/<flow run id>.json` with its host and process (id and start time) — from before it
waits for the output folder's lock until it ends. The next run looks at the records: one whose
process on this host is gone belonged to a killed run; if Prefect still has that flow run in a
state that is not final, it is marked Crashed ("killed: its process ended without finishing"),
and the record is removed. Only runs whose process is really gone are touched: a run waiting for
the lock, or running on another host, is left alone. The same look-around removes the LibreOffice
folders of killed prints (`render.office.clear_stale`).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

RUNS = ".runs"
KEEP_UNKNOWN_DAYS = 30  # a record of a run this server does not know (another server's) is kept this long
CRASHED = "killed: the process running it ended without finishing (found by the next build)"


@dataclass(frozen=True)
class RunRecord:
    """A flow run of a build and the process running it."""

    flow_run: str
    host: str
    pid: int
    started: float  # the process's start time: a pid used again is another process

    def alive(self) -> bool | None:
        """Whether its process still runs (None: on another host, nobody here can tell)."""
        if self.host != socket.gethostname():
            return None
        with contextlib.suppress(psutil.Error):
            return abs(psutil.Process(self.pid).create_time() - self.started) < 0.05
        return False


@contextmanager
def recorded(output: Path) -> Iterator[list[str]]:
    """Record the current flow run under `output` while the block runs, after closing the records
    of killed runs; yields the ids of the flow runs it marked Crashed."""
    output.mkdir(parents=True, exist_ok=True)
    crashed = close_killed(output)
    if crashed:
        from prefect import get_run_logger

        get_run_logger().info("marked %d flow runs of killed builds as Crashed: %s", len(crashed),
                              ", ".join(crashed))
    from render.office import clear_stale

    clear_stale()
    record = _current()
    path = output / RUNS / f"{record.flow_run}.json" if record is not None else None
    if path is not None:
        try:
            path.parent.mkdir(exist_ok=True)
            path.write_text(json.dumps(asdict(record)) + "\n", encoding="utf-8")
        except OSError:  # a full disk: the run goes on unrecorded (and fails on its own when publishing)
            _remove(path)
            path = None
    try:
        yield crashed
    finally:
        if path is not None:
            _remove(path)


def close_killed(output: Path) -> list[str]:
    """Mark the flow runs of killed runs Crashed (see the module doc); their ids."""
    folder = output / RUNS
    records = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = RunRecord(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if record.alive() is False:
            records.append((path, record))
    crashed = []
    for path, record in records:
        known = _crash(record.flow_run)
        if known is not None or time.time() - path.stat().st_mtime > KEEP_UNKNOWN_DAYS * 86400:
            _remove(path)
        if known:
            crashed.append(record.flow_run)
    return crashed


def _current() -> RunRecord | None:
    """This flow run and this process (None outside a flow run)."""
    from prefect.runtime import flow_run

    if not flow_run.id:
        return None
    me = psutil.Process(os.getpid())
    return RunRecord(str(flow_run.id), socket.gethostname(), me.pid, me.create_time())


def _crash(flow_run_id: str) -> bool | None:
    """Mark a flow run Crashed unless its state is final: True if marked, False if it had ended,
    None if this server does not know it."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Crashed

    try:
        with get_client(sync_client=True) as client:
            run = client.read_flow_run(flow_run_id)  # type: ignore[arg-type]
            if run.state is not None and run.state.is_final():
                return False
            client.set_flow_run_state(flow_run_id, Crashed(message=CRASHED), force=True)  # type: ignore[arg-type]
            return True
    except ObjectNotFound:
        return None
    except Exception:  # housekeeping never fails a build: the record stays, the next run tries again
        return None


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # .runs/ itself, when empty
