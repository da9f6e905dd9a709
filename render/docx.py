"""The casebook as a Word document (.docx), laid out from `render.model`.

Structure: a cover and table of contents, then one chapter (Heading 1) per part — how to read,
overview, each case, the cross-case views, the appendix. Every chapter starts a new section, so
it begins on a new page and its running header names it. Items use the List Bullet styles with
the source's bullets (・, ▶ nested); bookmarks let the overview and the contents link to each case.

House style of a Japanese government publication: Mincho body (游明朝), Gothic headings
(游ゴシック) — names Word on Windows has, declared in the font table with their Japanese charset
and family so that Word substitutes a Mincho / Gothic face where they are missing; LibreOffice
maps them to the installed faces (render/fonts.conf).

Pages: `render_print` lays the document out with LibreOffice (render.office) and writes the page
numbers it found into the table of contents and the overview's page column, so the .docx opens
with them filled (no update prompt); the PDF is LibreOffice's print of the same document.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from casebook.vocabulary import (
    BUSINESSES,
    FROM_CASES,
    GLOSSARY,
    GROUP_TERM,
    GROUPS_TITLE,
    HEAD_WORDS,
    LEGEND,
    MEMBERS,
    STATED,
    STEP_TERM,
    reader_words,
    step_label,
)
from render import columns, fonts, properties, wordids, wordml
from render.model import (
    CODED_NOTE,
    MISSING,
    SEPARATOR,
    Casebook,
    CaseView,
    CitationView,
    Figure,
    casebook_view,
    display_date,
    step_heading,
)
from render.tilemap import COLUMNS, grid
from transform.records import AppliedCorrection, BuildInfo, Report, walk
from transform.validation.model import ValidationReport

MINCHO = "IPAmjMincho"  # body text: one Mincho face for every character (实 included)
GOTHIC = "IPAexGothic"  # headings, table heads, running heads
BULLETS = ("・", "▶", "・")  # as the source prints items at each depth
BODY_PT = 10
TABLE_PT = 8.5
ACCENT = RGBColor(0x1F, 0x38, 0x64)
MUTED = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"
LIST_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
# Headings that must never end a page: the layout breaks before them where Writer left them at a
# page foot (render/uno_print.py names the same styles).
HEADING_STYLES = ("Heading 2", "Heading 3", "Heading 4", "Reference Heading")
DRAFT_COLOUR = RGBColor(0xB4, 0x1C, 0x1C)
APPENDIX_A = "付録A 報告書との照合"
APPENDIX_B = "付録B 正誤表（編集上の訂正）"
TIGHT_LEADING = 1.0  # a chapter pulled back from a nearly empty last page (render/uno_print.py)
REFERENCE_BEFORE = 8  # pt before a reference's heading
HANG_CM = 2.8  # the prefecture list's hanging indent: wider than 「神奈川県（1）」
# Column heads of the overview, one word a line (業務 dropped): a narrow column never breaks inside one.
HEAD_LINES = {b: "\n".join(w for w in HEAD_WORDS[b] if w != "業務") for b in BUSINESSES}
MEMBERS_HEAD = "\n".join(HEAD_WORDS[MEMBERS])
FROM_CASES_LINES = FROM_CASES.replace("から", "から\n")  # a column of small numbers: a narrow head
TEXT_WIDTH_CM = 17.0  # A4 portrait less the margins
LANDSCAPE_WIDTH_CM = 25.7
# Cell padding of every table (twips): text never touches a rule.
CELL_PADDING = {"top": 45, "bottom": 45, "left": 100, "right": 100}
PADDING_CM = (CELL_PADDING["left"] + CELL_PADDING["right"]) / 567

# (style, size pt, bold, colour, space before pt, space after pt) — all set in Gothic
_STYLES = (
    ("Title", 24, True, ACCENT, 0, 12),
    ("Subtitle", 13, False, MUTED, 0, 24),
    ("Heading 1", 16, True, ACCENT, 0, 10),
    ("Heading 2", 13, True, ACCENT, 14, 4),
    ("Heading 3", 11.5, True, RGBColor(0x2F, 0x54, 0x96), 10, 3),
    ("Heading 4", 10.5, True, RGBColor(0x26, 0x26, 0x26), 6, 2),
    ("TOC Heading", 16, True, ACCENT, 0, 10),
)


@dataclass(frozen=True)
class PrintedCasebook:
    """The casebook as Word and PDF, from one layout."""

    docx: bytes
    pdf: bytes
    pages: int
    toc: list[tuple[str, int | None]]  # the table of contents as printed in the PDF


def render_print(
    report: Report,
    validation: ValidationReport | None,
    corrections: list[AppliedCorrection],
    build: BuildInfo,
) -> PrintedCasebook:
    """The casebook laid out by LibreOffice: .docx with its page numbers filled and the fonts the
    layout was made with embedded (so it lays out the same wherever it opens), and the PDF."""
    from concurrent.futures import ThreadPoolExecutor

    from render.office import print_docx

    writer = _Writer(casebook_view(report, validation, corrections, build))
    writer.write()
    draft = _save(writer)
    # The fonts are subset while LibreOffice lays the document out (they do not change the layout:
    # LibreOffice uses the installed faces of the same name).
    with ThreadPoolExecutor(max_workers=1) as pool:
        subsets = pool.submit(fonts.subsets, {MINCHO: writer.text(), GOTHIC: writer.text()})
        printed = print_docx(draft, chapters=list(writer.chapters))
        embedded = subsets.result()
    writer.fill_pages(printed.bookmarks, printed.breaks, printed.tightened)
    fonts.embed(writer.doc, embedded)
    return PrintedCasebook(_save(writer), printed.pdf, printed.pages, printed.toc)


def render_docx(
    report: Report,
    validation: ValidationReport | None,
    corrections: list[AppliedCorrection],
    build: BuildInfo,
    *,
    paginate: bool = True,
) -> bytes:
    """The casebook as .docx bytes, with its table of contents filled (laid out by LibreOffice).
    `paginate=False`: the same document without page numbers or embedded fonts, no LibreOffice
    (a quick draft)."""
    if paginate:
        return render_print(report, validation, corrections, build).docx
    writer = _Writer(casebook_view(report, validation, corrections, build))
    writer.write()
    return _save(writer)


def _save(writer: _Writer) -> bytes:
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


class _Writer:
    """Holds the document being written and the running bookmark id."""

    def __init__(self, book: Casebook) -> None:
        self.book = book
        self.doc: Document = docx.Document()
        self._bookmark_id = 0
        self._page_runs: list[tuple[str, Run]] = []  # (bookmark, run showing its page number)
        # The paragraphs of each chapter (with their style), by bookmark.
        self._chapters: dict[str, list[tuple[Paragraph, str | None]]] = {}
        self._current: list[tuple[Paragraph, str | None]] = []
        _setup_styles(self.doc)
        _setup_page(self.doc)
        properties.set_properties(self.doc, book.title, book.organisation, book.build.built_at,
                                  subject=book.source.title or book.source.name)
        # python-docx resolves a style name by scanning every style on each assignment (slow
        # for thousands of paragraphs); resolve each name once and set the id directly.
        self._style_ids = {s.name: s.style_id for s in self.doc.styles}

    def write(self) -> None:
        wordids.stamp(self.doc, wordids.CASEBOOK, self.book.source.sha256)
        self.cover()
        self.contents()
        self.chapter("この事例集の読み方", "guide", self.guide)
        self.chapter("事例一覧", "overview", self.overview, landscape=True)
        for case in self.book.cases:
            self.chapter(case.heading, case.anchor, lambda c=case: self.case(c), mark=wordids.name(case.no))
        self.chapter("都道府県別の事例", "by_prefecture", self.by_prefecture)
        self.chapter("業務別の事例", "by_business", self.by_business)
        self.chapter(APPENDIX_A, "validation", self.appendix)
        self.chapter(APPENDIX_B, "corrections", self.corrections)

    def fill_pages(self, pages: dict[str, int], breaks: Iterable[tuple[str, int]] = (),
                   tightened: dict[str, int] | None = None) -> None:
        """Write the laid-out page numbers into the contents and the page references, and what
        the layout changed so that the Word file lays out as the PDF: page breaks before headings
        that would have ended a page, a tighter leading for chapters that would have ended on a
        nearly empty page."""
        for anchor, run in self._page_runs:
            run.text = str(pages.get(anchor, ""))
        for chapter, index in breaks:
            headings = [p for p, style in self._chapters.get(chapter, []) if style in HEADING_STYLES]
            headings[index].paragraph_format.page_break_before = True
        before = {name: space for name, *_, space, _ in _STYLES} | {"Reference Heading": REFERENCE_BEFORE}
        for anchor, step in (tightened or {}).items():
            for paragraph, style in self._chapters.get(anchor, []):
                paragraph.paragraph_format.line_spacing = TIGHT_LEADING
                if style not in (*HEADING_STYLES, "Heading 1"):
                    paragraph.paragraph_format.space_after = Pt(0)
                elif step >= 2 and style in HEADING_STYLES:
                    paragraph.paragraph_format.space_before = Pt(before[style] / 2)

    @property
    def chapters(self) -> list[str]:
        """The bookmarks of the chapters, in order (each starts a new page with a Heading 1)."""
        return list(self._chapters)

    def text(self) -> str:
        """Every character the document shows (body, headers, footers, list glyphs): what its
        embedded fonts must cover."""
        parts = [self.doc.element.xml]
        parts += [p.blob.decode("utf-8", "replace") for p in self.doc.part.package.iter_parts()
                  if str(p.partname).startswith(("/word/header", "/word/footer", "/word/numbering"))]
        return "".join(parts) + "".join(BULLETS) + "0123456789/ "

    # --- building blocks -----------------------------------------------------------------------

    def para(self, text: str = "", style: str | None = None) -> Paragraph:
        paragraph = self.doc.add_paragraph(text)
        self._current.append((paragraph, style))
        if style:
            self.style(paragraph, style)
        return paragraph

    def heading(self, text: str, level: int) -> Paragraph:
        return self.para(text, f"Heading {level}")

    def style(self, paragraph: Paragraph, name: str) -> None:
        paragraph._p.style = self._style_ids[name]

    def bookmark(self, paragraph: Paragraph, name: str) -> None:
        self._bookmark_id += 1
        wordml.add_bookmark(paragraph, name, self._bookmark_id)

    def link(self, paragraph: Paragraph, text: str, anchor: str) -> None:
        wordml.add_internal_link(paragraph, text, anchor, style_id="Hyperlink")

    def running_head(self, title: str) -> str:
        """「校正刷り（未確定）　｜　title　｜　chapter」 on a draft; no mark on the final edition."""
        return "　｜　".join(p for p in (self.book.edition.mark, self.book.title, title) if p)

    def chapter(self, title: str, anchor: str, body, landscape: bool = False,
                mark: str | None = None) -> None:
        """A new section (new page, running header = title), a bookmarked Heading 1, the body."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False
        _orient(section, landscape)
        section.header.is_linked_to_previous = False
        _running_header(section.header.paragraphs[0], self.running_head(title), self.book.edition.draft)
        self._current = self._chapters.setdefault(anchor, [])
        heading = self.heading(title, 1)
        self.bookmark(heading, anchor)
        if mark:
            self.bookmark(heading, mark)
        body()

    def table(self, header: Sequence[str], widths_cm: Sequence[float]) -> Table:
        """A grid table with a shaded header row repeated on every page, padded cells."""
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        wordml.set_cell_margins(table, **CELL_PADDING)
        row = table.rows[0]
        wordml.repeat_as_header(row)
        for cell, text in zip(row.cells, header, strict=True):
            self.style(cell.paragraphs[0], "Table Head")
            cell.paragraphs[0].add_run(text)
            wordml.shade_cell(cell, HEADER_FILL)
        _set_widths(table, widths_cm)
        return table

    @staticmethod
    def widths(header: Sequence[str], rows: Sequence[Sequence[str]], prose: Sequence[int]) -> list[float]:
        """A portrait table's column widths from its content (render.columns): the `prose`
        columns wrap, the others keep a figure on one line."""
        return columns.fit(header, rows, TABLE_PT, TEXT_WIDTH_CM, PADDING_CM,
                           wrap={i: columns.PROSE for i in prose})

    def row(self, table: Table, values: Iterable[str]) -> list:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=False):
            self.style(cell.paragraphs[0], "Table Text")
            if text:
                cell.paragraphs[0].add_run(text)
        wordml.keep_row_together(table.rows[-1])
        return cells

    def bullets(self, sentences: Iterable[str]) -> None:
        """Sentences of the casebook's own as a bulleted list (not the records' items)."""
        for sentence in sentences:
            self.para(sentence, "Sentence List")

    # --- front matter --------------------------------------------------------------------------

    def cover(self) -> None:
        book, source = self.book, self.book.source
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True  # no header or page number on the cover
        _running_header(section.header.paragraphs[0], self.running_head(""), book.edition.draft)
        if book.edition.draft:
            self.draft_mark()
            for _ in range(2):
                self.para()
        else:
            for _ in range(4):
                self.para()
        self.para(book.title, "Title")
        self.para(f"{len(book.cases)}事例のヒアリング結果を、{STEP_TERM}①〜⑥と{GROUPS_TITLE}で整理",
                  "Subtitle")
        if book.build.edition:
            self._cover_line("版", book.build.edition)
        self._cover_line("編集", book.organisation)
        self._cover_line("作成日", display_date(book.build.built_at))
        self._cover_line("出典", *source.citation)
        self.para(f"底本のファイル　{source.name}（SHA-256 {source.sha256}）", "Note")

    def draft_mark(self) -> None:
        """The draft's mark and what it means, at the top of the first page."""
        p = self.para(style="Draft Mark")
        p.add_run(self.book.edition.mark)
        self.para(self.book.edition.note, "Note")

    def _cover_line(self, label: str, *lines: str) -> None:
        p = self.para(style="Cover Line")
        p.add_run(f"{label}　").bold = True
        p.add_run("\n".join(lines))

    def contents(self) -> None:
        """A TOC field whose result is written here: each chapter title linked to its bookmark,
        a dot leader and its page number (filled after layout by `fill_pages`). Word shows the
        result as it is and rebuilds it only when asked to update the field."""
        self.doc.add_page_break()
        self.para("目次", "TOC Heading")
        entries = ["この事例集の読み方", "事例一覧", *(c.heading for c in self.book.cases),
                   "都道府県別の事例", "業務別の事例", APPENDIX_A, APPENDIX_B]
        anchors = ["guide", "overview", *(c.anchor for c in self.book.cases),
                   "by_prefecture", "by_business", "validation", "corrections"]
        first = self.para(style="toc 1")
        wordml.begin_field(first, 'TOC \\o "1-1" \\h \\z \\u')
        for i, (text, anchor) in enumerate(zip(entries, anchors, strict=True)):
            p = first if i == 0 else self.para(style="toc 1")
            self.link(p, text, anchor)
            p.add_run("\t")
            self._page_runs.append((anchor, p.add_run("")))
        wordml.end_field(self.para(style="toc 1"))

    def guide(self) -> None:
        if self.book.edition.draft:
            self.para(f"{self.book.edition.mark}　{self.book.edition.note}", "Note")
        self.para(f"各事例は、報告書のヒアリング結果の表にある6つの{STEP_TERM}（①〜⑥）を、報告書の"
                  f"図表4-2「{GROUPS_TITLE}」にまとめて掲載しています。")
        table = self.table([f"協働化を進める{GROUP_TERM}", f"対応する{STEP_TERM}"], [6.0, 10.0])
        for group in self.book.guide:
            self.row(table, [group.heading, "\n".join(group.labels) or MISSING])
        self.heading("この事例集の表記", 2)
        table = self.table(["表記", "意味"], [4.0, 12.0])
        for term, meaning in GLOSSARY:
            self.row(table, [term, meaning])

    def overview(self) -> None:
        header = ["No.", "事例名", "地域", "分類", MEMBERS_HEAD, *(HEAD_LINES[b] for b in BUSINESSES), "頁"]
        rows = [[str(v.no), v.case.name, v.case.region, v.case.category, v.members,
                 *(v.business[b] for b in BUSINESSES), "000"] for v in self.book.cases]
        widths = columns.fit(header, rows, TABLE_PT, LANDSCAPE_WIDTH_CM, PADDING_CM,
                             wrap={2: "・"}, fixed={0: 0.9, len(header) - 1: 0.9})
        table = self.table(header, widths)
        for case in self.book.cases:
            c = case.case
            cells = self.row(table, [str(c.no), "", c.region, c.category, case.members,
                                     *(case.business[b] for b in BUSINESSES), ""])
            self.link(cells[1].paragraphs[0], c.name, case.anchor)
            self._page_runs.append((case.anchor, wordml.add_field(
                cells[-1].paragraphs[0], f"PAGEREF {case.anchor} \\h", "")))
            for cell in cells[4:]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.book.business_figures:
            for label, value in ((f"{FROM_CASES}（計）", "ours"), (f"{STATED}（第3章）", "stated")):
                counts = [getattr(self.book.business_figure(b), value) for b in BUSINESSES]
                cells = self.row(table, ["", label, "", "", "", *counts, ""])
                self.style(cells[1].paragraphs[0], "Table Head")
                for cell in cells[5:]:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        legend = f"{LEGEND}　頁＝この事例集のページ"
        self.para(legend, "Note")
        self.para(CODED_NOTE, "Note")
        self.figures("社員法人数の分布", MEMBERS, self.book.member_figures)

    def figures(self, title: str, what: str, figures: list[Figure]) -> None:
        """The report's stated counts beside those read from the case text."""
        if not figures:
            return
        self.heading(title, 2)
        header = [what, STATED, FROM_CASES_LINES, "記載箇所"]
        rows = [[fig.label, fig.stated, fig.ours + ("（差あり）" if fig.differs else ""), fig.page]
                for fig in figures]
        table = self.table(header, self.widths(header, rows, prose=(0, 3)))
        for values in rows:
            cells = self.row(table, values)
            for cell in cells[1:3]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER

    # --- one case ------------------------------------------------------------------------------

    def case(self, view: CaseView) -> None:
        c = view.case
        self.attributes([
            ("地域", c.region),
            ("分類", c.category),
            (MEMBERS, view.members),
            ("業務", view.business_text),
            ("出典", f"報告書 {view.pages}"),
        ])
        for group in view.groups:
            if group.group.number is not None:
                self.heading(group.group.heading, 2)
            for step in group.steps:
                heading = self.heading(step_heading(step), 3)
                self.bookmark(heading, f"{view.anchor}_step_{step.step}")
                self.bookmark(heading, wordids.label(c.no, step.step))
                for s, section in enumerate(step.sections):
                    if section.heading:
                        self.bookmark(self.heading(section.heading, 4), wordids.heading(c.no, step.step, s))
                    for i, (item, level) in enumerate(walk(section.items)):
                        p = self.para(item.text, LIST_STYLES[min(level, len(LIST_STYLES)) - 1])
                        self.bookmark(p, wordids.item(c.no, step.step, s, i))
                for n, note in enumerate(step.notes):
                    self.bookmark(self.para(note, "Note"), wordids.note(c.no, step.step, n))
        self.references(view.citations)

    def attributes(self, pairs: list[tuple[str, str]]) -> None:
        """A label / value table (labels shaded like a header column)."""
        table = self.doc.add_table(rows=0, cols=2)
        table.style = self.doc.styles["Table Grid"]
        wordml.set_cell_margins(table, **CELL_PADDING)
        for label, value in pairs:
            cells = self.row(table, [label, value])
            self.style(cells[0].paragraphs[0], "Table Head")
            wordml.shade_cell(cells[0], HEADER_FILL)
        _set_widths(table, [3.0, 14.0])
        self.para(style="Note")  # breathing space before the first STEP heading

    def references(self, citations: list[CitationView]) -> None:
        if not citations:  # one line, not a heading over a sentence (it would end a page alone)
            self.para("第4章での参照：第4章でこの事例を参照している箇所はありません。", "Note")
            return
        self.heading("第4章での参照", 2)
        for cit in citations:
            p = self.para(style="Reference Heading")
            p.add_run(f"第4章 {cit.chapter_section}{SEPARATOR}{cit.section}")
            if cit.citation.point:
                self.para(cit.citation.point, "Reference Point")
            self.para(cit.citation.quote, "Quote")
            credit = f"出典の表記：{cit.credited_as}　" if cit.credited_as else ""
            self.para(f"{credit}報告書 {cit.pages}", "Note")

    # --- cross-case views ----------------------------------------------------------------------

    def by_prefecture(self) -> None:
        self.para("事例の所在地（地域に名前の出る都道府県）ごとの事例数です。複数の都道府県にまたがる"
                  "事例は、それぞれに数えています。")
        self.tile_map()
        for pref in self.book.prefectures:
            if pref.cases:
                p = self.para(style="Hanging List")
                p.add_run(f"{pref.name}（{len(pref.cases)}）\t")
                self.case_links(p, pref.cases)

    def tile_map(self) -> None:
        cells = grid(self.book.prefecture_counts)
        table = self.doc.add_table(rows=len(cells), cols=COLUMNS)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        wordml.set_borders(table, "FFFFFF", eighths_pt=16)  # white gaps between tiles
        wordml.set_cell_margins(table, top=0, bottom=0, left=30, right=30)
        _set_widths(table, [1.2] * COLUMNS)
        for row, tiles in zip(table.rows, cells, strict=True):
            wordml.keep_row_together(row)
            row.height = Cm(1.0)
            for cell, tile in zip(row.cells, tiles, strict=True):
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                self.style(p, "Tile")
                if tile is None:
                    continue
                wordml.shade_cell(cell, tile.fill)
                label = p.add_run(tile.label)
                count = p.add_run(f"\n{tile.count}" if tile.count else "")
                for run in (label, count):
                    run.font.color.rgb = RGBColor.from_string(tile.text)
        self.para("タイルの濃さ＝事例数（0／1／2／3–4／5以上）", "Note")

    def by_business(self) -> None:
        if self.book.by_business is None:
            self.para("この版では事例本文の読み取りを行っていないため、業務別の分類は表示できません。")
            return
        self.para(CODED_NOTE, "Note")
        for business, nos in self.book.by_business:
            self.heading(business, 2)
            fig = self.book.business_figure(business)
            stated = f"　{STATED}：{fig.stated}件（{fig.page}）" if fig and fig.stated != MISSING else ""
            self.para(f"{FROM_CASES}：{len(nos)}事例{stated}", "Reference Point")
            p = self.para()
            if nos:
                self.case_links(p, nos)
            else:
                p.add_run("該当する事例はありません。")

    def case_links(self, p: Paragraph, nos: Iterable[int]) -> None:
        for i, no in enumerate(nos):
            if i:
                p.add_run("、")
            case = self.book.case(no)
            self.link(p, f"事例{no} {case.case.name}", case.anchor)

    # --- appendix ------------------------------------------------------------------------------

    def appendix(self) -> None:
        """付録A for readers: what was checked, what was concluded (render.appendix)."""
        a = self.book.appendix
        if a.date:
            self.para(f"本事例集は、報告書から抽出した事例を次のとおり報告書と照らし合わせました"
                      f"（{a.date}）。")
        self.heading("照合したもの", 2)
        self.bullets(a.checked)
        if a.defects:
            self.heading("報告書の誤りとその扱い", 2)
            self.bullets(a.defects)
        if a.counts:
            self.heading("事例本文からは確かめられない件数", 2)
            self.para(a.counts_intro)
            head = ["項目", a.stated_head, a.from_cases_head.replace(FROM_CASES, FROM_CASES_LINES),
                    "一致しない理由"]
            rows = [[row.title, row.stated, row.from_cases, row.why] for row in a.counts]
            table = self.table(head, self.widths(head, rows, prose=(0, 3)))
            for values in rows:
                cells = self.row(table, values)
                cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.heading("校正と訂正", 2)
        self.bullets([a.errata, *a.proofreading])

    def corrections(self) -> None:
        if not self.book.corrections:
            self.para("この版で適用した編集上の訂正はありません。")
            return
        self.para("報告書の誤字・誤記のうち、本事例集が訂正して掲載した箇所です。")
        table = self.table(["箇所", "訂正前", "訂正後", "理由・注記"], [3.0, 4.5, 4.5, 5.0])
        for fix in self.book.corrections:
            where = correction_place(fix) + (f"\n{fix.where}" if fix.where else "")
            notes = [fix.reason, fix.credit, fix.note, *(f"あわせて更新：{u}" for u in fix.updated),
                     *(f"集計の変化：{m}" for m in fix.moved)]
            self.row(table, [where, fix.old, fix.new, reader_words("\n".join(n for n in notes if n))])


