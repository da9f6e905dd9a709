"""`casebook team`: write the team server's auth string into the project's `.env` (mode 600, never
committed), where Prefect's commands, the server and the worker read it when started in the
project folder (README, "A team setup").

  casebook team server --public-url http://casebook-server:4200   # on the server machine, once
  casebook team client --url http://casebook-server:4200          # on each editor's or QA's machine

`server` makes a random auth string (kept on later runs; `--rotate` makes a new one) and the
settings the server, its worker and its UI need. `client` asks for that string (hidden input;
or piped on stdin) and writes it with the server's address. Neither prints the string.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from flows.commands import options

HELP = "set up the team server's auth string in the project's .env (server, or client machines)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_project_option(parser)
    sub = parser.add_subparsers(dest="role", required=True)
    server = sub.add_parser("server",
                            help="on the server machine: a random auth string and the server's settings")
    server.add_argument("--public-url", required=True, metavar="URL",
                        help="where browsers and editors reach the server (e.g. http://casebook-server:4200, "
                             "or https://casebook.example.org behind a TLS proxy)")
    server.add_argument("--port", type=int, default=4200,
                        help="the port the server listens on here (default: 4200)")
    server.add_argument("--rotate", action="store_true",
                        help="make a new auth string (every client must then get the new one)")
    client = sub.add_parser("client",
                            help="on an editor's or QA's machine: the server's address and auth string")
    client.add_argument("--url", required=True,
                        help="the server's address, as given to `team server --public-url`")


def run(args: argparse.Namespace) -> int:
    from flows import teamenv

    project = options.project(args)
    path = project.root / teamenv.ENV_FILE
    if args.role == "server":
        settings = teamenv.server_settings(teamenv.read(path), public_url=args.public_url, port=args.port,
                                           rotate=args.rotate)
    else:
        prompt = "auth string (PREFECT_API_AUTH_STRING in the server's .env): "
        secret = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline()
        settings = teamenv.client_settings(url=args.url, auth_string=secret)
    written = teamenv.write(path, settings)
    secret_note = "a new auth string" if written.new_secret else "the auth string unchanged"
    print(f"casebook team: wrote {', '.join(written.keys)} to {path} (mode 600; {secret_note})")
    if written.tightened:
        print(f"  {path} was readable by other users; it is not any more")
    if args.role == "server":
        print(f"  start the server, the worker and `prefect` commands in {project.root} (README, 'A team "
              "setup'); give editors the PREFECT_API_AUTH_STRING value over a private channel — they run "
              f"`casebook team client --url {args.public_url}`")
    return 0
