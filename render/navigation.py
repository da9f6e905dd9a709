"""The publication bar every HTML page of a build shares: the site, validation.html, changes.html.

A build folder holds one publication in several forms (output/latest/):

    casebook.pdf  casebook.docx  validation.html  changes.html  html/index.html …

Each page links to all of them with relative links, so the bar works in any published build
folder, from file:// as from a web server: from html/… the others are one folder up (`../`);
from validation.html and changes.html the site is in `html/`. A draft build's bar carries the
draft mark (render.edition).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from render.edition import Edition
from render.model import HERE

# The forms of the publication, in the order the bar lists them: key, label, path from the build folder.
FORMS = (
    ("site", "事例集（ウェブ版）", "html/index.html"),
    ("pdf", "PDF版", "casebook.pdf"),
    ("docx", "Word版", "casebook.docx"),
    ("validation", "検証レポート", "validation.html"),
    ("changes", "変更点", "changes.html"),
)
SITE_FOLDER = "html/"


@dataclass(frozen=True)
class NavLink:
    label: str
    href: str
    current: bool = False


@dataclass(frozen=True)
class Bar:
    """What the bar shows on one page."""

    title: str
    home: str
    mark: str = ""
    note: str = ""
    links: list[NavLink] = field(default_factory=list)


def bar(title: str, edition: Edition, here: str) -> Bar:
    """The bar of a page: `here` is "site" for a page of html/, or "validation" / "changes" for
    those pages at the build folder's top."""
    root = "../" if here == "site" else ""
    links = []
    for key, label, path in FORMS:
        href = path[len(SITE_FOLDER):] if here == "site" and path.startswith(SITE_FOLDER) else root + path
        # The site's own pages say where they are in their own navigation.
        links.append(NavLink(label, href, current=key == here != "site"))
    home = links[0].href
    return Bar(title, home, edition.mark, edition.note, links)


@cache
def stylesheet() -> str:
    """The bar's style, for pages that inline their style (validation.html, changes.html)."""
    return (HERE / "static" / "publication.css").read_text(encoding="utf-8")
