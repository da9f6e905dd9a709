"""Running headers, footers and page numbers: text that repeats in the page margins.

Found by repetition and position, not by this edition's strings: a margin line whose text (digits
masked) recurs at the same height on many pages, or a margin line that is only a page number.
"""

from __future__ import annotations

import re
from collections import defaultdict

from extract.layout import PageLayout, TextRun

_MARGIN = 0.12  # share of the page height at top and bottom treated as margin bands
PAGE_NUMBER = re.compile(r"^[\s\-–—‐－(（\[]*(?:p\.?\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[\s\-–—‐－)）\]]*$")
_MIN_SHARE = 0.3


def running_runs(pages: list[tuple[PageLayout, list[TextRun]]]) -> set[int]:
    """Return ids of the runs (outside tables) that are running headers/footers/page numbers."""
    in_band: list[TextRun] = []
    for lay, runs in pages:
        for run in runs:
            if run.bottom < lay.height * _MARGIN or run.top > lay.height * (1 - _MARGIN):
                in_band.append(run)
    pages_with: dict[tuple[str, int], set[int]] = defaultdict(set)
    for run in in_band:
        pages_with[_key(run)].add(run.page)
    needed = max(2, int(len(pages) * _MIN_SHARE))
    found = set()
    for run in in_band:
        if PAGE_NUMBER.match(run.text) or len(pages_with[_key(run)]) >= needed:
            found.add(id(run))
    return found


def masked(text: str) -> str:
    """A running text with its digits masked (「第3章 … 12」 → 「第#章 … #」), spaces dropped."""
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _key(run: TextRun) -> tuple[str, int]:
    return masked(run.text), round(run.top / 6)


def page_labels(layouts: list[PageLayout]) -> dict[int, str]:
    """The page number printed on each page (PDF page → 「9」), for pages that print one.

    A page number is a margin line that is only a number (with dashes or brackets around it); the
    bottom band is preferred to the top, and a page printing none (cover, blank page) is left out.
    """
    labels: dict[int, str] = {}
    for lay in layouts:
        found = [
            run for run in lay.runs
            if (run.bottom < lay.height * _MARGIN or run.top > lay.height * (1 - _MARGIN))
            and PAGE_NUMBER.match(run.text)
        ]
        if found:
            run = max(found, key=lambda r: r.top)  # the footer's, where both bands carry one
            labels[lay.number] = re.search(r"\d+", run.text.replace(" ", ""))[0]
    return labels
