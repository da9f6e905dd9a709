"""`casebook init DIR`: create a casebook project — the shipped report, the editorial defaults and
a casebook.toml naming them — in a new or empty folder. Commands run inside it (or with
`--project DIR`) find it from there."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "create a casebook project (casebook.toml, sources/, editorial/, output/) in a new folder"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="the project's folder (new, or empty)")


def run(args: argparse.Namespace) -> int:
    from flows import project

    created = project.init(args.folder)
    print(f"casebook init: created a project in {created.root}: casebook.toml, {created.source.name} in "
          f"sources/, the editorial files in editorial/; build it with `cd {args.folder} && casebook build`")
    return 0
