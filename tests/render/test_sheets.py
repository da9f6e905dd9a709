"""Confirmation sheets: one .docx per case, its text as the casebook prints it with the same
identifiers, track changes on, and a returned sheet absorbs like the casebook."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from flows.pipeline import Corrected, correct
from render import wordids
from render.absorb import absorb
from render.revisions import read_reviewed
from render.sheets import render_sheets
from tests.paths import PROJECT
from tests.render import wordedit
from tests.render.wordedit import Revise
from transform.corrections import load_corrections
from transform.records import BuildInfo, Report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NAME = "事例03_社会福祉連携推進法人ありがとう安心サポート協会.docx"


@pytest.fixture(scope="module")
def corrected(report: Report) -> Corrected:
    return correct(report, PROJECT.editorial.corrections)


@pytest.fixture(scope="module")
def sheets(corrected: Corrected) -> dict[str, bytes]:
    info = BuildInfo("第1版", "2026-12-01T10:00:00+09:00", corrected.report.source, corrected.report.sha256)
    return render_sheets(corrected.report, None, corrected.applied, info)


def test_one_sheet_per_case_named_by_number_and_organisation(sheets: dict[str, bytes]) -> None:
    assert len(sheets) == 29
    assert sorted(sheets)[:3] == ["事例01_社会福祉連携推進法人秋田圏域社会福祉連携推進会.docx",
                                  "事例02_社会福祉連携推進法人あたらしい保育イニシアチブ.docx", NAME]
    assert "事例09_社会福祉連携推進法人ジョイント&リップル.docx" in sheets


def test_a_sheet_asks_for_tracked_corrections_and_shows_its_source_pages(sheets: dict[str, bytes]) -> None:
    data = sheets[NAME]
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["事例確認シート", "事例3 社会福祉連携推進法人ありがとう安心サポート協会"]
    assert any("p.12–14（PDF 15–17）の記載から作成し" in t for t in texts)
    assert any("変更履歴の記録が有効になっています" in t for t in texts)
    assert document.settings.element.find(f"{W}trackRevisions") is not None
    # The settings stay in the schema's order: trackRevisions before defaultTabStop.
    tags = [child.tag for child in document.settings.element]
    assert tags.index(f"{W}trackRevisions") < tags.index(f"{W}defaultTabStop")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert wordids.read_properties(z.read("docProps/custom.xml"))["CasebookDocument"] == "sheet"
    places = {wordids.parse(b.get(f"{W}name")) for b in document.element.iter(f"{W}bookmarkStart")} - {None}
    assert {p.case for p in places} == {3} and wordids.Place(3) in places
    assert "社会福祉法人の経営に関わる中で、独居高齢者や意思決定が困難になってきている高齢者が、身元保証がないことを理由に" \
           "入院や施設入居、転居ができない実態を把握していた。" in texts


def test_a_returned_sheet_absorbs_like_the_casebook(sheets: dict[str, bytes], corrected: Corrected) -> None:
    returned = wordedit.edit(sheets[NAME], [Revise("_cb3_5_i0_0", [
        ("same", "高齢者等終身サポート事業、人材施策、災害対応の3事業について、ロードマップに基づき検討と実装を"),
        ("del", "進めている"), ("ins", "進め、一部を開始している"), ("same", "。")], author="ありがとう安心サポート協会 佐藤")])
    document = read_reviewed(returned, NAME)
    assert document.kind == "sheet"
    result = absorb(document, corrected.report, load_corrections(PROJECT.editorial.corrections))
    [entry] = result.corrections
    assert (entry.case, entry.step, entry.old, entry.new, entry.by) == (
        3, 5, "を進めている", "を進め、一部を開始している", "ありがとう安心サポート協会 佐藤")
    assert entry.note == f"{NAME} の変更履歴から取り込み（事例3 ⑤ 項目「高齢者等終身サポート事業、人材施…」）"
    assert result.not_absorbable == [] and result.conflicts == []
