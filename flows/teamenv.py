"""The team server's secret in a `.env` file beside the project (README, "A team setup").

Prefect reads a `.env` file in the current folder for its settings (pydantic-settings; after the
environment, before profiles), so every `prefect` command, worker and `casebook build` started in
the project folder gets the auth string from it, and the file is the only place it is written:
mode 600 (its owner only), listed in .gitignore, never committed.

- the server machine: PREFECT_SERVER_API_AUTH_STRING (the server demands it), PREFECT_API_AUTH_STRING
  and PREFECT_API_URL (its own worker and commands, on loopback), PREFECT_UI_API_URL (where the
  browsers reach the API: the UI asks for the auth string on first load);
- an editor's or QA's machine: PREFECT_API_URL and PREFECT_API_AUTH_STRING.

The auth string is `casebook:<random>`: user:password form, so `curl -u "$string"` and a proxy's
Basic auth read it as Prefect's server does (it compares the decoded header with the whole string).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from casebook.errors import CasebookError

ENV_FILE = ".env"
SERVER_SECRET = "PREFECT_SERVER_API_AUTH_STRING"
CLIENT_SECRET = "PREFECT_API_AUTH_STRING"
USER = "casebook"


class TeamEnvError(CasebookError):
    """A `.env` that cannot be read or written, or a URL that is not one."""


@dataclass(frozen=True)
class Written:
    """What `write` did: the file, the keys it set, whether the auth string is new."""

    path: Path
    keys: tuple[str, ...]
    new_secret: bool
    tightened: bool  # the file was readable by others before


def new_auth_string() -> str:
    return f"{USER}:{secrets.token_urlsafe(32)}"


def api_url(url: str) -> str:
    """`url` as Prefect's API URL: http(s)://host[:port]/api (a bare server address gets /api)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise TeamEnvError(f"{url!r}: not a server address — give one like http://casebook-server:4200 "
                           "or https://casebook.example.org")
    path = parts.path.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path if path.endswith('/api') else path + '/api'}"


def read(path: Path) -> dict[str, str]:
    """The file's settings ({} when it does not exist)."""
    from dotenv import dotenv_values

    if not path.exists():
        return {}
    try:
        return {k: v for k, v in dotenv_values(path).items() if v is not None}
    except (OSError, UnicodeDecodeError) as exc:
        raise TeamEnvError(f"{path}: cannot read ({exc}) — fix or remove it") from None


def server_settings(
    current: Mapping[str, str], *, public_url: str, port: int, rotate: bool
) -> dict[str, str]:
    """The server machine's settings: its existing auth string kept unless `rotate`."""
    secret = current.get(SERVER_SECRET) or current.get(CLIENT_SECRET)
    if rotate or not secret:
        secret = new_auth_string()
    return {SERVER_SECRET: secret, CLIENT_SECRET: secret,
            "PREFECT_API_URL": f"http://127.0.0.1:{port}/api", "PREFECT_UI_API_URL": api_url(public_url)}


def client_settings(*, url: str, auth_string: str) -> dict[str, str]:
    """An editor's or QA's machine: where the server is and its auth string."""
    auth_string = auth_string.strip()
    if not auth_string or any(ch.isspace() for ch in auth_string):
        raise TeamEnvError("the auth string is empty or has spaces — paste the whole PREFECT_API_AUTH_STRING "
                           "value from the server's .env")
    return {"PREFECT_API_URL": api_url(url), CLIENT_SECRET: auth_string}


def write(path: Path, settings: Mapping[str, str]) -> Written:
    """Set `settings` in the file, keeping its other lines; the file ends up mode 600.

    A new file is created mode 600 before anything is written to it, so the secret is never
    readable by others, not even for a moment; python-dotenv rewrites through a temporary file
    that keeps the mode.
    """
    from dotenv import set_key

    before = read(path)
    tightened = False
    try:
        if path.exists():
            tightened = bool(path.stat().st_mode & 0o077)
            path.chmod(0o600)
        else:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        for key, value in settings.items():
            set_key(path, key, value, quote_mode="always")
    except OSError as exc:
        raise TeamEnvError(f"{path}: cannot write ({exc.strerror}) — check the folder's permissions") \
            from None
    new_secret = any(settings.get(k) and settings.get(k) != before.get(k)
                     for k in (SERVER_SECRET, CLIENT_SECRET))
    return Written(path, tuple(settings), new_secret, tightened)


def check_server(url: str, has_auth_string: bool) -> None:
    """That the configured Prefect server (`url`) answers and lets this machine in; one line why
    not. Through Prefect's own client, so its TLS settings (PREFECT_API_SSL_CERT_FILE, …) apply;
    it asks /hello, which is behind the auth check (health would answer without the string)."""
    import httpx
    from prefect.client.orchestration import get_client
    from prefect.exceptions import PrefectHTTPStatusError

    try:
        with get_client(sync_client=True) as client:
            client.hello()
    except PrefectHTTPStatusError as exc:
        if exc.response.status_code != 401:
            return  # it answers; anything else is Prefect's to report
        what = ("the auth string (PREFECT_API_AUTH_STRING) is not the server's" if has_auth_string else
                "it asks for an auth string and PREFECT_API_AUTH_STRING is not set")
        raise TeamEnvError(f"the Prefect server at {url} refuses this machine: {what} — run `casebook "
                           "team client` with the string from the server's .env (README, 'A team setup')") \
            from None
    except (httpx.HTTPError, RuntimeError, OSError) as exc:
        reason = " ".join(str(exc.__cause__ or exc).split())
        raise TeamEnvError(
            f"the Prefect server at {url} (PREFECT_API_URL, set in the environment, a .env here or a "
            f"profile) cannot be reached ({reason}) — start it (README, 'With a Prefect server'), or unset "
            "PREFECT_API_URL to build with a temporary server"
        ) from None
