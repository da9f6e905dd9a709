"""Benchmark of citation support and the misattribution check on the shipped PDF.

Prints:
- top-1 accuracy of the named case over every 【参考となる事例】 citation, for the character-bigram
  baseline, content words (SudachiPy) and the two combined (what validation uses);
- swap trials: each citation in turn credited to its runner-up case (the wrong case most similar
  in content): how many the check calls `misattributed` with `supported_by` = the true case;
- false flags: fair citations called misattributed in the unmodified report;
- time to build the index and score every citation.

    python bench/citations.py [PDF]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from flows.pipeline import extract_pdf
    from flows.project import find as find_project
    from tests.editions.attribution import plan_swaps, with_swaps
    from transform.validation.citations import CaseTexts, citation_checks, resolve_name
    from transform.validation.support import FEATURES, SupportIndex

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", type=Path, default=find_project().source)
    args = parser.parse_args()
    report = extract_pdf(args.pdf)
    named = [(c, resolve_name(c.organisation, report.cases).case) for c in report.citations]
    named = [(c, case.no) for c, case in named if case is not None]
    print(f"{args.pdf.name}: {len(report.cases)} cases, {len(report.citations)} citations "
          f"({len(named)} name a case)")

    variants = {"chars (baseline)": {"chars": FEATURES["chars"]},
                "content words": {"words": FEATURES["words"]}, "combined": FEATURES}
    for label, features in variants.items():
        start = time.perf_counter()
        index = SupportIndex(report.cases, features)
        hits = sum(index.support(c.quote).best == no for c, no in named)
        print(f"  top-1 named case, {label:17s}: {hits}/{len(named)} ({100 * hits / len(named):.1f}%) "
              f"in {time.perf_counter() - start:.2f} s")

    texts = CaseTexts(report.cases)
    ratios = []
    for citation, no in named:
        support = texts.support(citation.quote)
        runner_up = next(n for n, _s in support.ranking() if n != no)
        ratios.append(support.ratio(no, runner_up))
    ratios.sort()
    print(f"  named / runner-up support: min ×{ratios[0]:.2f}, 5th ×{ratios[4]:.2f}, "
          f"median ×{ratios[len(ratios) // 2]:.2f}")

    start = time.perf_counter()
    fair = citation_checks(report.citations, report.cases)
    false_flags = [c.id for c in fair if c.cause == "misattributed" or "misattributed" in c.flags]
    print(f"  false flags on the unmodified report: {len(false_flags)} {false_flags} "
          f"({time.perf_counter() - start:.2f} s for all checks)")

    caught = missed = 0
    missed_ids = []
    for swap in plan_swaps(report, list(range(len(report.citations)))):
        swapped = with_swaps(report, [swap])
        check = citation_checks([swapped.citations[swap.index]], report.cases)[0]
        if "misattributed" in check.flags and check.derived["supported_by"] == swap.true:
            caught += 1
        else:
            missed += 1
            missed_ids.append(f"{check.id} (事例{swap.true}→{swap.wrong})")
    print(f"  swap trials (credit → runner-up case): caught {caught}/{caught + missed}; missed {missed_ids}")


if __name__ == "__main__":
    main()
