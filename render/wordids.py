"""The identifiers a casebook .docx carries so that edits made in Word find their place again.

Every paragraph of case text — the case's name (its Heading 1), a step's label, a sub-heading,
an item at any depth, a note — holds a hidden bookmark naming its place (`Place`): `_cb3` is
事例3's name, `_cb3_1` the label of its step ①, `_cb3_1_h0` the first sub-heading of ①,
`_cb3_1_i0_4` the fifth item (depth-first, nested items counted) under it, `_cb3_6_n0` the
first note of ⑥. A bookmark whose name starts with "_" is hidden in Word's bookmark list; Word
and LibreOffice keep bookmarks through edits and saves. The document's custom properties say what
it is (a casebook or a confirmation sheet), which scheme its identifiers follow and the SHA-256 of
the source its text came from: a .docx built from another source maps its edits by text.

The writer (render/docx.py, render/sheets.py) and the reader (render/revisions.py,
render/absorb.py) import this module and nothing else of each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

SCHEME = "1"  # bump when the meaning of a bookmark name changes
CASEBOOK = "casebook"
SHEET = "sheet"
KINDS = (CASEBOOK, SHEET)

# Custom document properties (docProps/custom.xml), kept by Word and LibreOffice.
KIND_PROPERTY = "CasebookDocument"
SCHEME_PROPERTY = "CasebookIdentifiers"
SOURCE_PROPERTY = "CasebookSourceSHA256"

CUSTOM_PART = "/docProps/custom.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id every user-defined property has

KINDS_OF_TEXT = ("name", "label", "heading", "item", "note")
_NAME = re.compile(r"^_cb(\d+)(?:_(\d+)(?:_h(\d+)|_i(\d+)_(\d+)|_n(\d+))?)?$")


@dataclass(frozen=True, order=True)
class Place:
    """Where a paragraph of case text comes from.

    `kind` name: the case's name (step None); label: the step's label; heading: the sub-heading
    of section `section`; item: the `index`-th item of section `section` in reading order
    (records.walk); note: the step's `index`-th note.
    """

    case: int
    step: int | None = None
    kind: str = "name"
    section: int | None = None
    index: int | None = None

    @property
    def bookmark(self) -> str:
        """The hidden bookmark naming this place."""
        base = f"_cb{self.case}"
        if self.kind == "name":
            return base
        base += f"_{self.step}"
        return {
            "label": base,
            "heading": f"{base}_h{self.section}",
            "item": f"{base}_i{self.section}_{self.index}",
            "note": f"{base}_n{self.index}",
        }[self.kind]

    @property
    def in_step(self) -> bool:
        return self.step is not None


def name(case: int) -> str:
    return Place(case).bookmark


def label(case: int, step: int) -> str:
    return Place(case, step, "label").bookmark


def heading(case: int, step: int, section: int) -> str:
    return Place(case, step, "heading", section).bookmark


def item(case: int, step: int, section: int, index: int) -> str:
    return Place(case, step, "item", section, index).bookmark


def note(case: int, step: int, index: int) -> str:
    return Place(case, step, "note", None, index).bookmark


def parse(bookmark: str) -> Place | None:
    """The place a bookmark names, or None for any other bookmark."""
    match = _NAME.match(bookmark)
    if match is None:
        return None
    case, step, head, sec, idx, nt = match.groups()
    if step is None:
        return Place(int(case))
    if head is not None:
        return Place(int(case), int(step), "heading", int(head))
    if sec is not None:
        return Place(int(case), int(step), "item", int(sec), int(idx))
    if nt is not None:
        return Place(int(case), int(step), "note", None, int(nt))
    return Place(int(case), int(step), "label")


# --- document properties ------------------------------------------------------------------------


def stamp(document: Document, kind: str, source_sha256: str) -> None:
    """Write what the document is into its custom properties (replacing earlier ones of ours)."""
    values = {KIND_PROPERTY: kind, SCHEME_PROPERTY: SCHEME, SOURCE_PROPERTY: source_sha256}
    package = document.part.package
    existing = next((p for p in package.iter_parts() if str(p.partname) == CUSTOM_PART), None)
    root = etree.fromstring(existing.blob) if existing is not None else etree.Element(
        f"{{{NS_CUSTOM}}}Properties", nsmap={None: NS_CUSTOM, "vt": NS_VT})
    for prop in list(root):
        if prop.get("name") in values:
            root.remove(prop)
    pid = max((int(p.get("pid", "1")) for p in root), default=1)
    for key, value in values.items():
        pid += 1
        prop = etree.SubElement(root, f"{{{NS_CUSTOM}}}property", fmtid=FMTID, pid=str(pid), name=key)
        etree.SubElement(prop, f"{{{NS_VT}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if existing is not None:
        existing._blob = blob
    else:
        package.relate_to(Part(PackURI(CUSTOM_PART), CUSTOM_CT, blob, package), CUSTOM_RT)


def read_properties(xml: bytes) -> dict[str, str]:
    """The custom properties of a docProps/custom.xml: name → text value."""
    root = etree.fromstring(xml)
    return {prop.get("name", ""): "".join(prop.itertext()).strip() for prop in root}
