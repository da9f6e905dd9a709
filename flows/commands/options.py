"""Options shared by several `casebook` subcommands, defined once: the project, the source and
output, the editors' files (flows/editorial.py), and the `Plan` and `Stages` they make."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from flows import editorial as editorial_files
from flows import project as projects

if TYPE_CHECKING:
    from flows.editorial import Editorial
    from flows.pipeline import Stages
    from flows.project import Project


def add_project_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, default=None, metavar="DIR",
                        help="the casebook project (default: the folder holding casebook.toml, from here "
                             "upwards)")


def add_input_options(parser: argparse.ArgumentParser, *, out: str, records: bool = True) -> None:
    """The project, the source (positional, optional), the output folder, table settings,
    workers and quiet. `out`: the output folder under the project's output folder.

    `records`: the source may also be the report.json of an earlier `casebook extract`.
    """
    add_project_option(parser)
    what = "source PDF, or the report.json of `casebook extract`" if records else "source PDF"
    parser.add_argument("pdf", nargs="?", type=Path, default=None,
                        help=f"{what} (default: the project's report, casebook.toml)")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"output folder (default: {out}/ in the project's output folder)")
    parser.set_defaults(out_name=out)
    editorial_files.add_options(parser, names=("table_settings",))
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def add_editorial_options(parser: argparse.ArgumentParser) -> None:
    """The editors' files but the table settings (add_input_options has those)."""
    editorial_files.add_options(parser, names=tuple(f.name for f in editorial_files.FILES
                                                    if f.name != "table_settings"))


def project(args: argparse.Namespace) -> Project:
    return projects.find(getattr(args, "project", None))


def editorial(args: argparse.Namespace, where: Project) -> Editorial:
    """The editorial files the options name (relative to the current folder), else the project's."""
    return editorial_files.from_options(args, where.editorial)


def source(args: argparse.Namespace, where: Project) -> Path:
    return args.pdf if args.pdf is not None else where.source


def out(args: argparse.Namespace, where: Project) -> Path:
    return args.out if args.out is not None else where.output / args.out_name


def stages(args: argparse.Namespace) -> Stages:
    """The stages run in this process, with a progress bar over the PDF's pages unless --quiet."""
    from flows.progress import ProgressStages

    return ProgressStages(workers=args.workers, quiet=args.quiet)
