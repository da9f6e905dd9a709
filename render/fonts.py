"""The fonts the casebook is laid out with, embedded in the Word file so that it lays out the same
wherever it opens.

LibreOffice lays the casebook out with IPAmj明朝 (body: one Mincho face that has every character
of the report, 实 included) and IPAexゴシック (headings). A machine without them — Word on Windows,
LibreOffice on a clean profile — would substitute other faces with other widths, and the page
numbers written into the table of contents would be wrong there. So the .docx carries them, as
Word does when "embed fonts in the file" is on: each face subset to the characters the document
uses (fontTools), obfuscated with a key of its own (ECMA-376 Part 1, §17.8.1: the first 32 bytes
XORed with the key's GUID, byte-reversed), stored as word/fonts/fontN.odttf and referenced from
the font table (w:embedRegular). Word and LibreOffice both read embedded fonts in .docx; the IPA
Font License allows embedding and redistribution. Both faces are TrueType, the outlines Word
embeds.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from casebook.errors import RenderError

OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# The Debian packages that install each face (make setup installs them).
PACKAGES = {"IPAmjMincho": "fonts-ipamj-mincho", "IPAexGothic": "fonts-ipaexfont-gothic"}
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class FontError(RenderError):
    """A face the casebook is laid out with is not installed."""


@dataclass(frozen=True)
class Subset:
    """A face cut down to the characters a document uses (TrueType bytes)."""

    name: str
    data: bytes


@cache
def font_file(family: str) -> Path:
    """The installed file of a face, through fontconfig (`fc-match`); an error if fontconfig
    would substitute another face."""
    package = PACKAGES.get(family, "its font package")
    if shutil.which("fc-match") is None:
        raise FontError(f"fontconfig (fc-match) is missing — install fontconfig and {package} (make setup)")
    out = subprocess.run(["fc-match", "--format=%{family}\n%{file}", family],
                         capture_output=True, text=True, check=False).stdout.splitlines()
    if len(out) < 2 or family not in out[0].split(","):
        raise FontError(f"the font {family} is not installed — install {package} (make setup)")
    return Path(out[1])


def subset(family: str, text: str) -> Subset:
    """`family` cut down to the characters of `text` (with its layout features, vertical forms
    and names kept, so that Word and LibreOffice know it by its name)."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    options = ft_subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.legacy_kern = True
    # Hinting stays: LibreOffice lays the embedded face out with the same metrics as the installed
    # one only when its instructions are kept (without them a case moved a page on a clean profile).
    font = TTFont(font_file(family), lazy=True)
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) | set(map(chr, range(0x20, 0x7F))))))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return Subset(family, out.getvalue())


def subsets(texts: dict[str, str]) -> list[Subset]:
    """Each face subset to the text it must show."""
    return [subset(family, text) for family, text in texts.items()]


def obfuscate(data: bytes, key: str) -> bytes:
    """The font bytes as an .odttf part stores them for the font key `key` ("{GUID}"); the same
    function undoes it."""
    digits = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ digits[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed(doc: Document, faces: list[Subset]) -> None:
    """Store each face in the document and name it in the font table as that entry's regular
    face; tell Word to keep embedding (subset) when it saves the file again."""
    table_part = next(p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    table = etree.fromstring(table_part.blob)
    for n, face in enumerate(faces, start=1):
        key = "{" + str(uuid.uuid4()).upper() + "}"
        part = Part(PackURI(f"/word/fonts/font{n}.odttf"), OBFUSCATED, obfuscate(face.data, key),
                    doc.part.package)
        rid = table_part.relate_to(part, RT.FONT)
        entry = next((f for f in table.findall(qn("w:font")) if f.get(qn("w:name")) == face.name), None)
        if entry is None:
            entry = etree.SubElement(table, qn("w:font"))
            entry.set(qn("w:name"), face.name)
        for old in entry.findall(qn("w:embedRegular")):
            entry.remove(old)
        embedded = etree.SubElement(entry, qn("w:embedRegular"))
        embedded.set(f"{{{_R}}}id", rid)
        embedded.set(qn("w:fontKey"), key)
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    _keep_embedding(doc)


def _keep_embedding(doc: Document) -> None:
    """settings.xml: embed TrueType fonts, subset (Word's own options), and no preview picture."""
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture", "w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    zoom = settings.find(qn("w:zoom"))
    position = list(settings).index(zoom) + 1 if zoom is not None else 0
    for offset, tag in enumerate(("w:embedTrueTypeFonts", "w:saveSubsetFonts")):
        settings.insert(position + offset, etree.Element(qn(tag)))
