"""The casebook as a static site (jinja2), laid out from `render.model`.

Pages: index.html (cover, contents, how to read, the overview with filters and full-text search,
the cross-case views), case-N.html (one per case, an anchor per step: #step-3), chapter4.html
(the Chapter 4 citations, linked both ways) and appendix.html (validation, corrections). Static
assets are package data; the search index is a script (`window.CASEBOOK_INDEX = …`) rather than
JSON so that it loads from file:// too. Autoescape is on: every text from the PDF is data.
"""

from __future__ import annotations

import json
from functools import cache
from itertools import groupby
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from casebook import vocabulary
from casebook.vocabulary import BUSINESSES, HEAD_WORDS, MEMBERS, circled
from render.docx import correction_place
from render.model import (
    CODED_NOTE,
    HERE,
    MISSING,
    SEPARATOR,
    Casebook,
    casebook_view,
    display_date,
    step_heading,
)
from render.navigation import bar
from render.tilemap import COLUMNS, ROWS, SHADES, tiles
from transform.records import AppliedCorrection, BuildInfo, Report, walk
from transform.validation.model import ValidationReport

STATIC = ("publication.css", "site.css", "search.js")
TILE = 44  # px per tile in the SVG map (the SVG scales to its box)


def render_site(
    report: Report,
    validation: ValidationReport | None,
    corrections: list[AppliedCorrection],
    build: BuildInfo,
) -> dict[str, bytes]:
    """Every file of the site by path relative to html/ ("index.html", "static/site.css" …)."""
    book = casebook_view(report, validation, corrections, build)
    env = _environment()
    pub = bar(book.title, book.edition, "site")
    common = {"book": book, "built": display_date(build.built_at), "pub": pub}
    pages = {
        "index.html": env.get_template("index.html.j2").render(
            **common, page="index", tiles=tiles(book.prefecture_counts), tile=TILE,
            columns=COLUMNS, rows=ROWS, shades=SHADES,
        ),
        "chapter4.html": env.get_template("chapter4.html.j2").render(
            **common, page="chapter4", sections=_citation_sections(book),
        ),
        "appendix.html": env.get_template("appendix.html.j2").render(**common, page="appendix"),
    }
    case_page = env.get_template("case.html.j2")
    for case in book.cases:
        pages[case_href(case.no)] = case_page.render(**common, page="case", view=case)
    files = {name: text.encode("utf-8") for name, text in pages.items()}
    for name in STATIC:
        files[f"static/{name}"] = _static(name)
    files["static/search-index.js"] = search_index(book)
    return files


def case_href(no: int) -> str:
    """The page of a case, relative to the site root."""
    return f"case-{no}.html"


def search_index(book: Casebook) -> bytes:
    """The data the index page filters and searches: each case's attributes and every text of
    its steps (sub-headings, items at any depth, notes) with the step it belongs to."""
    cases = {
        str(v.no): {
            "name": v.case.name,
            "category": v.case.category,
            "prefectures": v.case.prefectures,
            "business": v.business_names,
            "steps": {str(s.step): step_heading(s) for s in v.case.steps},
        }
        for v in book.cases
    }
    entries: list[list[Any]] = []
    for view in book.cases:
        for step in view.case.steps:
            for section in step.sections:
                if section.heading:
                    entries.append([view.no, step.step, "h", section.heading])
                entries.extend([view.no, step.step, "i", item.text] for item, _ in walk(section.items))
            entries.extend([view.no, step.step, "n", note] for note in step.notes)
    data = json.dumps({"cases": cases, "entries": entries}, ensure_ascii=False, separators=(",", ":"))
    # Never let record text close a script element, should the file ever be inlined.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e")
    return f"window.CASEBOOK_INDEX = {data};\n".encode()


def _citation_sections(book: Casebook):
    """Citations grouped by their Chapter 4 section, then subsection, in report order."""
    return [
        (chapter, [(section, list(cits)) for section, cits in groupby(group, key=lambda c: c.section)])
        for chapter, group in groupby(book.citations, key=lambda c: c.chapter_section)
    ]


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # record text is data, never markup
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        case_href=case_href, step_heading=step_heading, circled=circled,
        BUSINESSES=BUSINESSES, MISSING=MISSING, CODED_NOTE=CODED_NOTE, SEPARATOR=SEPARATOR,
        HEAD_WORDS=HEAD_WORDS, MEMBERS=MEMBERS, V=vocabulary, reader_words=vocabulary.reader_words,
        correction_place=correction_place,
    )
    return env


def _static(name: str) -> bytes:
    return (HERE / "static" / name).read_bytes()
