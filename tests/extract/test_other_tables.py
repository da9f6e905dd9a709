"""Captioned tables, Chapter 3 text and Chapter 4 citations of the shipped PDF."""

from __future__ import annotations

from transform.records import Report


def test_captioned_tables_found_with_pages(report: Report) -> None:
    assert [(t.number, t.pages) for t in report.tables] == [
        ("2-2", [7, 8, 9]), ("3-1", [10, 11]), ("3-2", [11, 12]), ("4-2", [73]),
    ]


def test_table_3_1_merged_category_column_fills_every_row(report: Report) -> None:
    table = report.table("3-1")
    assert table is not None
    header, *rows = table.rows
    assert header == ["分類", "#", "ヒアリング先"]
    assert len(rows) == 29
    close = "緊密な連携\n(社会福祉連携推進法人)"
    assert rows[0] == [close, "事例1", "社会福祉連携推進法人秋田圏域社会福祉連携推進会"]
    assert {r[0] for r in rows[:18]} == {close}
    # 緩やかな連携 is one merged cell continued over the page break (事例23 starts page 11)
    assert {r[0] for r in rows[18:]} == {"緩やかな連携"}
    assert rows[22][1:] == ["事例23", "ひがまつBLUEネット"]
    assert rows[28][2] == "ライフサポート山野"


def test_table_4_2_merged_header_cells(report: Report) -> None:
    table = report.table("4-2")
    assert table is not None
    first, second = table.rows[:2]
    assert first[2] == first[3] == "各ステップにおいて重要なポイント"
    assert second[2:4] == ["緊密な連携", "緩やかな連携"]
    assert table.rows[2][:2] == ["STEP1\n仲間をつくる", "①連携の契機と課題の共有"]


def test_table_2_2_row_continued_over_a_page_is_merged(report: Report) -> None:
    table = report.table("2-2")
    assert table is not None
    kyotango = [r for r in table.rows if r[1].startswith("京丹後市")]
    assert kyotango[-1][3].split("\n") == [
        "社会福祉法人14法人", "株式会社3法人", "医療法人1法人", "NPO 4法人", "市立病院2院"
    ]


def test_chapter_3_section_3_statements_with_pages(report: Report) -> None:
    sections = {s.path: s for s in report.chapter(3)}
    bins = sections["3.3.(1)"]
    assert bins.title == "社員法人数"
    assert bins.paragraphs[0].text.startswith("2法人2件、3法人8件、4法人2件")
    assert bins.paragraphs[0].pages == [58]
    assert bins.paragraphs[1].text.startswith("※なお、事例23")
    assert bins.paragraphs[1].pages == [59]
    area = sections["3.3.(2)"].paragraphs[0]
    assert area.text == "同一都道府県内の法人間の連携23件、複数の都道府県に跨る法人間の連携6件"
    business = [p.text for p in sections["3.3.(3)"].paragraphs]
    expected = "➢ 緊密な連携(計16件):生計困難者支援、身寄りのない高齢者への終身サポートなどの公益的な取り組み"
    assert expected in [
        t.replace("（", "(").replace("）", ")").replace("：", ":") for t in business
    ]
    assert not any(t.startswith(("3 厚生労働省", "https://")) for t in business)  # footnotes


def test_hearing_count_statement(report: Report) -> None:
    sections = {s.path: s for s in report.chapter(3)}
    text = " ".join(p.text for p in sections["3.1.(1)"].paragraphs)
    assert "29件をヒアリング対象とした" in text


def test_chapter_4_citations(report: Report) -> None:
    cites = report.citations
    assert len(cites) == 67
    first = cites[0]
    assert (first.organisation, first.region, first.pages, first.section_path) == (
        "社会福祉連携推進法人福岡親和会", "福岡県", [62], "4.1.(1)"
    )
    assert first.quote.startswith("自治体・行政から見て、複数法人が連携し安定的に運営されている点が")
    broken = [c for c in cites if not c.closed]
    assert [(c.organisation, c.region) for c in broken] == [
        ("社会福社連携推進法人あたらしい保育イニシアチブ", "和歌山県")  # printed without ")"
    ]
    wrapped = [c for c in cites if c.organisation == "一般社団法人やす地域共生社会推進協会"]
    assert wrapped and all(c.region == "滋賀県" for c in wrapped)
    points = {c.point for c in cites if c.point}
    assert "① 連携の契機と課題の共有:既存の信頼関係と共通の構造的危機の特定" in {
        p.replace("：", ":") for p in points
    }


def test_title_page_and_document_information(report: Report) -> None:
    assert report.meta.title == "介護事業所における協働化等による職場環境改善の効果検証等に関する調査研究 成果報告書"
    assert report.meta.programme == "令和7年度 老人保健事業推進費等補助金 老人保健健康増進等事業"
    assert report.meta.publisher == "株式会社NTTデータ経営研究所"
    assert report.meta.issued == "令和8（2026）年3月"
