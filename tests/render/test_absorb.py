"""Tracked changes and comments of a reviewed casebook.docx → correction entries and review notes.

The reviewed files are the casebook as render/docx.py writes it, edited with Word-style XML written
by hand (tests/render/wordedit.py): runs split mid-word, a deletion over two runs, an insertion in
a nested item, comments over an item and over a revision, revisions in the cover and in generated
labels. Every expectation is the exact entry an editor would otherwise have typed."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from lxml import etree

from flows.pipeline import Corrected, correct
from render.absorb import Absorption, absorb
from render.docx import render_docx
from render.revisions import read_reviewed
from tests.paths import PROJECT
from tests.render import wordedit
from tests.render.wordedit import Comment, Revise
from transform.corrections import Correction, apply_corrections, load_corrections
from transform.records import BuildInfo, Report
from transform.review_notes import ReviewNote

SHIPPED = PROJECT.editorial.corrections
ITEM = "また、議員連盟等の場での議論に関与する中で、ケアマネジャーが本来業務の範囲を超えて、身元保証や生活調整等のシャドーワークを担っている状況を把握し、"


def build(report: Report, sha256: str | None = None) -> BuildInfo:
    return BuildInfo(None, "2026-12-01T10:00:00+09:00", report.source, sha256 or report.sha256)


@pytest.fixture(scope="module")
def corrected(report: Report) -> Corrected:
    """The shipped records with the shipped errata, as the casebook prints them."""
    return correct(report, SHIPPED)


@pytest.fixture(scope="module")
def casebook(corrected: Corrected) -> bytes:
    return render_docx(corrected.report, None, corrected.applied, build(corrected.report), paginate=False)


def absorbed(docx: bytes, corrected: Corrected, changes, existing: list[Correction] | None = None,
             notes: list[ReviewNote] | None = None) -> Absorption:
    document = read_reviewed(wordedit.edit(docx, changes), "/tmp/校正/casebook.docx")
    return absorb(document, corrected.report, load_corrections(SHIPPED) if existing is None else existing,
                  notes or [])


def test_a_deletion_and_insertion_in_one_item_of_case_3_step_1_is_one_entry(casebook, corrected) -> None:
    result = absorbed(casebook, corrected, [Revise("_cb3_1_i0_1", [
        ("same", ITEM + "問題意識を"), ("del", "抱い"), ("ins", "持っ"), ("same", "ていた。")])])
    assert result.corrections == [Correction(
        3, 1, "意識を抱いていた", "意識を持っていた", "Wordでの修正（校正者A、2026-12-04）",
        note="casebook.docx の変更履歴から取り込み（事例3 ① 項目「また、議員連盟等の場での議論に関…」）",
        by="校正者A", date="2026-12-04")]
    assert (result.conflicts, result.not_absorbable, result.notes, result.warnings) == ([], [], [], [])
    # The entry applies to the records as they are, and prints the new text.
    fixed, _ = apply_corrections(corrected.report, result.corrections)
    assert fixed.cases[2].steps[0].sections[0].items[1].text.endswith("問題意識を持っていた。")


def test_a_run_split_mid_word_reads_as_one_word(casebook, corrected) -> None:
    text = "各法人に、かねてよりコンサルタント・評議員・理事として関与してきた者が、各法人に対して連携の趣旨や課題意識について説明を行った。説明後、理事長同士の話し合いに進み、協働化に向けた合意形成を進めた。"
    head, tail = text.split("評議員", 1)
    result = absorbed(casebook, corrected, [Revise("_cb3_2_i0_0", [
        ("same", [head[:12], head[12:]]), ("del", "評議員"), ("ins", "監事"), ("same", [tail[:5], tail[5:]])])])
    assert head[:12].endswith("コン") and head[12:].startswith("サルタント")  # the word is split between runs
    assert [(c.case, c.step, c.old, c.new) for c in result.corrections] == [
        (3, 2, "ント・評議員・理事", "ント・監事・理事")]


def test_a_deletion_spanning_two_runs(casebook, corrected) -> None:
    text = "連携の検討段階では、推進役がかねてよりコンサルタント・評議員・理事として関与してきた法人数より、多くの法人数が関与していた。しかし、連携の実効性や継続性を見極めるため、6法人を選定して設立した。"
    before, after = text.split("かねてより", 1)
    result = absorbed(casebook, corrected, [Revise("_cb3_3_i0_1", [
        ("same", before), ("del", ["かねて", "より"]), ("same", after)])])
    # ③ says 「かねてよりコンサルタント」 like ② does: the place is the step, and there it is unique.
    assert [(c.case, c.step, c.old, c.new) for c in result.corrections] == [(3, 3, "進役がかねてよりコンサ", "進役がコンサ")]


def test_an_insertion_in_a_nested_item(casebook, corrected) -> None:
    result = absorbed(casebook, corrected, [Revise("_cb3_4_i0_1", [
        ("same", "理事会は、"), ("ins", "主に"), ("same", "連携推進法人全体の方針や大枠の方向性を決定する役割を担っている。")])])
    assert [(c.case, c.step, c.old, c.new) for c in result.corrections] == [(3, 4, "会は、連携推", "会は、主に連携推")]
    fixed, _ = apply_corrections(corrected.report, result.corrections)
    nested = fixed.cases[2].steps[3].sections[0].items[0].children[0]
    assert nested.text == "理事会は、主に連携推進法人全体の方針や大枠の方向性を決定する役割を担っている。"


def test_old_is_widened_until_it_occurs_once_in_the_step(casebook, corrected) -> None:
    # 「ト事業、人材」 is in two items of 事例3 ④: the entry takes one more character.
    text = "委員会は、終身サポート事業、人材施策、災害対応など、事業ごとに設置している。法人横断で実務的な検討や情報共有を行う場であり、取り組みの進捗状況や課題について確認し、次に進める内容を整理している。"
    head, tail = text.split("事業、人材施策", 1)
    result = absorbed(casebook, corrected, [Revise("_cb3_4_i0_2", [
        ("same", head + "事業"), ("ins", "等"), ("same", "、人材施策" + tail)])])
    assert [(c.old, c.new) for c in result.corrections] == [("ト事業、人材施", "ト事業等、人材施")]


def test_revisions_close_together_are_one_entry_and_far_apart_two(casebook, corrected) -> None:
    text = "令和7年に、6法人（東京都2法人、神奈川県3法人、島根県1法人）が参画し社会福祉連携推進法人を設立した。"
    result = absorbed(casebook, corrected, [Revise("_cb3_3_i0_0", [
        ("same", "令和7年に、"), ("del", "6"), ("ins", "六"), ("same", "法人（東京都"), ("del", "2"), ("ins", "二"),
        ("same", "法人、神奈川県3法人、島根県1法人）が参画し社会福祉連携推進法人を"), ("del", "設立した"), ("ins", "設立している"),
        ("same", "。")])])
    assert text == "令和7年に、6法人（東京都2法人、神奈川県3法人、島根県1法人）が参画し社会福祉連携推進法人を設立した。"
    assert [(c.old, c.new) for c in result.corrections] == [
        ("年に、6法人（東京都2法人、", "年に、六法人（東京都二法人、"),
        ("を設立した。", "を設立している。")]  # 「設立した。」 ends another item of ③ too


def test_a_comment_on_a_revision_is_its_reason(casebook, corrected) -> None:
    result = absorbed(casebook, corrected, [
        Revise("_cb3_1_i0_1", [("same", ITEM + "問題意識を"), ("del", "抱い"), ("ins", "持っ"), ("same", "ていた。")]),
        Comment("_cb3_1_i0_1", "表記を事業者の原稿に合わせる", passage="持っ"),  # on the inserted text
    ])
    assert [(c.reason, c.by) for c in result.corrections] == [("表記を事業者の原稿に合わせる", "校正者A")]
    assert result.notes == []


def test_a_comment_spanning_an_item_is_a_review_note(casebook, corrected) -> None:
    result = absorbed(casebook, corrected, [Comment("_cb3_5_i0_0", "KGI・KPIの達成状況を追記できるか事業者に確認")])
    assert result.notes == [ReviewNote(
        3, 5, "KGI・KPIの達成状況を追記できるか事業者に確認", "校閲者B", "2026-12-04",
        "高齢者等終身サポート事業、人材施策、災害対応の3事業について、ロードマップに基づき検討と実装を進めている。",
        "casebook.docx")]
    assert result.corrections == []


def test_a_comment_over_several_items_is_one_note_on_the_first(casebook, corrected) -> None:
    result = absorbed(casebook, corrected, [Comment("_cb3_2_i1_0", "この2項目は統合してよいか", end="_cb3_2_i1_1")])
    [note] = result.notes
    assert (note.case, note.step, note.location) == (3, 2, "事例3 ②")
    # The passage it covers, the items parted by 「／」 and cut at 80 characters.
    assert note.quote == ("まず経営層間で課題認識とロードマップの共有を行い、管理者層、現場職員へと段階的に議論の場を広げていった。"
                          "／委員会組織を設け、法人横断で連携を進める体制を構築した…")


def test_a_revision_in_the_cover_is_listed_not_absorbed(casebook, corrected) -> None:
    result = absorbed(casebook, corrected, [
        Revise("介護事業所の協働化 事例集", [("same", "介護事業所の協働化 "), ("del", "事例集"), ("ins", "事例集（案）")], find=True),
        Comment("_cb3_5_i0_0", "確認"),
    ])
    assert result.corrections == [] and result.conflicts == []
    [item] = result.not_absorbable
    assert item.where == "表紙（「介護事業所の協働化 事例集」）"
    assert item.what == "削除「事例集」、挿入「事例集（案）」"
    assert "生成される部分" in item.why
    assert len(result.notes) == 1  # the rest of the file is still absorbed


def test_revisions_in_the_contents_and_the_appendix_are_listed_not_absorbed(casebook, corrected) -> None:
    result = absorbed(casebook, corrected, [
        Revise("事例一覧", [("del", "事例一覧"), ("ins", "事例の一覧")], find=True),
        Revise("研修会を定期的で開催し", [("same", "研修会を定期的"), ("del", "で"), ("ins", "に"), ("same", "開催し")],
               find=True),
    ])
    assert [(n.where, n.what) for n in result.not_absorbable] == [
        ("目次（「事例一覧」）", "削除「事例一覧」、挿入「事例の一覧」"),
        ("付録B 正誤表（編集上の訂正）（「研修会を定期的で開催し」）", "削除「で」、挿入「に」")]
    assert result.corrections == []


def test_generated_labels_and_tables_are_listed_not_absorbed(casebook, corrected) -> None:
    name = "社会福祉連携推進法人ありがとう安心サポート協会"
    result = absorbed(casebook, corrected, [
        Revise("_cb3", [("same", "事例"), ("del", "3"), ("ins", "30"), ("same", " " + name)]),
        Revise("報告書 p.12–14（PDF 15–17）", [("same", "報告書 p."), ("del", "12"), ("ins", "11"),
                                            ("same", "–14（PDF 15–17）")], find=True),  # the case's table
    ])
    assert [(n.where, n.what) for n in result.not_absorbable] == [
        ("事例3 事例名", "削除「3」、挿入「30」"),
        (f"事例3 {name}（「報告書 p.12–14（PDF …」）", "削除「12」、挿入「11」")]
    assert "「事例N」の番号" in result.not_absorbable[0].why


def test_the_case_name_and_a_step_label_are_case_text(casebook, corrected) -> None:
    result = absorbed(casebook, corrected, [
        Revise("_cb3", [("same", "事例3 社会福祉連携推進法人"), ("ins", "　"), ("same", "ありがとう安心サポート協会")]),
        Revise("_cb3_2", [("same", "②信頼醸成・"), ("del", "試験的"), ("ins", "試行的"), ("same", "連携")]),
    ])
    assert [(c.case, c.step, c.old, c.new) for c in result.corrections] == [
        (3, None, "進法人ありが", "進法人　ありが"), (3, 2, "成・試験的連携", "成・試行的連携")]
    fixed, applied = apply_corrections(corrected.report, result.corrections)
    assert fixed.cases[2].name == "社会福祉連携推進法人　ありがとう安心サポート協会"
    assert fixed.cases[2].steps[1].label == "②信頼醸成・試行的連携"
    assert [a.location for a in applied] == ["事例3 事例名", "事例3 ②"]


def test_a_step_label_printed_with_a_restored_circled_number(casebook, corrected) -> None:
    # 事例18's table prints ① without its number; the casebook restores 「①」, which is not case text.
    assert corrected.report.cases[17].steps[0].label == "連携の契機と課題の共有"
    result = absorbed(casebook, corrected, [
        Revise("_cb18_1", [("same", "①連携の契機と課題の"), ("ins", "把握と"), ("same", "共有")])])
    assert [(c.case, c.step, c.old, c.new) for c in result.corrections] == [(18, 1, "課題の共有", "課題の把握と共有")]
    numbered = absorbed(casebook, corrected, [Revise("_cb18_1", [("del", "①"), ("ins", "1."), ("same", "連携の契機と課題の共有")])])
    assert numbered.corrections == [] and numbered.not_absorbable[0].where == "事例18 ① ステップ名"


def test_a_split_paragraph_and_a_deleted_item_are_listed_not_absorbed(casebook, corrected) -> None:
    reviewed = wordedit.edit(casebook, [Revise("_cb3_5_i0_0", [
        ("del", "高齢者等終身サポート事業、人材施策、災害対応の3事業について、ロードマップに基づき検討と実装を進めている。")])])
    root_parts = _parts(reviewed)
    root = etree.fromstring(root_parts["word/document.xml"])
    p = wordedit.paragraph(root, "_cb3_2_i1_1")
    mark = etree.SubElement(etree.SubElement(p.find(wordedit.w("pPr")), wordedit.w("rPr")), wordedit.w("ins"))
    mark.set(wordedit.w("id"), "1"), mark.set(wordedit.w("author"), "校正者A"), mark.set(wordedit.w("date"), wordedit.DATE)
    root_parts["word/document.xml"] = etree.tostring(root)
    document = read_reviewed(wordedit._write(root_parts), "casebook.docx")
    result = absorb(document, corrected.report, load_corrections(SHIPPED))
    assert result.corrections == []
    assert [(n.where, n.why.split("は取り込めません")[0]) for n in result.not_absorbable] == [
        ("事例3 ② 項目「委員会組織を設け、法人横断で連携…」", "段落の追加・削除・分割・結合"),
        ("事例3 ⑤ 項目「高齢者等終身サポート事業、人材施…」", "文の全体を消す変更")]


def test_an_edit_inside_an_earlier_correction_is_a_conflict(casebook, corrected) -> None:
    # The shipped erratum turned 「定期的で開催し」 into 「定期的に開催し」; the reviewer changes that 「に」.
    text = corrected.report.cases[0].steps[4].sections[0].items[0].text
    head, tail = text.split("定期的に開催し", 1)
    result = absorbed(casebook, corrected, [Revise("_cb1_5_i0_0", [
        ("same", head + "定期的"), ("del", "に"), ("ins", "として"), ("same", "開催し" + tail)])])
    assert result.corrections == []
    [conflict] = result.conflicts
    assert conflict.where.startswith("事例1 ⑤ 項目「共通課題に基づく研修会")
    assert conflict.why.startswith("overlaps correction #1 (「研修会を定期的で開催し」→「研修会を定期的に開催し」)")


def test_an_edit_whose_text_changed_since_the_build_is_a_conflict(report, corrected, casebook, tmp_path) -> None:
    errata = tmp_path / "corrections.yaml"
    errata.write_text(SHIPPED.read_text(encoding="utf-8") + "\n- {case: 3, step: 1, old: 転居ができない, "
                      "new: 転居が難しい, reason: 表現}\n", encoding="utf-8")
    now = correct(report, errata)  # the corrections file moved on after this casebook was built
    text = corrected.report.cases[2].steps[0].sections[0].items[0].text
    head, tail = text.split("転居", 1)
    document = read_reviewed(wordedit.edit(casebook, [Revise("_cb3_1_i0_0", [
        ("same", head), ("del", "転居"), ("ins", "住み替え"), ("same", tail)])]), "casebook.docx")
    result = absorb(document, now.report, load_corrections(errata))
    [conflict] = result.conflicts
    assert (conflict.old, conflict.new) == ("入居、転居ができ", "入居、住み替えができ")
    added = len(load_corrections(SHIPPED)) + 1  # the entry appended to the shipped ones
    assert conflict.why.startswith(f"overlaps correction #{added} (「転居ができない」→「転居が難しい」)")


def test_a_casebook_of_another_source_maps_by_text_with_a_warning(corrected) -> None:
    older = render_docx(corrected.report, None, corrected.applied, build(corrected.report, "0" * 64), paginate=False)
    result = absorbed(older, corrected, [Revise("_cb3_1_i0_1", [
        ("same", ITEM + "問題意識を"), ("del", "抱い"), ("ins", "持っ"), ("same", "ていた。")])])
    assert [(c.case, c.step, c.old) for c in result.corrections] == [(3, 1, "意識を抱いていた")]
    [warning] = result.warnings
    assert warning.startswith("事例3 ① 項目「また、議員連盟等の場での議論に関…」: mapped by its text to 事例3 ① — "
                              "casebook.docx was built from another source (SHA-256 000000000000…")


def test_absorbing_twice_adds_nothing(casebook, corrected, report) -> None:
    changes = [Revise("_cb3_1_i0_1", [("same", ITEM + "問題意識を"), ("del", "抱い"), ("ins", "持っ"), ("same", "ていた。")]),
               Comment("_cb3_5_i0_0", "確認をお願いします")]
    first = absorbed(casebook, corrected, changes)
    existing = [*load_corrections(SHIPPED), *first.corrections]
    now = dataclasses.replace(corrected, report=apply_corrections(report, existing)[0])
    second = absorbed(casebook, now, changes, existing=existing, notes=first.notes)
    assert (second.corrections, second.notes, second.conflicts) == ([], [], [])
    assert (second.already, second.notes_already) == (1, 1)


def test_a_revision_without_an_author_names_its_place(casebook) -> None:
    from render.revisions import ReviewedDocumentError

    reviewed = wordedit.edit(casebook, [Revise("_cb3_1_i0_1", [
        ("same", ITEM + "問題意識を"), ("del", "抱い"), ("ins", "持っ"), ("same", "ていた。")], author=None)])
    with pytest.raises(ReviewedDocumentError) as info:
        read_reviewed(reviewed, "/tmp/r/casebook.docx")
    assert str(info.value).startswith("/tmp/r/casebook.docx: tracked change w:id=")
    assert "(事例3 社会福祉連携推進法人ありがとう安心サポート協会, 「また、議員連盟等の場での議論に関与する中…」) has no author (w:author)" in str(info.value)


def _parts(docx: bytes) -> dict[str, bytes]:
    return copy.deepcopy(wordedit._read(docx))

