"""Benchmark rendering: wall seconds of `render_print` (casebook.docx and casebook.pdf, laid out
by headless LibreOffice) and `render_site` for the shipped report.

Extraction and validation run once beforehand and are not timed (the renderers read records).
Prints best-of-N seconds for each format; the Word/PDF pair runs at most twice (LibreOffice
takes seconds). Target: the site ≤ 2 s; Word + PDF ≤ 20 s.

    python bench/render.py [PDF] [--runs N] [--no-validate]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0
PRINT_TARGET_SECONDS = 20.0


def _timed(fn, runs: int) -> tuple[float, float, int]:
    """Wall seconds of the first call (cold: templates compiled, styles parsed) and the best of
    `runs` calls, and the size of what a call produced (bytes)."""
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
        size = len(out) if isinstance(out, bytes) else sum(len(v) for v in out.values())
    return times[0], min(times), size


def main() -> int:
    from flows import pipeline, project
    from flows.pipeline import Plan
    from render.docx import render_print
    from render.html import render_site

    here = project.find()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=here.source)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args()

    # The inputs a build renders: the shipped errata applied, validated with the shipped files.
    outcome = Plan(args.pdf, here.editorial, stop_after="validate", validated=not args.no_validate).run()
    report, validation = outcome.report, outcome.validation
    build = pipeline.build_info(None, args.pdf, report.sha256)
    pages: list[int] = []

    def printed() -> dict[str, bytes]:
        out = render_print(report, validation, [], build)
        pages.append(out.pages)
        return {"docx": out.docx, "pdf": out.pdf}

    word = _timed(printed, min(args.runs, 2))
    site = _timed(lambda: render_site(report, validation, [], build), args.runs)
    items = sum(1 for c in report.cases for _ in c.iter_items())
    print(f"{len(report.cases)} cases, {items} items; validation {'off' if validation is None else 'on'}")
    print(f"{'':12} {'first':>8} {'best':>11}")
    print(f"docx + pdf   {word[0]:7.3f}s {word[1]:10.3f}s   {word[2] / 1024:6.0f} KiB   {pages[-1]} pages")
    print(f"render_site  {site[0]:7.3f}s {site[1]:10.3f}s   {site[2] / 1024:6.0f} KiB")
    ok = site[0] <= TARGET_SECONDS and word[0] <= PRINT_TARGET_SECONDS
    print(f"targets: site ≤ {TARGET_SECONDS:g} s, docx + pdf ≤ {PRINT_TARGET_SECONDS:g} s (first): "
          f"{'ok' if ok else 'OVER'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
