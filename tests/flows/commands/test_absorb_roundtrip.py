"""The editors' round trip with real files: a published casebook.docx reviewed in Word (tracked
changes and comments written as Word writes them) and in LibreOffice (changes recorded by
LibreOffice itself, saved with its Word filter), and a confirmation sheet edited in LibreOffice
with the recording the sheet switches on — each absorbed with `casebook absorb`, then the casebook
built again with those files: every edit is in the Word file, the PDF and the site, and in 付録B
with its reviser and date; every comment is a review note on validation.html."""

from __future__ import annotations

import io
import re
import shutil

import docx
import pdfplumber
import pytest

from flows.cli import main
from tests.paths import PROJECT
from tests.render import wordedit
from tests.render.office_edit import office_edit
from tests.render.wordedit import Comment, Revise
from transform.corrections import Correction, load_corrections
from transform.export import report_files
from transform.records import Report
from transform.review_notes import load_review_notes

pytestmark = pytest.mark.office

ITEM31 = "また、議員連盟等の場での議論に関与する中で、ケアマネジャーが本来業務の範囲を超えて、身元保証や生活調整等のシャドーワークを担っている状況を把握し、"
ITEM32 = "各法人に、かねてよりコンサルタント・評議員・理事として関与してきた者が、各法人に対して連携の趣旨や課題意識について説明を行った。説明後、理事長同士の話し合いに進み、協働化に向けた合意形成を進めた。"
ITEM33 = "連携の検討段階では、推進役がかねてよりコンサルタント・評議員・理事として関与してきた法人数より、多くの法人数が関与していた。しかし、連携の実効性や継続性を見極めるため、6法人を選定して設立した。"
SHEET7 = "事例07_社会福祉連携推進法人きょうと福祉キャリアサポート.docx"

# (old passage as printed, new passage): what each reviewed file changes, as readers see it afterwards.
EDITS = {
    "word": [
        (ITEM31 + "問題意識を抱いていた。", ITEM31 + "問題意識を持っていた。"),  # del + ins in one item of 事例3 ①
        (ITEM32, ITEM32.replace("評議員", "監事")),  # a run split mid-word next to it
        (ITEM33, ITEM33.replace("かねてより", "")),  # a deletion over two runs
        ("理事会は、連携推進法人全体の方針", "理事会は、主に連携推進法人全体の方針"),  # a nested item
    ],
    "libreoffice": [("参画法人の確保が難航した", "参画法人の確保に苦労した")],  # 事例11 ②
    "sheet": [("丁寧な説明や情報共有の必要性", "丁寧な説明と情報共有の必要性")],  # 事例7 ⑥, on its sheet
}


