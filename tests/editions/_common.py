"""What both editions share: paper sizes, the case heading, the Kangxi table, the fixed text
around the case tables (preface before chapter 2, a summary chapter after the last case)."""

from __future__ import annotations

from collections.abc import Iterator

from casebook.vocabulary import CATEGORIES
from transform.records import Case

Paper = str | tuple[float, float]

# Named paper sizes in millimetres (width, height), portrait unless the name says otherwise.
# "B5" is JIS B5 (what Japanese offices call B5); "B5-ISO" is the CSS/ISO one.
PAPER_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "A5": (148.0, 210.0),
    "A5-landscape": (210.0, 148.0),
    "B5": (182.0, 257.0),
    "B5-ISO": (176.0, 250.0),
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
}


def paper_mm(paper: Paper) -> tuple[float, float]:
    """(width, height) in mm of a named paper size or an explicit (w_mm, h_mm) tuple."""
    if isinstance(paper, str):
        try:
            return PAPER_MM[paper]
        except KeyError:
            raise ValueError(f"unknown paper {paper!r}; use one of {sorted(PAPER_MM)}") from None
    w, h = paper
    return float(w), float(h)


ORG_HEADER = "株式会社 NTT データ経営研究所"
REPORT_HEADER = "令和7年度 老人保健健康増進等事業 成果報告書"

CHAPTER_HEADING = "2. 各事例のヒアリング調査結果"
CATEGORY_HEADINGS = {CATEGORIES[0]: "(1) 緊密な連携", CATEGORIES[1]: "(2) 緩やかな連携"}
TABLE_HEADER = ("調査項目", "ヒアリング内容")

# How "事例N" is printed. The report itself mixes all three.
NUMBER_STYLES = ("space", "tight", "fullwidth")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def case_number(no: int, style: str) -> str:
    if style == "space":
        return f"事例 {no}"
    if style == "tight":
        return f"事例{no}"
    if style == "fullwidth":
        return "事例" + str(no).translate(_FULLWIDTH)
    raise ValueError(style)


def case_title(case: Case, offset: int = 0) -> str:
    """「事例N 名称【地域】」; the number style cycles with case.no (+ offset per edition)."""
    style = NUMBER_STYLES[(case.no + offset) % len(NUMBER_STYLES)]
    return f"{case_number(case.no, style)} {case.name}【{case.region}】"


def with_category_headings(cases: list[Case]) -> Iterator[tuple[str | None, Case]]:
    """Yield (category heading or None, case): the heading comes before the first case of its
    category. Cases keep the given order."""
    seen: set[str] = set()
    for case in cases:
        heading = None
        if case.category not in seen:
            seen.add(case.category)
            heading = CATEGORY_HEADINGS.get(case.category, f"({len(seen)}) {case.category}")
        yield heading, case


# Ideographs and the Kangxi radical / CJK radical supplement code points that share their glyph.
# Chromium-printed PDFs sometimes carry these in the text layer.
KANGXI: dict[str, str] = {
    "人": "\u2f08",  # ⼈
    "一": "\u2f00",  # ⼀
    "力": "\u2f12",  # ⼒
    "日": "\u2f47",  # ⽇
    "長": "\u2ed1",  # ⻑
    "見": "\u2f92",  # ⾒
    "言": "\u2f94",  # ⾔
    "金": "\u2fa6",  # ⾦
}
_KANGXI_TABLE = str.maketrans(KANGXI)


def kangxify(text: str) -> str:
    """Every occurrence of a KANGXI key replaced by its look-alike."""
    return text.translate(_KANGXI_TABLE)


# Fixed text around the case tables, so an extractor has to find where the cases start and end,
# as in the report (a 3-column question table before chapter 2, a summary chapter with bullets
# right after the last case table).
PREFACE_HEADING = "1. 調査方法"
PREFACE_TEXT = (
    "デスクトップ調査にて収集した介護事業所における協働化等の事例について、より詳細な情報を"
    "収集し、実際の活動内容や課題を明らかにするため、以下の調査項目に沿ってヒアリングを実施した。"
)
PREFACE_TABLE = (
    ("ステップ", "対象", "主な質問"),
    (
        "1. 連携の契機と課題の共有",
        "すべてのステップ",
        "連携を始めたきっかけと、共有した課題を教えてください。",
    ),
    (
        "6. 推進役の役割と支援体制",
        "すべてのステップ",
        "推進役となった人物・事業所等が果たした役割について教えてください。",
    ),
)
EPILOGUE_HEADING = "3. ヒアリング調査結果のまとめ"
EPILOGUE_TEXT = "今回ヒアリングを実施した各事例について、連携形態別の具体的な業務内容は以下のとおりである。"
EPILOGUE_BULLETS = (
    ("地域福祉支援業務：生計困難者支援、身寄りのない高齢者への終身サポート等", 0),
    ("緊密な連携：防災訓練の共同実施、BCP の共同策定", 1),
    ("人材確保等業務：新卒採用活動、外国人材の受入れ等", 0),
)
