"""The casebook's Prefect worker: Prefect's process worker, minus what a casebook run pays for
nothing (`casebook worker`, or `prefect worker start` for the plain one — both serve the same pool).

Prefect's process worker starts each flow run as two interpreters one after the other: a
"workspace supervisor" (`python -m prefect.runner._workspace_supervisor`, which prepares a
workspace: pull steps, a project's own environment) and then the engine (`python -m
prefect.engine`). Each imports Prefect — a second or more apiece. The casebook's deployment has
no pull steps and runs the installed package, so this worker starts the engine directly, with
its own interpreter (the same command Prefect gives a configured process pool). And it names
itself CASEBOOK_OFFICE_ANCHOR, so one LibreOffice stays warm for as long as it runs
(render/office.py).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from prefect.utilities.processutils import command_to_string
from prefect.workers.process import ProcessJobConfiguration, ProcessWorker

from render.office import ANCHOR_ENV

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun

ENGINE = [sys.executable, "-m", "prefect.engine"]


class CasebookJobConfiguration(ProcessJobConfiguration):
    """A flow run's process: the engine started directly (no supervisor), LibreOffice kept warm."""

    def prepare_for_flow_run(self, flow_run: FlowRun, *args: Any, **kwargs: Any) -> None:
        if self.command is None:  # a command the pool or deployment sets is theirs
            self.command = command_to_string(ENGINE)
        self.env = {ANCHOR_ENV: str(os.getpid()), **self.env}
        super().prepare_for_flow_run(flow_run, *args, **kwargs)


class CasebookWorker(ProcessWorker):
    """A process worker (type "process": it serves the same pools) with CasebookJobConfiguration."""

    job_configuration = CasebookJobConfiguration

    @classmethod
    def __dispatch_key__(cls) -> str:
        # Prefect's registry of worker classes by type: registered beside the process worker, not
        # over it (its type stays "process", the pools' type).
        return "casebook-process"
