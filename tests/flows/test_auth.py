"""The team server lets in only those with its auth string (README, "A team setup"): the session's
server (tests/flows/conftest.py) runs with PREFECT_SERVER_API_AUTH_STRING, as the README's does;
the deployment tests prove that the worker and the editors' commands with the string work.

Prefect answers GET /api/health and /api/ready without the string on purpose (probes; they say
`true` / OK and nothing else); every other route — flows, runs, logs, artifacts, deployments, the
settings, the event and log streams — is refused.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from flows import tempserver
from tests.flows.conftest import BIN, casebook
from tests.paths import PROJECT_ROOT

pytestmark = pytest.mark.prefect_server

UNAUTHORIZED = (401, {"exception_message": "Unauthorized"})


def _request(url: str, *, auth: str | None = None, body: dict | None = None) -> tuple[int, object]:
    """(status, JSON body) of a GET, or a POST when `body` is given."""
    headers = {"Content-Type": "application/json"}
    if auth is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.parametrize("route", [
    "flows/filter", "flow_runs/filter", "deployments/filter", "logs/filter", "artifacts/filter",
    "work_pools/filter", "variables/filter", "task_runs/filter",
])
def test_a_client_without_the_auth_string_gets_401(prefect_server: dict[str, str], route: str) -> None:
    api = prefect_server["PREFECT_API_URL"]
    auth = prefect_server["PREFECT_API_AUTH_STRING"]
    assert _request(f"{api}/{route}", body={}) == UNAUTHORIZED
    assert _request(f"{api}/{route}") == UNAUTHORIZED  # any method: the check comes first
    assert _request(f"{api}/{route}", body={}, auth="casebook:guess") == UNAUTHORIZED
    assert _request(f"{api}/{route}", body={}, auth=auth.split(":")[1]) == UNAUTHORIZED  # the whole string
    status, found = _request(f"{api}/{route}", body={}, auth=auth)
    assert status == 200 and isinstance(found, list)


def test_only_the_probes_answer_without_it_and_say_nothing(prefect_server: dict[str, str]) -> None:
    api = prefect_server["PREFECT_API_URL"]
    assert _request(f"{api}/health") == (200, True)
    assert _request(f"{api}/ready") == (200, {"message": "OK"})
    for route in ("version", "admin/settings", "admin/version", "csrf-token?client=x", "flows/count"):
        assert _request(f"{api}/{route}")[0] == 401, route


def test_the_ui_asks_for_it(prefect_server: dict[str, str]) -> None:
    ui = prefect_server["PREFECT_API_URL"].removesuffix("/api")
    with urllib.request.urlopen(f"{ui}/ui-settings", timeout=10) as response:
        assert json.loads(response.read())["auth"] == "BASIC"  # the UI prompts on first load


@pytest.mark.parametrize("token", [None, "casebook:guess"])
def test_the_event_stream_refuses_it_too(prefect_server: dict[str, str], token: str | None) -> None:
    """Logs and state changes also stream over a websocket; HTTP's check does not cover it."""
    url = prefect_server["PREFECT_API_URL"].replace("http://", "ws://") + "/events/out"
    with connect(url, subprotocols=["prefect"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "auth", "token": token}))
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008  # policy violation
    with pytest.raises(InvalidStatus) as refused, connect(url, open_timeout=10):  # no auth handshake at all
        pass
    assert refused.value.response.status_code == 403
    with connect(url, subprotocols=["prefect"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "auth", "token": prefect_server["PREFECT_API_AUTH_STRING"]}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "auth_success"}


def test_prefect_commands_without_it_fail_and_create_nothing(prefect_server: dict[str, str]) -> None:
    env = {**os.environ, **prefect_server}
    env.pop("PREFECT_API_AUTH_STRING")
    result = subprocess.run([str(BIN / "prefect"), "deployment", "run", "build-casebook/casebook"], env=env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "401 Unauthorized" in result.stdout + result.stderr
    assert "Created flow run" not in result.stdout


def test_the_temporary_server_of_casebook_build_has_a_string_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_server: dict[str, str]
) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_SERVER_API_AUTH_STRING", "from-the-shell")  # e.g. a sourced .env
    server = tempserver.start().wait_ready(120)
    try:
        assert len(server.auth_string) >= 40  # 32 random bytes, URL-safe base64
        assert server.auth_string not in ("from-the-shell", prefect_server["PREFECT_API_AUTH_STRING"])
        assert _request(f"{server.api_url}/flows/filter", body={}) == UNAUTHORIZED
        assert _request(f"{server.api_url}/flows/filter", body={}, auth="from-the-shell") == UNAUTHORIZED
        assert _request(f"{server.api_url}/flows/filter", body={}, auth=server.auth_string) == (200, [])
    finally:
        server.stop()


@pytest.mark.parametrize(("auth", "says"), [
    ("casebook:guess", "refuses this machine: the auth string (PREFECT_API_AUTH_STRING) is not the server's"),
    (None, "refuses this machine: it asks for an auth string and PREFECT_API_AUTH_STRING is not set"),
])
def test_casebook_build_with_the_wrong_string_says_so_in_one_line(
    prefect_server: dict[str, str], tmp_path: Path, auth: str | None, says: str
) -> None:
    env = {**os.environ, **prefect_server}
    env.pop("PREFECT_API_AUTH_STRING")
    if auth is not None:
        env["PREFECT_API_AUTH_STRING"] = auth
    result = casebook("build", "--output-dir", str(tmp_path / "out"), env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        f"casebook build: error: the Prefect server at {prefect_server['PREFECT_API_URL']} {says} — run "
        "`casebook team client` with the string from the server's .env (README, 'A team setup')")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "builds").exists()


def test_casebook_build_with_a_server_that_is_down_says_so_in_one_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{tempserver.free_port()}/api"
    result = casebook("build", "--output-dir", str(tmp_path / "out"),
                      env={"PREFECT_API_URL": url, "PREFECT_HOME": str(tmp_path / "home")})
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith(
        f"casebook build: error: the Prefect server at {url} (PREFECT_API_URL, set in the environment, a .env "
        "here or a profile) cannot be reached (")
    assert "Traceback" not in result.stderr
