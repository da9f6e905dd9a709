"""The casebook worker (flows/worker.py) without a server: how it starts a flow run, and the
command's error when no server is configured."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from prefect.client.schemas.objects import FlowRun
from prefect.workers.process import ProcessWorker

from flows.worker import ENGINE, CasebookJobConfiguration, CasebookWorker
from render.office import ANCHOR_ENV
from tests.flows.conftest import BIN


def _prepared(**values: object) -> CasebookJobConfiguration:
    configuration = CasebookJobConfiguration(**values)  # type: ignore[arg-type]
    configuration.prepare_for_flow_run(FlowRun(flow_id=uuid.uuid4(), name="test-run"))
    return configuration


def test_a_run_starts_the_engine_itself_keeping_libreoffice_warm_for_the_worker() -> None:
    configuration = _prepared()
    assert configuration.command == " ".join(ENGINE) and ENGINE[0] == sys.executable
    assert configuration._forkable  # no command of its own: the worker may fork it
    assert configuration.env[ANCHOR_ENV] == str(os.getpid())


def test_a_command_or_an_anchor_the_deployment_sets_is_kept() -> None:
    configuration = _prepared(command="python -m my.launcher", env={ANCHOR_ENV: "parent"})
    assert configuration.command == "python -m my.launcher" and not configuration._forkable
    assert configuration.env[ANCHOR_ENV] == "parent"


def test_it_serves_process_pools_beside_prefects_own_worker() -> None:
    assert CasebookWorker.type == ProcessWorker.type == "process"
    from prefect.utilities.dispatch import lookup_type
    from prefect.workers.base import BaseWorker

    assert lookup_type(BaseWorker, "process") is ProcessWorker  # `prefect worker start` unchanged


def test_without_a_server_it_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_URL")}
    result = subprocess.run([str(BIN / "casebook"), "worker"], env={**env, "PREFECT_HOME": str(tmp_path)},
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr == ("casebook worker: error: no Prefect server configured — start one and set "
                             "PREFECT_API_URL (README, 'With a Prefect server')\n")
