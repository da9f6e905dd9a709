"""WordprocessingML that python-docx has no API for: East Asian fonts and the font table, bullet
numbering, fields, bookmarks, internal links, cell shading, repeated header rows. Each helper
writes the minimal XML Word itself writes.
"""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

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
    lang.set(qn("w:val"), language)  # the document's language (the PDF's /Lang), not en-US


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


# Font table entries: the Japanese name (altName), the Japanese charset (SHIFTJIS = 80) and the
# generic family tell Word which face to substitute where the named font is missing and cannot be
# read from the file (a Mincho for roman, a Gothic for swiss).
_FONT_ENTRY = (
    '<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:name="{name}">'
    '<w:altName w:val="{alt}"/><w:charset w:val="80"/><w:family w:val="{family}"/>'
    '<w:pitch w:val="variable"/></w:font>'
)


def font_table(doc: Document):
    """The font table part (word/fontTable.xml) of the document."""
    return next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")


def declare_fonts(doc: Document, families: dict[str, tuple[str, str]]) -> None:
    """Declare fonts in the document's font table: name → (family, Japanese name); family
    "roman" is a Mincho, "swiss" a Gothic."""
    part = font_table(doc)
    table = etree.fromstring(part.blob)
    for name, (family, alt) in families.items():
        for old in table.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                table.remove(old)
        table.append(etree.fromstring(_FONT_ENTRY.format(name=name, family=family, alt=alt)))
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_cell_margins(table: Table, **twips: int) -> None:
    """Default cell padding of a table (top, bottom, left, right in twips), so that no text
    touches a rule."""
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("top", "left", "bottom", "right"):  # schema order
        if edge in twips:
            _child(margins, f"w:{edge}", w=str(twips[edge]), type="dxa")
    _insert_before(tblpr, margins, ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"))


def bullet_numbering(doc: Document, glyphs: tuple[str, ...], font: str, *, step_cm: float,
                     hang_cm: float) -> int:
    """A bullet list definition, one glyph per nesting level, set in `font`; returns its numId."""
    numbering = doc.part.numbering_part.element
    abstracts = numbering.findall(qn("w:abstractNum"))
    abstract_id = 1 + max((int(a.get(qn("w:abstractNumId"))) for a in abstracts), default=-1)
    num_id = 1 + max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0)
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    _child(abstract, "w:multiLevelType", val="hybridMultilevel")
    twips = 567  # per cm
    for level, glyph in enumerate(glyphs):
        lvl = _child(abstract, "w:lvl", ilvl=str(level))
        _child(lvl, "w:start", val="1")
        _child(lvl, "w:numFmt", val="bullet")
        _child(lvl, "w:lvlText", val=glyph)
        _child(lvl, "w:lvlJc", val="left")
        ppr = _child(lvl, "w:pPr")
        left = round((hang_cm + level * step_cm) * twips)
        _child(ppr, "w:ind", left=str(left), hanging=str(round(hang_cm * twips)))
        rpr = _child(lvl, "w:rPr")
        _child(rpr, "w:rFonts", ascii=font, hAnsi=font, eastAsia=font, hint="eastAsia")
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # every abstractNum precedes every num (schema order)
    else:
        numbering.append(abstract)
    num = _child(numbering, "w:num", numId=str(num_id))
    _child(num, "w:abstractNumId", val=str(abstract_id))
    return num_id


def use_numbering(style: BaseStyle, num_id: int, level: int) -> None:
    """Make a paragraph style a level of a list definition."""
    numpr = style.element.get_or_add_pPr().get_or_add_numPr()  # in schema order
    for child in list(numpr):
        numpr.remove(child)
    _child(numpr, "w:ilvl", val=str(level))
    _child(numpr, "w:numId", val=str(num_id))


def _child(parent, tag: str, **attrs: str):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), value)
    parent.append(element)
    return element


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


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> Run:
    """A field in one paragraph (PAGE, NUMPAGES, PAGEREF …); returns the run of its result, the
    text shown until the field is updated."""
    begin_field(paragraph, instruction)
    result = paragraph.add_run(placeholder)
    end_field(paragraph)
    return result


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
