"""The identifiers a casebook .docx carries: one hidden bookmark per paragraph of case text, and
custom properties saying what the document is and which source it was built from."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from casebook.vocabulary import step_name
from render import wordids
from render.docx import render_docx
from render.wordids import Place
from transform.records import BuildInfo, Report, walk


@pytest.mark.parametrize(("place", "name"), [
    (Place(3), "_cb3"),
    (Place(3, 1, "label"), "_cb3_1"),
    (Place(29, 6, "heading", 2), "_cb29_6_h2"),
    (Place(3, 4, "item", 0, 3), "_cb3_4_i0_3"),
    (Place(3, 6, "note", None, 0), "_cb3_6_n0"),
])
def test_a_place_and_its_bookmark_name_each_other(place: Place, name: str) -> None:
    assert place.bookmark == name
    assert wordids.parse(name) == place
    assert len(name) <= 40 and name.startswith("_")  # Word: at most 40 characters; "_" hides it


@pytest.mark.parametrize("other", ["case_3", "case_3_step_1", "_Toc12345", "_cb", "_cb3_1_x2", "_cb3_1_i0"])
def test_other_bookmarks_name_no_place(other: str) -> None:
    assert wordids.parse(other) is None


def test_every_paragraph_of_case_text_carries_its_place(report: Report) -> None:
    info = BuildInfo(None, "2026-12-01T10:00:00+09:00", report.source, report.sha256)
    data = render_docx(report, None, [], info, paginate=False)
    document = docx.Document(io.BytesIO(data))
    marked: dict[Place, str] = {}
    for p in document.paragraphs:
        for start in p._p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bookmarkStart"):
            place = wordids.parse(start.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}name"))
            if place is not None:
                marked[place] = p.text
    expected: dict[Place, str] = {}
    for case in report.cases:
        expected[Place(case.no)] = f"事例{case.no} {case.name}"
        for step in case.steps:
            expected[Place(case.no, step.step, "label")] = step_name(step.step, step.label)
            for s, section in enumerate(step.sections):
                if section.heading:
                    expected[Place(case.no, step.step, "heading", s)] = section.heading
                for i, (item, _) in enumerate(walk(section.items)):
                    expected[Place(case.no, step.step, "item", s, i)] = item.text
            for n, note in enumerate(step.notes):
                expected[Place(case.no, step.step, "note", None, n)] = note
    assert marked == expected
    assert len(marked) == 29 + 29 * 6 + sum(len(list(s.iter_items())) for c in report.cases for s in c.steps) + \
        sum(1 for c in report.cases for s in c.steps for sec in s.sections if sec.heading) + \
        sum(len(s.notes) for c in report.cases for s in c.steps)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert wordids.read_properties(z.read("docProps/custom.xml")) == {
            "CasebookDocument": "casebook", "CasebookIdentifiers": "1", "CasebookSourceSHA256": report.sha256}
