"""What the Word file says about itself (docProps): the truth, not python-docx's template.

python-docx starts from a template written by Word for Mac in 2013: its core properties name
「python-docx」 as author and 2013 as creation date, its app.xml names 「Microsoft Macintosh
Word」, and it carries a blank thumbnail. Here the core properties take the casebook's title, the
editing organisation (the editors' [publication] setting) and the build's time, app.xml names this
program, and the thumbnail goes (a file manager then draws its own). LibreOffice carries title,
author and language into the PDF it prints from the document (/Title, /Author, /Lang).
"""

from __future__ import annotations

from datetime import UTC, datetime

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

APPLICATION = "casebook"
LANGUAGE = "ja-JP"

_APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>{application}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    "<Company>{company}</Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def set_properties(doc: Document, title: str, organisation: str, built_at: str, *, subject: str = "") -> None:
    """Core and extended properties of `doc`, and no template thumbnail."""
    moment = datetime.fromisoformat(built_at)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    moment = moment.astimezone(UTC).replace(tzinfo=None)  # core.xml stores UTC (W3CDTF, Z)
    core = doc.core_properties
    core.title = title
    core.subject = subject
    core.author = organisation
    core.last_modified_by = organisation
    core.created = moment
    core.modified = moment
    core.language = LANGUAGE
    core.revision = 1
    core.comments = ""
    core.keywords = "事例集"
    package = doc.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _APP_XML.format(application=APPLICATION, company=_escape(organisation)).encode()
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]  # the part goes with its last relationship


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
