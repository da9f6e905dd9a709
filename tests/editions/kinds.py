"""Editions of kinds the report's own layout never shows, generated from the shipped text.

A `Kind` names a layout; `kind_cases` makes the cases it prints from the shipped report's cases;
`build_kind` prints them; `recovery` counts what an extraction recovered of them. Nothing here is
tuned to a test file: every kind is a combination of knobs, and the hypothesis tests draw them.

Knobs beyond the editions' own (see tests/editions/__init__.py):
long_row      0, or N: the first case's step ④ takes the ④ sections of further cases until its
              text fills about N pages of its column (estimated from paper, margins, label column
              and type size), so the row runs over N pages or more: pages inside it show no row
              rule, no cell edge, no second column — only its text.
latin         the first case's step ① gets a section of Latin text that wraps: a URL and a word
              wider than the column, ASCII symbols, templates and quotes next to spaces. Chromium
              breaks what cannot fit anywhere (`overflow-wrap: anywhere`, as Japanese sites do).
split_labels  a label cell's lines may split over a page (orphans and widows 1), so a row that
              starts at a page's foot has 「④協働活動の実」 there and 「行」 on the next page.
gap_mm        the padding left and right of a cell: the white space between label and content
              (Chromium's default 1.8 mm; a smaller one narrows a borderless table's column gap).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from transform.records import Case, Item, Report, Section
from transform.text import compact

from ._common import Paper, paper_mm
from .chromium import MARGINS_MM as CHROMIUM_MARGINS_MM
from .chromium import chromium_edition
from .libreoffice import MARGINS_MM as LIBREOFFICE_MARGINS_MM
from .libreoffice import libreoffice_edition

FONTS = ("IPAexGothic", "IPAexMincho", "Noto Sans CJK JP", "Noto Serif CJK JP")
BODY_PT = 9.5  # Chromium editions' type size (tests/editions/chromium.py)
LINE_HEIGHT = 1.6
LONG_STEP = 4  # the step whose row is made long (its label 「④協働活動の実行」 wraps in a narrow column)

URL = "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/hukushi_kaigo/kaigo_koureisha/index.html?lang=ja&page=12#section-3"
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2
SYMBOLS = " ".join(['100% {a: 1} "quoted" (x + y) = z; a/b c-d e_f #tag @user ~tilde |pipe| [list]'] * 3)
TEMPLATE = " ".join(["{% raw %}", "{{ value }}", "{% endraw %}"] * 5)
LATIN_HEADING = "参考URL・英語表記"
LATIN_ITEMS = (
    f"詳細は{URL}を参照する。",
    f"英語表記は{LONG_WORD}である。",
    f"記号{SYMBOLS}の表記。",
    f"テンプレート{TEMPLATE}の表記。",
)


@dataclass(frozen=True)
class Kind:
    """One generated edition's layout."""

    producer: str = "chromium"  # "chromium" | "libreoffice"
    paper: Paper = "B5"
    font: str = "IPAexGothic"
    label_col: str = "22%"  # Chromium: CSS width; LibreOffice: the share of the text width
    table_style: str = "grid"  # Chromium only: grid | open | shaded | none
    repeat_header: bool = False
    long_row: int = 0
    latin: bool = False
    split_labels: bool = False
    gap_mm: float = 1.8

    @property
    def name(self) -> str:
        paper = self.paper if isinstance(self.paper, str) else "x".join(f"{v:g}" for v in self.paper)
        parts = [self.producer, paper, re.sub(r"\W+", "", self.font).lower(), f"label{self.label_col}",
                 self.table_style, "repeat" if self.repeat_header else "once"]
        parts += [f"row{self.long_row}p"] * bool(self.long_row) + ["latin"] * self.latin
        parts += ["splitlabels"] * self.split_labels + [f"gap{self.gap_mm:g}"] * (self.gap_mm != 1.8)
        return "-".join(parts).replace("%", "pc")


def kind_cases(cases: list[Case], kind: Kind, count: int = 3) -> list[Case]:
    """The cases a kind prints: the first `count` shipped cases, the first one changed by the
    kind's `long_row` and `latin` (copies; the given cases are left alone)."""
    out = copy.deepcopy(cases[:count])
    first = out[0]
    if kind.long_row:
        step = first.steps[LONG_STEP - 1]
        budget = kind.long_row * _page_capacity(kind) * 1.15
        donors = [s for c in cases[count:] for s in c.steps if s.step == LONG_STEP]
        donors += [s for c in cases[count:] for s in c.steps if s.step != LONG_STEP]
        for donor in donors:
            if _chars(step.sections) >= budget:
                break
            step.sections += copy.deepcopy(donor.sections)
    if kind.latin:
        first.steps[0].sections.append(Section(LATIN_HEADING, [Item(t, [0], []) for t in LATIN_ITEMS], [0]))
    return out


