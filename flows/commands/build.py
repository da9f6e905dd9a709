"""`casebook build`: run the Prefect flow build-casebook here and publish the casebook.

No server needs to be running: without PREFECT_API_URL, a temporary Prefect server is started
for the run (flows/tempserver.py) — after the output folder's lock is taken, so a run that has
to wait starts nothing — and it stops with this process, even a killed one. With PREFECT_API_URL
set, the run is recorded on that server (logs and artifacts in its UI). Prefect's database and the
cache of extraction, validation and rendering live in PREFECT_HOME (default here:
<project>/.prefect), so a rebuild of an unchanged source is fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from flows import confine
from flows import editorial as editorial_files
from flows.commands import options
from flows.commands.options import add_editorial_options, add_project_option

if TYPE_CHECKING:
    from prefect.states import State

    from flows.editorial import Editorial
    from flows.project import Project

HELP = "run the whole pipeline (the Prefect flow build-casebook) and publish the casebook"

EPILOG = """\
outputs (under --output-dir):
  builds/<time>-<hash>/   one folder per build: casebook.docx, html/, validation.html, changes.html,
                          report.json, cases.json, items.csv, tables/, build.json …
  latest                  → the newest build that completed; a failed or killed run never moves it

exit codes:
  0  published as latest; the message says how many checks passed and how many need review
  1  --strict and a high or medium finding is open or reopened (build kept in builds/, latest
     unchanged): decide it with `casebook review` or fix its cause
  2  an error: bad source, a correction that does not match, error checks (build kept,
     latest unchanged), or another build holding the output folder for longer than --wait
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_project_option(parser)
    parser.add_argument("--source", type=Path, default=None,
                        help="source PDF (default: the project's report, casebook.toml)")
    parser.add_argument("--output-dir", type=Path, default=None,
                        help="publish under this folder (default: the project's output folder)")
    parser.add_argument("--strict", action="store_true",
                        help="fail the run, and keep latest, while a high or medium finding is open")
    parser.add_argument("--edition", default=None, help="edition label printed on the cover (e.g. 第2版)")
    parser.add_argument("--keep", type=_within(int, confine.KEEP), default=5,
                        help=f"published builds to keep, {confine.KEEP[0]}–{confine.KEEP[1]} (default: 5)")
    add_editorial_options(parser)
    editorial_files.add_options(parser, names=("table_settings",))
    parser.add_argument("--wait", type=_within(float, confine.LOCK_WAIT), default=600.0,
                        help="seconds to wait for another build of the same output folder, "
                             f"{confine.LOCK_WAIT[0]:g}–{confine.LOCK_WAIT[1]:g} (default: 600)")
    parser.add_argument("--quiet", action="store_true", help="only warnings and the final lines")


def _within(cast: type[int] | type[float], bounds: tuple[float, float]) -> Callable[[str], float]:
    """An argparse type: a number in the flow's range for it (flows/confine.py)."""

    def parse(text: str) -> float:
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not bounds[0] <= value <= bounds[1]:
            raise argparse.ArgumentTypeError(f"{text} is outside {bounds[0]:g}–{bounds[1]:g}")
        return value

    return parse


def run(args: argparse.Namespace) -> int:
    project = options.project(args)
    _prefect_defaults(project, quiet=args.quiet)
    from flows.publish import run_lock

    output = (args.output_dir or project.output).resolve()
    editorial = options.editorial(args, project)

    def say_waiting() -> None:
        print(f"casebook build: lock: another build of {output} is running; waiting up to {args.wait:g} s "
              "for it", file=sys.stderr, flush=True)

    # The lock first, then Prefect: a run that has to wait (or gives up) starts no server.
    editorial.check()
    with run_lock(output, wait_seconds=args.wait, on_wait=say_waiting):
        state = _run_flow(args, project, output, editorial)
    from flows.build import failure

    error = failure(state)
    if error is not None:
        raise error
    print(f"casebook build: {state.message}")
    print(f"  build:  {state.result()}")
    print(f"  latest: {output / 'latest'} (changes.html, casebook.docx, html/index.html)")
    return 0


def _run_flow(args: argparse.Namespace, project: Project, output: Path, editorial: Editorial) -> State:
    """The flow run, on the configured Prefect server or on a temporary one started here."""
    from flows import tempserver

    # Started before Prefect is imported: the server starts while this process imports the flow.
    home = Path(os.environ["PREFECT_HOME"]).expanduser()
    seeded = not os.environ.get("PREFECT_API_URL") and tempserver.seed_database(home)
    new_database = not seeded and not (home / tempserver.DATABASE).exists()
    server = None if os.environ.get("PREFECT_API_URL") else tempserver.start()
    from prefect.settings import (
        PREFECT_API_AUTH_STRING,
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    from flows import failures
    from flows.build import build_casebook

    if args.quiet:  # the error is this command's last line: not Prefect's console lines too
        failures.quiet_console()
    settings = {}
    configured = get_current_settings().api  # from the environment, a .env here, or a profile
    if configured.url is not None:
        if server is not None:
            server.stop()
        from flows import teamenv

        # One line rather than Prefect's traceback when that server is down or refuses the string.
        teamenv.check_server(configured.url, configured.auth_string is not None)
    elif server is not None:
        if not args.quiet:
            print("casebook build: starting a temporary Prefect server for this run", file=sys.stderr)
        timeout = float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
        server = server.wait_ready(timeout)
        if new_database:  # made by this server, nothing run in it yet: the next new home copies it
            tempserver.keep_template(home)
        # Heartbeats let a server mark a run whose process died as crashed; a temporary server
        # dies with this process, so for it they only cost time (the engine waits up to 1 s for
        # the heartbeat thread at the end of the run).
        settings = {PREFECT_API_URL: server.api_url, PREFECT_API_AUTH_STRING: server.auth_string,
                    PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    # The one trusted caller: the paths an editor typed here are taken as given (flows/confine.py).
    with temporary_settings(updates=settings), confine.trusted_caller():
        return build_casebook(
            project=str(project.root),
            source=str((args.source or project.source).resolve()),
            output_dir=str(output),
            strict=args.strict,
            edition=args.edition,
            keep=args.keep,
            **editorial.parameters(),
            lock_wait=args.wait,
            return_state=True,
        )


def _prefect_defaults(project: Project, *, quiet: bool) -> None:
    """Keep Prefect's database and cache inside the project, offline, unless already set.

    Must run before Prefect is imported: its settings are read at import.
    """
    home = Path(os.environ.setdefault("PREFECT_HOME", str(project.prefect_home))).expanduser()
    home.mkdir(parents=True, exist_ok=True)  # Prefect creates only the last level itself
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The embedded server creates its database on a first run: ~15 s on a small machine, close to
    # Prefect's default limit of 20 s.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    # Task runs outside a flow never happen here; without this, Prefect warns about them anyway.
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
    if quiet:
        os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