@pytest.fixture(scope="module")
def trip(report: Report, tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("roundtrip")
    source = root / "report.json"
    source.write_bytes(report_files(report)["report.json"])
    corrections, notes = root / "corrections.yaml", root / "notes.yaml"
    shutil.copyfile(PROJECT.editorial.corrections, corrections)
    shutil.copyfile(PROJECT.editorial.notes, notes)
    editorial = ["--corrections", str(corrections), "--notes", str(notes)]
    assert main(["render", str(source), "--out", str(root / "first"), "--quiet", *editorial]) == 0
    published = (root / "first" / "casebook.docx").read_bytes()

    # Reviewed in Word: the XML Word writes, by hand.
    word = root / "casebook_校正者A.docx"
    word.write_bytes(wordedit.edit(published, [
        Revise("_cb3_1_i0_1", [("same", ITEM31 + "問題意識を"), ("del", "抱い"), ("ins", "持っ"), ("same", "ていた。")]),
        Revise("_cb3_2_i0_0", [("same", [ITEM32[:12], ITEM32[12:18]]), ("del", "評議員"), ("ins", "監事"),
                               ("same", ITEM32[21:])]),
        Revise("_cb3_3_i0_1", [("same", ITEM33[:14]), ("del", ["かねて", "より"]), ("same", ITEM33[19:])]),
        Revise("_cb3_4_i0_1", [("same", "理事会は、"), ("ins", "主に"),
                               ("same", "連携推進法人全体の方針や大枠の方向性を決定する役割を担っている。")]),
        Comment("_cb3_5_i0_0", "KGI・KPIの達成状況を追記できるか事業者に確認"),
        Revise("介護事業所の協働化 事例集", [("same", "介護事業所の協働化 "), ("del", "事例集"), ("ins", "事例集（案）")],
               find=True),
    ]))
    # Reviewed in LibreOffice: recorded by LibreOffice itself.
    libreoffice = root / "casebook_校正者C.docx"
    data, said = office_edit(published, "校正者C", [
        {"replace": "参画法人の確保が難航した", "with": "参画法人の確保に苦労した"},
        {"comment": "中四国地方の前例の有無を確認", "on": "中四国地方に前例がない"},
    ])
    assert said == {"done": 2, "recording": True}
    libreoffice.write_bytes(data)
    # A confirmation sheet, returned from its organisation after editing in LibreOffice: the sheet
    # itself switches recording on.
    assert main(["sheets", str(source), "--out", str(root / "sheets"), "--quiet", *editorial]) == 0
    data, said = office_edit((root / "sheets" / SHEET7).read_bytes(), "きょうと福祉キャリアサポート 担当",
                             [{"replace": "丁寧な説明や情報共有", "with": "丁寧な説明と情報共有"}], record=False)
    assert said == {"done": 1, "recording": True}
    sheet = root / "返送_事例07.docx"
    sheet.write_bytes(data)

    outputs = {}
    for name, reviewed in (("word", word), ("libreoffice", libreoffice), ("sheet", sheet)):
        before = load_corrections(corrections)
        assert main(["absorb", str(reviewed), "--source", str(source), *editorial]) == 0
        outputs[name] = load_corrections(corrections)[len(before):]
    assert main(["render", str(source), "--out", str(root / "second"), "--quiet", *editorial]) == 0
    return {"root": root, "added": outputs, "notes": load_review_notes(notes), "corrections": corrections,
            "word": word, "source": source, "editorial": editorial}


def test_each_reviewed_file_adds_its_entries(trip: dict) -> None:
    added = trip["added"]
    assert [(c.case, c.step, c.old, c.new, c.by, c.date) for c in added["word"]] == [
        (3, 1, "意識を抱いていた", "意識を持っていた", "校正者A", "2026-12-04"),
        (3, 2, "ント・評議員・理事", "ント・監事・理事", "校正者A", "2026-12-04"),
        (3, 3, "進役がかねてよりコンサ", "進役がコンサ", "校正者A", "2026-12-04"),
        (3, 4, "会は、連携推", "会は、主に連携推", "校正者A", "2026-12-04")]
    [lo] = added["libreoffice"]
    assert (lo.case, lo.step, lo.by) == (11, 2, "校正者C")
    assert lo.old.count("難航した") == 1 and lo.new.count("苦労した") == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", lo.date) and lo.reason == f"Wordでの修正（校正者C、{lo.date}）"
    [returned] = added["sheet"]
    assert (returned.case, returned.step, returned.by) == (7, 6, "きょうと福祉キャリアサポート 担当")
    assert (returned.old, returned.new) == ("な説明や情報共", "な説明と情報共")
    assert returned.note.startswith("返送_事例07.docx の変更履歴から取り込み（事例7 ⑥ 項目「")


def test_comments_are_review_notes_on_the_validation_page(trip: dict) -> None:
    notes = trip["notes"]
    assert [(n.case, n.step, n.note, n.by) for n in notes] == [
        (3, 5, "KGI・KPIの達成状況を追記できるか事業者に確認", "校閲者B"),
        (11, 2, "中四国地方の前例の有無を確認", "校正者C")]
    assert notes[1].quote == "中四国地方に前例がない"
    page = (trip["root"] / "second" / "validation.html").read_text(encoding="utf-8")
    assert "校閲者のコメント（2件）" in page and "中四国地方の前例の有無を確認" in page


def test_every_edit_is_in_word_pdf_and_html(trip: dict) -> None:
    second = trip["root"] / "second"
    document = docx.Document(io.BytesIO((second / "casebook.docx").read_bytes()))
    word = "\n".join(p.text for p in document.paragraphs)
    with pdfplumber.open(second / "casebook.pdf") as pdf:
        printed = re.sub(r"\s", "", "".join(page.extract_text() or "" for page in pdf.pages))
    # The appendix quotes the old text, rightly: cut where it begins — the title's second mention (the
    # first is the table of contents); it may run over pages, each with its title in the running header.
    printed = printed[:[m.start() for m in re.finditer("付録B正誤表（編集上の訂正）", printed)][1]]
    site = {no: (second / "html" / f"case-{no}.html").read_text(encoding="utf-8") for no in (3, 7, 11)}
    for (old, new), no in [*((e, 3) for e in EDITS["word"]), (EDITS["libreoffice"][0], 11), (EDITS["sheet"][0], 7)]:
        assert new in word and old not in word, new
        assert re.sub(r"\s", "", new) in printed and re.sub(r"\s", "", old) not in printed, new
        assert new in site[no] and old not in site[no], new
    # The cover's title was not absorbable: it prints as before.
    assert "事例集（案）" not in word


def test_appendix_b_lists_each_edit_with_its_reviser_and_date(trip: dict) -> None:
    second = trip["root"] / "second"
    document = docx.Document(io.BytesIO((second / "casebook.docx").read_bytes()))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    listed = {(r[1], r[2]): r[3] for r in rows if len(r) == 4}
    appendix = (second / "html" / "appendix.html").read_text(encoding="utf-8")
    for entries in trip["added"].values():
        for c in entries:
            assert listed[(c.old, c.new)].startswith(f"Wordでの修正（{c.by}、{c.date}）"), c
            assert f'<td data-label="訂正前">{c.old}</td><td data-label="訂正後">{c.new}</td>' in appendix
            assert f"Wordでの修正（{c.by}、{c.date}）" in appendix


def test_absorbing_again_adds_nothing(trip: dict, capsys: pytest.CaptureFixture[str]) -> None:
    written = trip["corrections"].read_bytes()
    capsys.readouterr()
    assert main(["absorb", str(trip["word"]), "--source", str(trip["source"]), *trip["editorial"]]) == 0
    assert trip["corrections"].read_bytes() == written
    assert "corrections +0 (4 already there)" in capsys.readouterr().out


def test_the_entries_are_what_an_editor_would_have_typed(trip: dict) -> None:
    last = load_corrections(trip["corrections"])[-1]
    assert isinstance(last, Correction) and last.file == str(trip["corrections"])
    text = trip["corrections"].read_text(encoding="utf-8")
    assert text.startswith(PROJECT.editorial.corrections.read_text(encoding="utf-8"))  # comments and order kept
