"""`casebook` command line: argument parsing, one line per error, exit codes. No logic of its own.

Exit codes come from the error's type (casebook/errors.py): 0 success; 1 --strict and open
findings to review (validate, build); 2 errors — bad input or untrustworthy records (the message
says what, where and what to do).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

COMMANDS = ("init", "extract", "validate", "render", "build", "review", "absorb", "sheets", "team",
            "worker")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casebook",
        description="Turn the 協働化 research report (PDF) into a validated casebook (事例集).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"flows.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"flows.commands.{name}":
                continue
            raise
        cmd = sub.add_parser(name, help=module.HELP, description=module.__doc__)
        module.add_arguments(cmd)
        cmd.set_defaults(module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `casebook` console script: the one place errors become a line and an
    exit code (casebook/errors.py)."""
    from casebook.errors import CasebookError

    # pdfminer warns about every font quirk of browser-printed PDFs; those are not the user's concern.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    args = _parser().parse_args(argv)
    try:
        return int(args.module.run(args))
    except CasebookError as exc:
        print(f"casebook {args.command}: {exc.kind}: {exc.message}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
