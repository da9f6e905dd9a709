"""The casebook's Prefect worker: Prefect's process worker, minus what a casebook run pays for
nothing (`casebook worker`; `prefect worker start` runs the plain one — both serve the same pool).

Prefect's process worker starts each flow run as two interpreters one after the other: a
"workspace supervisor" (`python -m prefect.runner._workspace_supervisor`, which prepares a
workspace: pull steps, a project's own environment) and then the engine (`python -m
prefect.engine`), each importing Prefect — a second or more apiece — and then the run imports the
stages' libraries. The casebook's deployment has no pull steps and runs the installed package, so
this worker

- loads the flow once, itself, and forks each run from a template process that has loaded the
  flow, the stages' libraries and SudachiPy's dictionary (the forkserver of flows/serve.py) —
  the way `flow.serve` runs a flow it holds, through the same parts of Prefect (a process per
  run, its state, cancellation and crash reporting as Prefect does them);
- for a deployment that sets a command of its own, or should those parts of Prefect change,
  starts the engine directly with its own interpreter (the command Prefect gives a configured
  process pool): one interpreter, not two;
- names itself CASEBOOK_OFFICE_ANCHOR, so one LibreOffice stays warm while it runs
  (render/office.py).

Job variables other than the command and the environment (a working directory, streaming) do
not apply to forked runs: they share the worker's working directory and output.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import anyio
import anyio.abc
from prefect.flows import load_flow_from_flow_run
from prefect.utilities.processutils import command_to_string
from prefect.workers.process import ProcessJobConfiguration, ProcessWorker, ProcessWorkerResult
from pydantic import PrivateAttr

from render.office import ANCHOR_ENV

try:  # the parts of Prefect that run a flow held in memory, as `flow.serve` does
    import prefect.runner._starter_direct as _direct
    from prefect.runner._flow_run_executor import FlowRunExecutorContext
except ImportError:  # another Prefect: runs start the engine directly instead
    _direct = FlowRunExecutorContext = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun

ENGINE = [sys.executable, "-m", "prefect.engine"]


class CasebookJobConfiguration(ProcessJobConfiguration):
    """A flow run's process: forked, or the engine started directly; LibreOffice kept warm."""

    _forkable: bool = PrivateAttr(default=False)  # the command is the default one

    def prepare_for_flow_run(self, flow_run: FlowRun, *args: Any, **kwargs: Any) -> None:
        if self.command is None:  # a command the pool or deployment sets is theirs
            self.command = command_to_string(ENGINE)
            self._forkable = True
        self.env = {ANCHOR_ENV: str(os.getpid()), **self.env}
        super().prepare_for_flow_run(flow_run, *args, **kwargs)


class CasebookWorker(ProcessWorker):
    """A process worker (type "process": it serves the same pools) that forks its flow runs."""

    job_configuration = CasebookJobConfiguration

    @classmethod
    def __dispatch_key__(cls) -> str:
        # Prefect's registry of worker classes by type: registered beside the process worker, not
        # over it (its type stays "process", the pools' type).
        return "casebook-process"

    async def run(
        self, flow_run: FlowRun, configuration: CasebookJobConfiguration,  # type: ignore[override]
        task_status: anyio.abc.TaskStatus[int] | None = None,
    ) -> ProcessWorkerResult:
        """Fork the run from the template process (as ProcessWorker.run, with Prefect's starter of
        a flow held in memory), unless the run has a command of its own."""
        if not configuration._forkable or _direct is None or FlowRunExecutorContext is None:
            return await super().run(flow_run, configuration, task_status)
        flow = await load_flow_from_flow_run(flow_run)
        environment = {k: v for k, v in configuration.env.items() if v is not None and os.environ.get(k) != v}
        async with FlowRunExecutorContext() as context:
            starter = _EnvironmentStarter(flow=flow, control_channel=context.control_channel,
                                          environment=environment)
            executor = context.create_executor(flow_run, starter, resolve_flow=load_flow_from_flow_run,
                                               propose_submitting=False)
            execution = None

            async def execute(*, task_status: anyio.abc.TaskStatus[Any] = anyio.TASK_STATUS_IGNORED) -> None:
                nonlocal execution
                execution = await executor.submit(task_status=task_status)

            async with anyio.create_task_group() as group:
                handle = await group.start(execute)
                if handle.pid is None:
                    raise RuntimeError("Flow run process has no PID")
                (task_status or anyio.TASK_STATUS_IGNORED).started(handle.pid)
        if execution is None or execution.status_code is None:
            raise RuntimeError("Failed to start flow run process.")
        return ProcessWorkerResult(status_code=execution.status_code, identifier=str(execution.handle.pid))


if _direct is not None:

    class _EnvironmentStarter(_direct.DirectSubprocessStarter):
        """Prefect's starter of a flow held in memory, with the job's environment (its job
        variables, the run's PREFECT__ settings) in the forked process."""

        def __init__(self, *, environment: dict[str, str], **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self._environment = environment

        async def start(self, flow_run: FlowRun, task_status: Any = anyio.TASK_STATUS_IGNORED) -> None:
            # The starter calls the module's run_flow_in_subprocess before its first await: wrapped
            # for that one call, no other run can come between.
            original = _direct.run_flow_in_subprocess

            def with_environment(*args: Any, env: dict[str, str | None] | None = None, **kwargs: Any) -> Any:
                _direct.run_flow_in_subprocess = original
                return original(*args, env={**self._environment, **(env or {})}, **kwargs)

            _direct.run_flow_in_subprocess = with_environment
            try:
                await super().start(flow_run, task_status=task_status)
            finally:
                _direct.run_flow_in_subprocess = original


def start_forkserver() -> None:
    """Fork flow runs from a template process (flows/serve.py), LibreOffice anchored here."""
    from flows.serve import fork_flow_runs

    os.environ.setdefault(ANCHOR_ENV, str(os.getpid()))
    fork_flow_runs()
