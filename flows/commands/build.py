"""`casebook build`: run the `build-casebook` Prefect flow here, with Prefect's embedded server.

No server needs to be running: Prefect starts a temporary one for the run (this costs ~10 s).
Results and the extraction cache live in PREFECT_HOME (default: <project>/.prefect), so a second
build of an unchanged source reuses the extraction. Outputs are published under --output-dir:
builds/<time>-<hash>/ and latest → the newest good build.

Exit codes: 0 the build is published as latest; 1 with --strict, mismatches need review (build
kept, latest unchanged); 2 an error (bad source, error checks, a correction that does not match).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from flows.paths import DEFAULT_OUTPUT, DEFAULT_SOURCE, PROJECT_ROOT

HELP = "run the whole pipeline as the Prefect flow build-casebook and publish the casebook"
EDITORIAL = PROJECT_ROOT / "editorial"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_SOURCE, help="source PDF (default: the shipped report)"
    )
    parser.add_argument(
        "--output-dir", type=Path, default=DEFAULT_OUTPUT, help="publish under this folder (default: output/)"
    )
    parser.add_argument("--strict", action="store_true", help="fail the run when a check needs review")
    parser.add_argument("--edition", default=None, help="edition label printed on the cover")
    parser.add_argument("--keep", type=int, default=5, help="published builds to keep (default 5)")
    parser.add_argument("--corrections", type=Path, default=EDITORIAL / "corrections.yaml")
    parser.add_argument("--codebook", type=Path, default=EDITORIAL / "codebook.yaml")
    parser.add_argument("--reviewed", type=Path, default=EDITORIAL / "reviewed_codings.yaml")


def run(args: argparse.Namespace) -> int:
    _prefect_defaults()
    from flows.build import build_casebook

    state = build_casebook(
        source=str(args.source),
        output_dir=str(args.output_dir),
        strict=args.strict,
        edition=args.edition,
        keep=args.keep,
        corrections=str(args.corrections),
        codebook=str(args.codebook),
        reviewed=str(args.reviewed),
        return_state=True,
    )
    latest = Path(args.output_dir) / "latest"
    if state.is_completed():
        print(f"casebook build: {state.message} → {latest.resolve()}")
        return 0
    print(f"casebook build: failed: {state.message}")
    return 1 if args.strict and "strict:" in (state.message or "") else 2


def _prefect_defaults() -> None:
    """Keep Prefect's database and cache inside the project, quiet and offline, unless set."""
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")
