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
  (multiprocessing "spawn"), which imports Prefect and the flow again — a second or two. Here a
  template process that has imported them already (multiprocessing's forkserver, started at once)
  forks each run instead. Only the start method changes: the run, its settings and environment
  are Prefect's as before; should Prefect stop starting runs this way, they are spawned as before.
- **LibreOffice's start**: CASEBOOK_OFFICE_ANCHOR names this process, so one LibreOffice is kept
  running for as long as it lives (render/office.py).
"""

from __future__ import annotations

import multiprocessing
import os
from types import ModuleType
from typing import Any

NAME = "serve"
DESCRIPTION = "Regenerate the casebook (事例集) from the source PDF and publish it under output/."
PRELOAD = ["flows.build"]  # what every flow run imports: Prefect, the flow, the stages' light modules


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
    forkserver.ensure_running()  # now, so the first run finds it ready too
    engine.multiprocessing = _ForkingMultiprocessing(context)  # type: ignore[attr-defined]


class _ForkingMultiprocessing(ModuleType):
    """The multiprocessing module, but for the "spawn" context, which is the forkserver."""

    def __init__(self, context: Any) -> None:
        super().__init__("multiprocessing")
        self._context = context

    def get_context(self, method: str | None = None) -> Any:
        return self._context if method == "spawn" else multiprocessing.get_context(method)

    def __getattr__(self, name: str) -> Any:
        return getattr(multiprocessing, name)


if __name__ == "__main__":
    main()
