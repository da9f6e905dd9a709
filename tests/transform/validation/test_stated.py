"""Chapter 3's statements parsed from the shipped PDF: values, pages and sentences."""

from __future__ import annotations

import copy

from tests.transform.validation.helpers import edited
from transform.records import Report
from transform.validation.stated import parse_stated


def test_hearing_count_with_its_page_and_sentence(report: Report) -> None:
    hearing = parse_stated(report).hearing
    assert hearing is not None
    assert (hearing.value, hearing.page) == (29, 10)
    assert hearing.sentence.endswith("取り組みの内容にバラつきが出ないように対象を選定し、29件をヒアリング対象とした。")


def test_table_3_1_rows_keep_the_printed_names(report: Report) -> None:
    table = parse_stated(report).table
    rows = table.value
    assert (len(rows), table.page) == (29, 10)
    assert [r.no for r in rows] == list(range(1, 30))
    assert (rows[18].name, rows[18].category) == ("阿蘇・菊池福祉ネットワーク アソウエルプラス", "緩やかな連携")
    assert (rows[28].name, rows[0].category) == ("ライフサポート山野", "緊密な連携")


def test_member_bins_with_ranges_and_open_end(report: Report) -> None:
    bins = parse_stated(report).bins
    assert [(b.label, b.count.value) for b in bins] == [
        ("2法人", 2), ("3法人", 8), ("4法人", 2), ("5法人", 2), ("6法人", 4), ("7法人", 1), ("9法人", 1),
        ("10法人", 2), ("11～20法人", 4), ("21～30法人", 1), ("30法人以上", 1),
    ]
    three = bins[1]
    assert (three.low, three.high, three.count.value, three.count.page) == (3, 3, 8, 58)
    assert three.count.sentence.startswith("2法人2件、3法人8件、4法人2件")
    assert (bins[8].low, bins[8].high) == (11, 20)
    assert (bins[-1].low, bins[-1].high) == (30, None)


def test_exclusion_note_names_case_23(report: Report) -> None:
    exclusions = parse_stated(report).exclusions
    assert [(c.no, c.name) for c in exclusions.value] == [(23, "ひがまつBLUEネット")]
    assert exclusions.page == 59
    assert exclusions.sentence.startswith("※なお、事例23ひがまつBLUEネットは")


def test_area_counts(report: Report) -> None:
    stated = parse_stated(report)
    assert (stated.area_single.value, stated.area_single.page) == (23, 59)
    assert (stated.area_multiple.value, stated.area_multiple.page) == (6, 59)
    assert stated.area_multiple.sentence == "同一都道府県内の法人間の連携23件、複数の都道府県に跨る法人間の連携6件"


def test_six_businesses_with_totals_and_split_by_category(report: Report) -> None:
    businesses = {b.name: b for b in parse_stated(report).businesses}
    assert list(businesses) == ["地域福祉支援業務", "災害時支援業務", "経営支援業務", "貸付業務", "人材確保等業務", "物資等供給業務"]
    summary = {name: b.total.value for name, b in businesses.items()}
    assert summary == {"地域福祉支援業務": 22, "災害時支援業務": 18, "経営支援業務": 20, "貸付業務": 1,
                       "人材確保等業務": 26, "物資等供給業務": 19}
    local = businesses["地域福祉支援業務"]
    assert local.total.sentence.startswith("今回ヒアリングを実施した各事例について、実施状況は、地域福祉支援業務22件")
    assert (local.listed_total.value, local.listed_total.page) == (22, 59)
    assert {k: (v.value, v.page) for k, v in local.by_category.items()} == {"緊密な連携": (16, 59), "緩やかな連携": (6, 59)}
    assert businesses["経営支援業務"].by_category["緩やかな連携"].page == 60  # the bullet printed on the next page


def test_loans_stated_for_one_category_only_imply_zero_for_the_other(report: Report) -> None:
    loans = {b.name: b for b in parse_stated(report).businesses}["貸付業務"]
    assert {k: v.value for k, v in loans.by_category.items()} == {"緊密な連携": 1, "緩やかな連携": 0}
    assert loans.by_category["緩やかな連携"].sentence == "• 貸付業務（緊密な連携1件）：参加法人への資金貸付"


def test_triggers_and_reasons_with_their_groups(report: Report) -> None:
    stated = parse_stated(report)
    assert [(t.label, t.count.value) for t in stated.triggers] == [
        ("既存会議体・イベント等での接点", 13), ("経営層同士のつながり", 9), ("同一経営者・グループ法人", 3),
        ("推進役による周囲の法人への個別の声掛け", 5), ("経営相談や業務委託依頼", 2),
    ]
    assert stated.triggers[3].group == "既存の関係性がなく新たに関係構築した事例"
    assert [(r.label, r.count.value, r.count.page) for r in stated.reasons] == [
        ("人材不足・人材確保", 16, 60), ("経営基盤の安定化", 11, 60), ("人材育成・資質の向上", 5, 60),
        ("災害時対応力の向上", 5, 61), ("身寄りのない高齢者への支援", 3, 61),
    ]


def test_every_statement_is_found_on_the_shipped_pdf(report: Report) -> None:
    assert parse_stated(report).missing == []


def test_an_edited_statement_is_parsed_not_remembered(report: Report) -> None:
    stated = parse_stated(edited(report, "3法人8件", "3法人9件"))
    assert [b.count.value for b in stated.bins if b.label == "3法人"] == [9]
    assert parse_stated(edited(report, "29件をヒアリング対象", "31件をヒアリング対象")).hearing.value == 31


def test_a_section_that_is_gone_is_named_as_missing(report: Report) -> None:
    copied = copy.deepcopy(report)
    for section in copied.outline:
        if "社員法人数" in section.title:
            section.paragraphs.clear()
    assert parse_stated(copied).missing == ["社員法人数の区分（「N法人M件、…」）"]


def test_method_notes_reach_every_count_they_govern(report: Report) -> None:
    """The summary section's title governs all its counts; a sentence's 「…について」 clause its own
    numbers and those after it; a ※ note that looks back, the numbers before it."""
    stated = parse_stated(report)
    heading = "3.3 ヒアリング調査結果のまとめ（見出し）"
    exclusion = stated.exclusions.sentence
    assert stated.bins[0].count.notes == [heading, exclusion]
    assert stated.area_single.notes == [heading]
    local = next(b for b in stated.businesses if b.name == "地域福祉支援業務")
    clause = "今回ヒアリングを実施した各事例について"
    assert local.total.notes == [heading, "【社会福祉連携推進業務】", clause]
    assert local.by_category["緊密な連携"].notes == [heading, "【社会福祉連携推進業務】", clause]
    assert stated.reasons[0].count.notes == [heading, "【協働化を実施する主な理由】",
                                             "※以下、重複カウント有。ヒアリング結果から集計。"]
    assert parse_stated(report).hearing.notes == []
