"""The team setup of the README: one Prefect server backed by PostgreSQL (Debian's postgresql),
shared by editors and QA, that lets in only those with its auth string; a worker runs the
deployment from prefect.yaml. As the README does it: `casebook team server` writes the auth
string into the project's .env, and the server and the worker, started in the project folder,
read it from there.

PostgreSQL refuses to run as root (CI runs as root): the cluster belongs to the `postgres` user
the Debian package creates, and is started with `runuser`; as another user it runs as that user.
It lives in a temporary folder on a free port, fsync off: nothing outlives the test.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows import teamenv
from flows.cli import main
from flows.tempserver import free_port, healthy
from tests.flows.conftest import BIN, stop
from tests.flows.test_auth import UNAUTHORIZED, _request
from tests.flows.test_deployment import DEPLOYMENT, SUMMARY, _api, _prefect, _run, _worker
from transform.export import load_report

pytestmark = [pytest.mark.postgres, pytest.mark.prefect_server]


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        pytest.skip("PostgreSQL is not installed (make setup installs Debian's postgresql)")
    return Path(found[-1]).parent


def _as_owner(command: list[str]) -> list[str]:
    """Run a PostgreSQL command as the cluster's owner: `postgres` when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A running PostgreSQL cluster with an empty database `prefect`; yields its asyncpg URL."""
    pg = _pg_bin()
    # Not under pytest's temporary folder: that one is private to root, and the cluster's owner
    # must reach its data folder.
    root = Path(tempfile.mkdtemp(prefix="casebook-pg-"))
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        for path in (root, data):
            shutil.chown(path, "postgres", "postgres")
    port = free_port()
    subprocess.run(_as_owner([str(pg / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                              "--no-sync", "-E", "UTF8"]), check=True, capture_output=True)
    options = f"-h 127.0.0.1 -p {port} -k {data} -c fsync=off -c full_page_writes=off"
    subprocess.run(_as_owner([str(pg / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"),
                              "-w", "start"]), check=True, capture_output=True)
    try:
        subprocess.run(_as_owner([str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                                  "prefect"]), check=True, capture_output=True)
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/prefect"
    finally:
        subprocess.run(_as_owner([str(pg / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _without_prefect_api(env: dict[str, str]) -> dict[str, str]:
    """`env` less any server address or auth string: what they are comes from the project's .env."""
    return {k: v for k, v in env.items() if not k.startswith(("PREFECT_API_URL", "PREFECT_API_AUTH",
                                                               "PREFECT_SERVER_API_AUTH", "PREFECT_UI_API"))}


@pytest.fixture(scope="module")
def team_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """The project on the server machine, its .env written by `casebook team server`; its port."""
    project = tmp_path_factory.mktemp("team").resolve() / "project"
    port = free_port()
    assert main(["init", str(project)]) == 0
    assert main(["team", "--project", str(project), "server", "--public-url", f"http://127.0.0.1:{port}",
                 "--port", str(port)]) == 0
    return project, port


@pytest.fixture(scope="module")
def team_server(
    postgres: str, team_project: tuple[Path, int], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    """`prefect server start` on PostgreSQL in the project folder, as the README's team setup runs
    it; yields what a client needs (from the .env, as an editor's `casebook team client` has it)."""
    project, port = team_project
    home = tmp_path_factory.mktemp("team-home")
    env = {**_without_prefect_api(dict(os.environ)), "PREFECT_HOME": str(home),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_API_DATABASE_CONNECTION_URL": postgres}
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--analytics-off"],
        env=env, cwd=project, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    settings = teamenv.read(project / teamenv.ENV_FILE)
    url = settings["PREFECT_API_URL"]
    try:
        deadline = time.monotonic() + 120
        while not healthy(url):
            assert server.poll() is None and time.monotonic() < deadline, (home / "server.log").read_text()
            time.sleep(0.5)
        yield {"PREFECT_HOME": str(home), "PREFECT_API_URL": url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
               "PREFECT_API_AUTH_STRING": settings["PREFECT_API_AUTH_STRING"]}
    finally:
        stop(server)
        log.close()


def test_a_worker_runs_the_deployment_on_a_postgres_backed_server(
    postgres: str, team_server: dict[str, str], team_project: tuple[Path, int], prefect_server: dict[str, str]
) -> None:
    project = team_project[0]
    assert (project / ".env").stat().st_mode & 0o777 == 0o600
    assert ".env" in (project / ".gitignore").read_text(encoding="utf-8").split()
    # nobody without the auth string gets in
    assert _request(f"{team_server['PREFECT_API_URL']}/flows/filter", body={}) == UNAUTHORIZED
    # The editors' machines share the server; the cache is per machine (its PREFECT_HOME): here the
    # one the other flow tests filled, so the run is quick when they ran first.
    env = {**os.environ, **team_server, "PREFECT_WORKER_QUERY_SECONDS": "1",
           "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(Path(prefect_server["PREFECT_HOME"]) / "storage")}
    created = _prefect("work-pool", "create", "casebook-pool", "--type", "process", env=env)
    assert created.returncode == 0, created.stdout + created.stderr
    deployed = _prefect("deploy", "--all", "--no-prompt", env=env)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    output = project / "output"
    # the worker as the README starts it: in the project folder, address and auth string from .env
    worker_env = {**_without_prefect_api(env), "CASEBOOK_PROJECT": str(project)}
    with _worker(worker_env, project):
        result, run_id = _run(env, output)
    assert result.returncode == 0, result.stdout + result.stderr
    run = _api(env, run_id)
    assert (run["state"].name, run["state"].message) == ("Completed", SUMMARY)
    assert run["deployment"].name == DEPLOYMENT.split("/")[1] and run["deployment"].work_pool_name == "casebook-pool"
    assert len(load_report(output / "latest").cases) == 29
    # the run is in PostgreSQL: what QA sees from any machine with PREFECT_API_URL set
    rows = subprocess.run(
        _as_owner(["psql", "-h", "127.0.0.1", "-p", postgres.rsplit(":", 1)[1].split("/")[0], "-U", "postgres",
                   "-d", "prefect",
                   "-tAc", f"select state_name from flow_run where id = '{run_id}'"]),
        capture_output=True, text=True, check=True,
    )
    assert rows.stdout.strip() == "Completed"

