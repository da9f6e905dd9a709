"""Benchmark rendering: wall seconds of `render_docx` and `render_site` for the shipped report.

Extraction and validation run once beforehand and are not timed (the renderers read records).
Prints best-of-N seconds for each format and for both together; target: both ≤ 2 s.

    python bench/render.py [PDF] [--runs N] [--no-validate]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 2.0


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
    from flows.paths import DEFAULT_SOURCE
    from render.docx import render_docx
    from render.html import render_site
    from transform.pipeline import read_report
    from transform.records import BuildInfo

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-validate", action="store_true")
    args = parser.parse_args()

    report = read_report(args.pdf)
    validation = None
    if not args.no_validate:
        from transform.validation.run import validate_report

        editorial = ROOT / "editorial"
        validation = validate_report(report, editorial / "codebook.yaml", editorial / "reviewed_codings.yaml")
    build = BuildInfo(None, datetime.now(UTC).isoformat(timespec="seconds"), args.pdf.name, report.sha256)
    docx = _timed(lambda: render_docx(report, validation, [], build), args.runs)
    site = _timed(lambda: render_site(report, validation, [], build), args.runs)
    items = sum(1 for c in report.cases for _ in c.iter_items())
    print(f"{len(report.cases)} cases, {items} items; validation {'off' if validation is None else 'on'}")
    print(f"{'':12} {'first':>8} {'best of ' + str(args.runs):>11}")
    print(f"render_docx  {docx[0]:7.3f}s {docx[1]:10.3f}s   {docx[2] / 1024:6.0f} KiB")
    print(f"render_site  {site[0]:7.3f}s {site[1]:10.3f}s   {site[2] / 1024:6.0f} KiB")
    cold = docx[0] + site[0]
    verdict = "ok" if cold <= TARGET_SECONDS else "OVER"
    print(f"both         {cold:7.3f}s {docx[1] + site[1]:10.3f}s   "
          f"target ≤ {TARGET_SECONDS:g} s (first): {verdict}")
    return 0 if cold <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
