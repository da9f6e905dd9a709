"""Serve the deployment `build-casebook/serve` from this process: no work pool, no worker.

    PREFECT_API_URL=http://127.0.0.1:4200/api python -m flows.serve

Each `prefect deployment run 'build-casebook/serve'` then runs in a subprocess of this one.
It has a name of its own: `serve` registers its deployment without a work pool and pauses it
when stopped, so under the worker's name (`build-casebook/casebook`, from prefect.yaml) it would
take that deployment away from the worker. Both share the output folder's lock and the cache.
The flow's relative paths are relative to the project root, so it can be started from anywhere.
PREFECT_RUNNER_POLL_FREQUENCY sets how often it asks the server for new runs: 1 s here unless
set, since an editor waits for it (the cost is one small query a second to a local server).

What a run does not pay again, because this process lives between runs:

- **the interpreter and its imports**: Prefect starts each flow run in a fresh interpreter
  (multiprocessing "spawn"), which imports Prefect and the flow again — a second or two — and then
  the stages' libraries and SudachiPy's dictionary. Here a template process that has loaded all
  of it (multiprocessing's forkserver with flows/warmup.py, started at once) forks each run
  instead. Only the start method changes: the run, its settings and environment are Prefect's as
  before; should Prefect stop starting runs this way, they are spawned as before. When the code
  changes under a running serve (a new version installed), runs are spawned again, so they run the
  new code; restart serve to fork them again.
- **LibreOffice's start**: CASEBOOK_OFFICE_ANCHOR names this process, so one LibreOffice is kept
  running for as long as it lives (render/office.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from types import ModuleType
from typing import Any

NAME = "serve"
DESCRIPTION = "Regenerate the casebook (事例集) from the source PDF and publish it under output/."
PRELOAD = ["flows.warmup"]  # what a flow run loads: Prefect, the flow, the stages' libraries
PACKAGES = ("casebook", "extract", "transform", "render", "flows")  # the code a forked run runs


def main() -> None:
    """Register the deployment and run its flow runs until interrupted (Ctrl-C)."""
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", "1")
    os.environ.setdefault("CASEBOOK_OFFICE_ANCHOR", str(os.getpid()))
    fork_flow_runs()
    from flows.build import build_casebook  # after the settings: Prefect reads them at import

    # One run at a time: a second waits here, visibly Scheduled, rather than for the output lock.
    build_casebook.serve(name=NAME, description=DESCRIPTION, limit=1)


def fork_flow_runs() -> None:
    """Start flow-run processes from a forkserver that has imported PRELOAD (see the module doc).

    Prefect's runner starts a flow run with `multiprocessing.get_context("spawn")` inside
    prefect.flow_engine; that module's `multiprocessing` becomes a view of the real one whose
    "spawn" context is the forkserver."""
    from multiprocessing import forkserver

    import prefect.flow_engine as engine

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    code = code_fingerprint()
    forkserver.ensure_running()  # now, so the first run finds it ready too
    engine.multiprocessing = _ForkingMultiprocessing(context, code)  # type: ignore[attr-defined]


class _ForkingMultiprocessing(ModuleType):
    """The multiprocessing module, but for the "spawn" context, which is the forkserver — while
    the code is the code it loaded."""

    def __init__(self, context: Any, code: str) -> None:
        super().__init__("multiprocessing")
        self._context = context
        self._code = code

    def get_context(self, method: str | None = None) -> Any:
        if method != "spawn":
            return multiprocessing.get_context(method)
        if code_fingerprint() != self._code:
            logging.getLogger("casebook.serve").warning(
                "the casebook's code changed since this process started: flow runs start in a new "
                "interpreter (slower) — restart it (serve or the worker) to fork them again")
            return multiprocessing.get_context("spawn")
        return self._context

    def __getattr__(self, name: str) -> Any:
        return getattr(multiprocessing, name)


def code_fingerprint() -> str:
    """Path, size and modification time of every file of the casebook's packages (a few ms)."""
    from flows.caching import code_files

    entries = set()
    for name in PACKAGES:
        for _rel, path in code_files(name):
            stat = path.stat()
            entries.add(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(sorted(entries))


if __name__ == "__main__":
    main()
