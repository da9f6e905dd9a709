"""WordprocessingML that python-docx has no API for: East Asian fonts, fields, bookmarks, internal
links, cell shading, repeated header rows. Each helper writes the minimal XML Word itself writes.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

_THEME_FONTS = ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme")


def set_fonts(style: BaseStyle, latin: str, east_asian: str) -> None:
    """Fonts of a style for Latin and East Asian text.

    python-docx's `font.name` writes only w:ascii/w:hAnsi; Japanese text is drawn with
    w:eastAsia. The default template's theme-font attributes win over explicit names, so they
    are removed (otherwise Title and Heading 1 stay in the theme's fallback font).
    """
    _set_rfonts(style.element.get_or_add_rPr(), latin, east_asian)


def set_document_defaults(doc: Document, latin: str, east_asian: str, language: str) -> None:
    """Fonts and East Asian language of the document defaults (under every style), so that
    no theme font is inherited and Japanese line breaking and font fallback apply."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(rpr, latin, east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), language)


def _set_rfonts(rpr, latin: str, east_asian: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_FONTS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


# Elements that follow w:updateFields in w:settings (ECMA-376 CT_Settings): Word rejects a
# settings part whose children are out of schema order.
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def update_fields_on_open(doc: Document) -> None:
    """Ask Word to refresh fields (the table of contents) when the document is opened."""
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    _insert_before(doc.settings.element, element, _AFTER_UPDATE_FIELDS)


def _insert_before(parent, element, successors: tuple[str, ...]) -> None:
    """Insert `element` before the first child that the schema puts after it (else append)."""
    tags = {qn(t) for t in successors}
    follower = next((child for child in parent if child.tag in tags), None)
    if follower is None:
        parent.append(element)
    else:
        follower.addprevious(element)


def _fld_char(paragraph: Paragraph, kind: str) -> None:
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """Open a complex field; its result follows until `end_field` (possibly paragraphs later)."""
    _fld_char(paragraph, "begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    _fld_char(paragraph, "separate")


def end_field(paragraph: Paragraph) -> None:
    """Close the field opened by `begin_field`."""
    _fld_char(paragraph, "end")


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A field in one paragraph (PAGE, NUMPAGES, PAGEREF …) with the text shown until updated."""
    begin_field(paragraph, instruction)
    paragraph.add_run(placeholder)
    end_field(paragraph)


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Make the whole paragraph the target of internal links to `name`."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    p = paragraph._p
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(end)


def add_internal_link(paragraph: Paragraph, text: str, anchor: str, style_id: str | None = None) -> None:
    """A hyperlink to a bookmark in this document."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    run = paragraph.add_run(text)
    if style_id:
        rpr = run._r.get_or_add_rPr()
        rstyle = OxmlElement("w:rStyle")
        rstyle.set(qn("w:val"), style_id)
        rpr.insert(0, rstyle)
    link.append(run._r)  # moves the run from the paragraph into the link
    paragraph._p.append(link)


def shade_cell(cell: _Cell, fill: str) -> None:
    """Background colour of a table cell (RRGGBB)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    _insert_before(cell._tc.get_or_add_tcPr(), shd, (
        "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange"))


def repeat_as_header(row: _Row) -> None:
    """Repeat this row at the top of every page the table runs onto; never split it."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        trpr.append(element)


def keep_row_together(row: _Row) -> None:
    """Do not split this row across pages."""
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def set_borders(table: Table, colour: str, eighths_pt: int) -> None:
    """All borders of a table (outer and inner) in one colour and width (1/8 pt units)."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(eighths_pt))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), colour)
        borders.append(element)
    _insert_before(tblpr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                    "w:tblCaption", "w:tblDescription", "w:tblPrChange"))
