"""`casebook team`: the team server's auth string in the project's .env, mode 600, other lines kept."""

from __future__ import annotations

import io
import stat
from pathlib import Path

import pytest

from flows import teamenv
from flows.cli import main
from flows.teamenv import TeamEnvError


@pytest.fixture
def project(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "p")]) == 0
    return tmp_path / "p"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("given", "api"), [
    ("http://casebook-server:4200", "http://casebook-server:4200/api"),
    ("https://casebook.example.org/", "https://casebook.example.org/api"),
    ("https://casebook.example.org/api", "https://casebook.example.org/api"),
    (" http://10.0.0.5:4200/api/ ", "http://10.0.0.5:4200/api"),
])
def test_a_server_address_becomes_the_api_url(given: str, api: str) -> None:
    assert teamenv.api_url(given) == api


@pytest.mark.parametrize("given", ["casebook-server:4200", "ftp://x", "http://", ""])
def test_anything_else_is_refused(given: str) -> None:
    with pytest.raises(TeamEnvError, match="not a server address — give one like http://casebook-server:4200"):
        teamenv.api_url(given)


def test_server_writes_a_random_string_mode_600_and_keeps_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = project / ".env"
    assert main(["team", "--project", str(project), "server", "--public-url", "http://casebook-server:4200"]) == 0
    first = teamenv.read(env)
    assert _mode(env) == 0o600
    secret = first["PREFECT_SERVER_API_AUTH_STRING"]
    assert secret.startswith("casebook:") and len(secret) > 40
    assert first == {"PREFECT_SERVER_API_AUTH_STRING": secret, "PREFECT_API_AUTH_STRING": secret,
                     "PREFECT_API_URL": "http://127.0.0.1:4200/api",
                     "PREFECT_UI_API_URL": "http://casebook-server:4200/api"}
    out = capsys.readouterr().out
    assert secret.split(":")[1] not in out  # never printed
    assert f"to {env} (mode 600; a new auth string)" in out
    assert ".env" in (project / ".gitignore").read_text(encoding="utf-8").split()

    # again, with another address and port: the string stays, the rest follows
    assert main(["team", "--project", str(project), "server", "--public-url", "https://casebook.example.org",
                 "--port", "4300"]) == 0
    second = teamenv.read(env)
    assert second["PREFECT_API_AUTH_STRING"] == secret
    assert (second["PREFECT_API_URL"], second["PREFECT_UI_API_URL"]) == (
        "http://127.0.0.1:4300/api", "https://casebook.example.org/api")
    assert "the auth string unchanged" in capsys.readouterr().out
    assert main(["team", "--project", str(project), "server", "--public-url", "https://casebook.example.org",
                 "--rotate"]) == 0
    assert teamenv.read(env)["PREFECT_API_AUTH_STRING"] not in (secret, "")


def test_other_lines_are_kept_and_a_readable_file_is_tightened(project: Path) -> None:
    env = project / ".env"
    env.write_text("# mine\nPREFECT_HOME=/srv/prefect\nPREFECT_API_URL=http://old/api\n", encoding="utf-8")
    env.chmod(0o644)
    written = teamenv.write(env, teamenv.client_settings(url="http://new:4200", auth_string="casebook:s3cret\n"))
    assert written.tightened and written.new_secret
    assert _mode(env) == 0o600
    text = env.read_text(encoding="utf-8")
    assert text.startswith("# mine\nPREFECT_HOME=/srv/prefect\n")
    assert teamenv.read(env) == {"PREFECT_HOME": "/srv/prefect", "PREFECT_API_URL": "http://new:4200/api",
                                 "PREFECT_API_AUTH_STRING": "casebook:s3cret"}


def test_client_takes_the_string_from_stdin(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("casebook:from-the-admin\n"))
    assert main(["team", "--project", str(project), "client", "--url", "http://casebook-server:4200"]) == 0
    assert teamenv.read(project / ".env") == {"PREFECT_API_URL": "http://casebook-server:4200/api",
                                              "PREFECT_API_AUTH_STRING": "casebook:from-the-admin"}
    assert _mode(project / ".env") == 0o600


@pytest.mark.parametrize("pasted", ["\n", "casebook: with space\n"])
def test_client_refuses_an_empty_or_broken_string(
    project: Path, pasted: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(pasted))
    assert main(["team", "--project", str(project), "client", "--url", "http://casebook-server:4200"]) == 2
    assert capsys.readouterr().err == (
        "casebook team: error: the auth string is empty or has spaces — paste the whole PREFECT_API_AUTH_STRING "
        "value from the server's .env\n")
    assert not (project / ".env").exists()
