"""Differently typeset editions of the report's case tables, for round-trip tests.

The extractor must read any edition of the report with no code change. These functions render
`Case` records back into PDFs laid out like pages 12–58 of the shipped report (running header,
page-number footer, "2. 各事例のヒアリング調査結果", "(1) 緊密な連携" / "(2) 緩やかな連携", and per
case a heading 「事例N 名称【地域】」 over a ruled two-column table 調査項目 | ヒアリング内容 with
six step rows whose cells hold bold sub-headings, bulleted items with hanging indents, nested
items and (※) notes), but typeset by other engines, on other paper, with other fonts and glyphs.
Rows are allowed to break across pages, and long ones do.

    chromium_edition(cases, out_pdf, *, paper="B5", font="IPAexGothic", label_col="22%",
                     kangxi=True, bold=True, ...) -> out_pdf
    libreoffice_edition(cases, out_pdf, *, paper="Letter", font="IPAexGothic",
                        label_col_cm=3.2, ...) -> out_pdf

Knobs (both functions unless noted):

paper         a name from PAPER_MM ("A4", "A5", "A5-landscape", "B5" = JIS 182×257 mm,
              "B5-ISO", "Letter", "Legal") or (width_mm, height_mm). Margins are fixed per engine
              and differ from the report's (Chromium 20/14/18/17 mm, LibreOffice 24/19/22/22 mm
              top/right/bottom/left).
font          a fontconfig family: "IPAexGothic" (no bold face: bold is synthesised),
              "IPAexMincho", "Noto Sans CJK JP", "Noto Serif CJK JP" (real bold faces).
label_col     (Chromium) CSS width of the label column, e.g. "22%" or "30mm".
label_col_cm  (LibreOffice) width of the label column in cm.
kangxi        (Chromium) write 人一力日長見言金 as ⼈⼀⼒⽇⻑⾒⾔⾦ (U+2F08 U+2F00 U+2F12 U+2F47
              U+2ED1 U+2F92 U+2F94 U+2FA6) in every item text, children included; section
              headings, labels, notes and titles are left alone. NB: with the installed CJK fonts
              Chromium's PDF text layer already carries Kangxi/CJK-radical code points for every
              ideograph whose glyph a radical shares, everywhere on the page, so the text layer
              is the same either way; the knob only changes the HTML source.
bold          sub-headings, titles and the table header row in bold (True) or normal weight
              (False: simulates a font with no bold face and no synthesis).
markers       glyphs for item levels 1, 2, 3. Chromium default ("・", "▶", "・"), LibreOffice
              default ("•", "➤", "・"); as in the report, level 3 reuses a level-1 glyph, so the
              level must come from the indent, not the glyph.
table_style   (Chromium) "grid" (default: every border, shaded header and label cells) or "open"
              (a booktabs look: no vertical borders, no shading, a thin rule above every row
              and one closing the table) — for the text-aligned table strategy; "shaded" (no
              borders, cell backgrounds with a 2pt gap between rows); "none" (no borders, no
              fills: columns and rows apart by white space only).
repeat_header repeat the 調査項目 | ヒアリング内容 row on every page a table continues on.
              Chromium default True (a <thead>, which Chromium repeats), LibreOffice default
              False (the report does not repeat it).
header_text   running header. Chromium default "株式会社 NTT データ経営研究所" (right-aligned,
              as in the report), LibreOffice default "令和7年度 老人保健健康増進等事業 成果報告書"
              (left-aligned). Footers: Chromium "N", LibreOffice "- N -", both centred.
preface       before chapter 2: "1. 調査方法", a paragraph and a 3-column table (not a case).
epilogue      after the last case, on the same page: "3. ヒアリング調査結果のまとめ", a paragraph
              and bullets (•/➤ style) outside any table.
extra_css     (Chromium) CSS appended to the style sheet, e.g. "td { overflow-wrap: anywhere }".
html_out / docx_out   also keep the intermediate HTML / .docx there.

How case numbers are printed cycles with case.no, deterministically: Chromium no%3 == 0 →
"事例 3", 1 → "事例1", 2 → full-width "事例２"; LibreOffice no%3 == 0 → "事例3", 1 → full-width
"事例１", 2 → "事例 2". A space always separates the number from the name. Both functions are
deterministic apart from the PDFs' creation dates.

What the PDFs hold (checked with pdfplumber):
- Chromium: borders are 0.75 pt filled rectangles (page.rects, none in page.lines), cells also
  get shaded rectangles; where a row breaks there is no bottom rule on the page and no top rule on
  the next (unless the repeated header row closes it). Header/footer are ordinary text. Every
  ideograph whose glyph a Kangxi/CJK-radical code point shares comes out as that code point
  (人→⼈ U+2F08 …; 戸→⼾, 黒→⿊ whose NFKC is 戶/黑; 民 西 長 青 → U+2EA0 U+2EC4 U+2ED1 U+2ED8,
  untouched by NFKC), headings and labels included; also —→U+0336, ～→〜 U+301C, and with Noto
  Sans ・→‧ U+2027. IPAexGothic bold is synthetic: Type 3 glyphs in a font named
  "AAAAAA+IPAexGothic" (no "Bold"); Noto fonts have real "…-Bold" faces.
- LibreOffice: borders are stroked 0.5 pt lines (page.lines), shading is rects; a split row is
  closed by a rule at the page bottom and reopened at the next page top. IPAexGothic bold is
  synthetic: the same font subsets as regular text, drawn with text render mode 2 (fill+stroke),
  which pdfplumber does not expose. LibreOffice may break a line inside a number or a Latin
  word ("1,5|00", "Wi|n-Win"). pdffacts.inspect_edition() tells what a produced PDF holds (header/footer lines, rules,
pages that start inside a split row, repeated header rows).

Hostile text (hostile.py): hostile_cases() — the sample cases with a section of items holding
templates ({% raw %}), quotes ("引用" 'single'), markup and Latin words long enough to wrap
between two Latin characters.

Editions of new kinds (kinds.py): `Kind` names a layout (producer, paper, font, label column,
table style, repeated header, a row run over N pages, Latin text at wraps, label cells that may
split over a page, the gap between label and content); `kind_cases(cases, kind)` makes the cases
it prints from the shipped text, `build_kind(kind, cases, out_pdf)` prints them and
`recovery(expected, report)` counts what the extraction recovered.

Whole-report editions (report.py): report_edition(report, out_pdf, *, producer="chromium" |
"libreoffice", paper="B5", font="IPAexGothic", extra_case=None, edits=None) re-typesets every
record of a Report — cover, numbered headings, paragraphs, captioned tables with merged cells,
the case tables in place — for round trips of the outline, tables and citations.
"""

from ._common import PAPER_MM
from .chromium import chromium_edition
from .libreoffice import libreoffice_edition
from .report import report_edition

__all__ = ["PAPER_MM", "chromium_edition", "libreoffice_edition"]
__all__ += ["report_edition"]