def correction_place(fix: AppliedCorrection) -> str:
    """「事例1 調査項目⑤」 or 「第3章 3.3.(4)」."""
    if fix.case is not None and fix.step:
        return f"事例{fix.case} {step_label(fix.step)}"
    return fix.location


# --- document setup -----------------------------------------------------------------------------

def _setup_styles(doc: Document) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(3)
    normal.paragraph_format.line_spacing = 1.15
    wordml.set_fonts(normal, MINCHO, MINCHO)
    wordml.set_document_defaults(doc, MINCHO, MINCHO, "ja-JP")
    wordml.declare_fonts(doc, {MINCHO: ("roman", "IPAmj明朝"), GOTHIC: ("swiss", "IPAexゴシック")})
    for name, size, bold, colour, before, after in _STYLES:
        style = styles[name]
        wordml.set_fonts(style, GOTHIC, GOTHIC)
        style.font.size, style.font.bold, style.font.italic = Pt(size), bold, False
        style.font.color.rgb = colour
        style.paragraph_format.space_before, style.paragraph_format.space_after = Pt(before), Pt(after)
        style.paragraph_format.keep_with_next = True
    bullets = wordml.bullet_numbering(doc, BULLETS, MINCHO, step_cm=0.5, hang_cm=0.45)
    for level, name in enumerate(LIST_STYLES):
        styles[name].paragraph_format.space_after = Pt(2)
        wordml.use_numbering(styles[name], bullets, level)
    sentences = _add_paragraph_style(doc, "Sentence List", size=BODY_PT, space_after=4)
    wordml.use_numbering(sentences, bullets, 0)  # the same bullet and hanging indent as the items
    quote = styles["Quote"]
    wordml.set_fonts(quote, MINCHO, MINCHO)
    quote.font.italic = False  # Japanese has no italic; fonts fake it by slanting
    quote.paragraph_format.left_indent = Cm(0.6)
    _add_paragraph_style(doc, "Note", size=8.5, colour=MUTED)
    _add_paragraph_style(doc, "Cover Line", size=10, space_after=4)
    _add_paragraph_style(doc, "Table Text", size=TABLE_PT, space_after=0, line=1.0)
    head = _add_paragraph_style(doc, "Table Head", size=TABLE_PT, bold=True, space_after=0, line=1.0)
    wordml.set_fonts(head, GOTHIC, GOTHIC)
    tile = _add_paragraph_style(doc, "Tile", size=7, space_after=0, line=1.0)
    tile.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    wordml.set_fonts(tile, GOTHIC, GOTHIC)
    ref = _add_paragraph_style(doc, "Reference Heading", size=9, bold=True, colour=ACCENT, space_after=1)
    ref.paragraph_format.space_before = Pt(REFERENCE_BEFORE)
    wordml.set_fonts(ref, GOTHIC, GOTHIC)
    point = _add_paragraph_style(doc, "Reference Point", size=9, colour=MUTED, space_after=1)
    # A reference's heading, point and quote stay on one page (no heading stranded at a page foot).
    for style in (ref, point):
        style.paragraph_format.keep_with_next = True
    quote.paragraph_format.keep_together = True
    # The prefecture list: the cases of a prefecture wrap under their first case, not under its name.
    hanging = _add_paragraph_style(doc, "Hanging List", size=BODY_PT, space_after=3)
    hanging.paragraph_format.left_indent = Cm(HANG_CM)
    hanging.paragraph_format.first_line_indent = Cm(-HANG_CM)
    hanging.paragraph_format.tab_stops.add_tab_stop(Cm(HANG_CM))
    mark = _add_paragraph_style(doc, "Draft Mark", size=16, bold=True, colour=DRAFT_COLOUR, space_after=2)
    wordml.set_fonts(mark, GOTHIC, GOTHIC)
    toc = _add_paragraph_style(doc, "toc 1", size=BODY_PT, space_after=2)
    toc.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True


def _add_paragraph_style(doc: Document, name: str, *, size: float, bold: bool = False,
                         colour: RGBColor | None = None, space_after: float = 3, line: float = 1.15):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(size)
    style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = colour
    style.paragraph_format.space_after = Pt(space_after)
    style.paragraph_format.line_spacing = line
    return style


def _setup_page(doc: Document) -> None:
    """A4 portrait, 2 cm margins, page numbers centred in the footer ("3 / 58")."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    wordml.add_field(footer, "PAGE", "1")
    footer.add_run(" / ")
    wordml.add_field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(8.5)


def _orient(section, landscape: bool) -> None:
    """A4 in either orientation (a new section copies the previous one's)."""
    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _running_header(paragraph: Paragraph, text: str, draft: bool = False) -> None:
    """The running head, right-aligned; a draft's mark (its first part) in red."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    mark, sep, rest = text.partition("　｜　") if draft else ("", "", text)
    for part, colour, bold in ((mark, DRAFT_COLOUR, True), (sep + rest, MUTED, False)):
        if part:
            run = paragraph.add_run(part)
            run.font.size, run.font.bold = Pt(8), bold
            run.font.color.rgb = colour


def _set_widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Column widths; Word reads the cell widths, LibreOffice the grid columns."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
