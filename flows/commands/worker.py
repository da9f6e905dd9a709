"""`casebook worker`: run a Prefect worker for the casebook's deployment (prefect.yaml) on a work
pool, until interrupted (Ctrl-C).

It is Prefect's process worker, serving the same pool as `prefect worker start --pool
casebook-pool` would, with shorter waits (flows/worker.py): each flow run is forked from a process
that has loaded the flow and its libraries instead of starting two interpreters, LibreOffice stays
warm between runs, and it asks the server for new runs every second (PREFECT_WORKER_QUERY_SECONDS,
unless set). It needs a server: PREFECT_API_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import os

from casebook.errors import ServerStartError

HELP = "run a Prefect worker for the casebook's deployment (quicker run starts than `prefect worker start`)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pool", default="casebook-pool", help="the work pool (default: casebook-pool)")
    parser.add_argument("--name", default=None, help="the worker's name in the UI (default: Prefect's)")
    parser.add_argument("--limit", type=int, default=None,
                        help="flow runs at once (default: no limit; builds of one output folder take turns)")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("PREFECT_WORKER_QUERY_SECONDS", "1")  # before Prefect reads its settings
    from prefect.settings import get_current_settings
    from prefect.utilities.processutils import setup_signal_handlers_worker

    from flows.worker import CasebookWorker, start_forkserver

    if get_current_settings().api.url is None:
        raise ServerStartError("no Prefect server configured — start one and set PREFECT_API_URL "
                               "(README, 'With a Prefect server')")
    start_forkserver()
    worker = CasebookWorker(work_pool_name=args.pool, name=args.name, limit=args.limit)
    setup_signal_handlers_worker(os.getpid(), "the casebook worker", print)
    try:
        asyncio.run(worker.start(printer=print))
    except (KeyboardInterrupt, asyncio.CancelledError):
        print(f"casebook worker: {worker.name} stopped")
    return 0