def _chars(sections: list[Section]) -> int:
    def item_chars(item: Item) -> int:
        return len(item.text) + 4 + sum(item_chars(c) for c in item.children)

    return sum(len(s.heading or "") + 6 + sum(item_chars(i) for i in s.items) for s in sections)


def _page_capacity(kind: Kind) -> float:
    """About how many characters of a cell's text fill one page of the content column."""
    width, height = paper_mm(kind.paper)
    top, right, bottom, left = CHROMIUM_MARGINS_MM if kind.producer == "chromium" else LIBREOFFICE_MARGINS_MM
    body_w, body_h = width - right - left, height - top - bottom
    share = float(kind.label_col.rstrip("%")) / 100 if kind.label_col.endswith("%") else 0.22
    content_pt = (body_w * (1 - share) - 2 * kind.gap_mm) * 72 / 25.4 - 1.2 * BODY_PT
    per_line = content_pt / BODY_PT
    lines = body_h * 72 / 25.4 / (BODY_PT * LINE_HEIGHT)
    return per_line * lines * 0.8  # short last lines, headings and spacing


def css(kind: Kind) -> str:
    """The extra style sheet a Chromium kind needs."""
    out = "td { overflow-wrap: anywhere; }"
    if kind.split_labels:
        out += " td, td div { orphans: 1; widows: 1; }"
    if kind.gap_mm != 1.8:
        out += f" th, td {{ padding-left: {kind.gap_mm}mm; padding-right: {kind.gap_mm}mm; }}"
    return out


def build_kind(kind: Kind, cases: list[Case], out_pdf: Path) -> Path:
    """Print the cases as the kind says; returns out_pdf."""
    if kind.producer == "libreoffice":
        width_mm = paper_mm(kind.paper)[0] - LIBREOFFICE_MARGINS_MM[1] - LIBREOFFICE_MARGINS_MM[3]
        share = float(kind.label_col.rstrip("%")) / 100 if kind.label_col.endswith("%") else 0.22
        return libreoffice_edition(cases, out_pdf, paper=kind.paper, font=kind.font,
                                   label_col_cm=round(width_mm * share / 10, 2), repeat_header=kind.repeat_header)
    return chromium_edition(
        cases, out_pdf, paper=kind.paper, font=kind.font, label_col=kind.label_col,
        table_style=kind.table_style, repeat_header=kind.repeat_header, extra_css=css(kind),
    )


# --- what an extraction recovered ---------------------------------------------------------------

PARTS = ("cases", "fields", "labels", "headings", "items", "notes")


def _parts(case: Case) -> dict[str, Counter]:
    items: Counter = Counter()
    for step, _section, item, level in case.iter_items():
        items[(step.step, level, compact(item.text))] += 1
    return {
        "cases": Counter([case.no]),
        "fields": Counter([("name", compact(case.name)), ("region", compact(case.region)),
                           ("category", case.category), ("prefectures", tuple(case.prefectures))]),
        "labels": Counter((s.step, compact(s.label)) for s in case.steps),
        "headings": Counter((s.step, compact(sec.heading)) for s in case.steps for sec in s.sections
                            if sec.heading),
        "items": items,
        "notes": Counter((s.step, compact(n)) for s in case.steps for n in s.notes),
    }


def recovery(expected: list[Case], got: Report) -> dict[str, tuple[int, int]]:
    """Per part: (recovered, expected) — a part counts as recovered where the extraction has it
    in the same case and step, with the same text (whitespace aside) and nesting level."""
    found = {c.no: _parts(c) for c in got.cases}
    out = {part: [0, 0] for part in PARTS}
    for case in expected:
        want = _parts(case)
        have = found.get(case.no, {})
        for part in PARTS:
            out[part][0] += sum((want[part] & have.get(part, Counter())).values())
            out[part][1] += sum(want[part].values())
    return {part: (a, b) for part, (a, b) in out.items()}


def complete(counts: dict[str, tuple[int, int]]) -> bool:
    return all(a == b for a, b in counts.values())


__all__ = ["FONTS", "LATIN_HEADING", "LATIN_ITEMS", "Kind", "build_kind", "complete", "kind_cases", "recovery"]
