"""Fuzz sweep: damaged copies of the shipped PDF through extraction, counted by outcome.

For every mutant kind (tests/mutants.py: flipped bytes, truncation, zeroed 4 KB, a content stream
cut out, a page's content emptied) it extracts `--per-kind` seeded mutants and counts:
refused (one clear line), unclear (refused with a multi-line or raw message), identical (same
records as the clean PDF), different (a silent difference) and crashed (any other exception).
The goal is 0 unclear, 0 different, 0 crashed. Each non-goal outcome is listed for replay.

    python bench/fuzz_extract.py [--per-kind 60] [--first-seed 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.pipeline import extract_pdf  # noqa: E402
from flows.project import find as find_project  # noqa: E402
from tests.mutants import KINDS, comparable, mutant, outcome  # noqa: E402

VERDICTS = ("refused", "identical", "different", "unclear", "crashed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=find_project().source)
    parser.add_argument("--per-kind", type=int, default=60)
    parser.add_argument("--first-seed", type=int, default=1000, help="the suite's test uses seeds 0…")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--kinds", default=",".join(KINDS))
    args = parser.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    clean_bytes = args.pdf.read_bytes()
    start = time.perf_counter()
    clean = comparable(extract_pdf(args.pdf, workers=args.workers))
    clean_seconds = time.perf_counter() - start
    counts: dict[str, Counter[str]] = {}
    bad: list[str] = []
    seconds: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            counts[kind] = Counter()
            for seed in range(args.first_seed, args.first_seed + args.per_kind):
                m = mutant(clean_bytes, kind, seed)
                path = Path(tmp) / f"{m.name}.pdf"
                path.write_bytes(m.data)
                t0 = time.perf_counter()
                result = outcome(path, clean, workers=args.workers)
                seconds.append(time.perf_counter() - t0)
                counts[kind][result.verdict] += 1
                if result.verdict not in ("refused", "identical"):
                    bad.append(f"{m.name} ({m.what}): {result.verdict}: {result.detail}")
                print(f"{m.name:18} {result.verdict:9} {result.detail[:150]}", flush=True)
    print(f"\nclean extraction {clean_seconds:.1f} s; mutants {len(seconds)}, "
          f"{sum(seconds):.0f} s in all, {sum(seconds) / max(len(seconds), 1):.2f} s each on average")
    print(f"{'kind':12}" + "".join(f"{v:>10}" for v in VERDICTS))
    total: Counter[str] = Counter()
    for kind, c in counts.items():
        total.update(c)
        print(f"{kind:12}" + "".join(f"{c[v]:>10}" for v in VERDICTS))
    print(f"{'all':12}" + "".join(f"{total[v]:>10}" for v in VERDICTS))
    if bad:
        print("\nnot refused cleanly nor identical:")
        print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
