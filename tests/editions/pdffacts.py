"""Facts about a produced edition PDF, for checking the editions themselves (and as preconditions
in round-trip tests: e.g. "at least one row really splits over a page break").

Borders are taken from both drawing kinds: Chromium paints border-collapse borders as thin
filled rectangles, LibreOffice strokes them as lines.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

CIRCLED = "①②③④⑤⑥"
_THIN = 1.6  # pt: anything thinner than this is a rule, not a shaded cell


@dataclass
class PageFacts:
    number: int  # 1-based physical page
    width: float
    height: float
    header: str  # text of the top-most line
    header_top: float
    footer: str  # text of the bottom-most line
    footer_top: float
    h_rules: list[tuple[float, float, float]]  # (y, x0, x1) horizontal rules
    v_rules: list[tuple[float, float, float]]  # (x, top, bottom) vertical rules
    continues_row: bool  # the page starts inside a table row begun on the previous page
    repeats_header_row: bool  # a 調査項目 | ヒアリング内容 row opens the page's first table
    text: str


def _rules(page) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]]]:
    h, v = [], []
    for r in page.rects:
        if r["height"] < _THIN and r["width"] > 3:
            h.append((r["top"] + r["height"] / 2, r["x0"], r["x1"]))
        elif r["width"] < _THIN and r["height"] > 3:
            v.append((r["x0"] + r["width"] / 2, r["top"], r["bottom"]))
    for ln in page.lines:
        if abs(ln["top"] - ln["bottom"]) < _THIN:
            h.append(((ln["top"] + ln["bottom"]) / 2, ln["x0"], ln["x1"]))
        elif abs(ln["x0"] - ln["x1"]) < _THIN:
            v.append(((ln["x0"] + ln["x1"]) / 2, ln["top"], ln["bottom"]))
    return sorted(h), sorted(v)


def _lines(chars) -> list[tuple[float, str]]:
    """Text lines as (top, text): chars grouped by vertical centre (fonts of one line can differ
    in their boxes), each line read left to right."""
    lines: list[list] = []
    for c in sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2):
        mid = (c["top"] + c["bottom"]) / 2
        if lines:
            last = lines[-1]
            last_mid = sum((x["top"] + x["bottom"]) / 2 for x in last) / len(last)
            if abs(mid - last_mid) < 0.4 * max(c["size"], 1.0):
                last.append(c)
                continue
        lines.append([c])
    return [
        (round(min(c["top"] for c in cs), 1), "".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"])))
        for cs in lines
    ]


def _first_band(page, h, v) -> tuple[bool, bool]:
    """(continues_row, repeats_header_row) judged from the page's top-most table band."""
    if not v:
        return False, False
    table_top = min(t for _, t, _ in v)
    # Lines of body text above the table (other than the running header) mean the page does not
    # start inside a table.
    body_above = [t for t, _ in _lines(page.chars)[1:] if t < table_top - 2]
    if body_above:
        return False, False
    xs = sorted({round(x, 1) for x, t, _ in v if t <= table_top + 2})
    if len(xs) < 2:
        return False, False
    split_x = xs[1] if len(xs) > 2 else (xs[0] + xs[-1]) / 2
    header_row = False
    band_top = table_top
    for _ in range(2):
        below = [y for y, _, _ in h if y > band_top + 3]
        band_bottom = min(below) if below else page.height
        band = [c for c in page.chars if band_top <= (c["top"] + c["bottom"]) / 2 < band_bottom]
        text = unicodedata.normalize("NFKC", "".join(c["text"] for c in band))
        if "調査項目" in text and not header_row:
            header_row = True
            band_top = band_bottom
            continue
        left = "".join(
            c["text"] for c in sorted(band, key=lambda c: (round(c["top"]), c["x0"])) if c["x1"] <= split_x
        ).strip()
        return (not left or left[0] not in CIRCLED) and bool(band), header_row
    return False, header_row


def inspect_edition(pdf_path: Path) -> list[PageFacts]:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    facts = []
    with pdfplumber.open(pdf_path) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            lines = _lines(page.chars)
            h, v = _rules(page)
            continues, header_row = _first_band(page, h, v)
            facts.append(
                PageFacts(
                    number=i,
                    width=float(page.width),
                    height=float(page.height),
                    header=lines[0][1] if lines else "",
                    header_top=lines[0][0] if lines else 0.0,
                    footer=lines[-1][1] if lines else "",
                    footer_top=lines[-1][0] if lines else 0.0,
                    h_rules=h,
                    v_rules=v,
                    continues_row=continues,
                    repeats_header_row=header_row,
                    text="\n".join(t for _, t in lines),
                )
            )
    return facts


def radical_code_points(pdf_path: Path) -> Counter[str]:
    """Count of Kangxi radical (U+2F00–2FDF) / CJK radical supplement (U+2E80–2EFF) chars."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    counts: Counter[str] = Counter()
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            counts.update(c["text"] for c in page.chars if 0x2E80 <= ord(c["text"][0]) <= 0x2FDF)
    return counts


def font_names(pdf_path: Path) -> Counter[str]:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    counts: Counter[str] = Counter()
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            counts.update(c["fontname"] for c in page.chars)
    return counts
