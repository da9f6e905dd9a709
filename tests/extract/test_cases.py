"""Case tables of the shipped PDF: counts, exact texts at page breaks, nesting, notes, labels."""

from __future__ import annotations

import re

from transform.records import Case, Item, Report


def _item(case: Case, step: int, startswith: str) -> Item:
    for st, _section, item, _level in case.iter_items():
        if st.step == step and item.text.startswith(startswith):
            return item
    raise AssertionError(f"no item starting {startswith!r} in 事例{case.no} step {step}")


def test_all_29_cases_with_six_steps(report: Report) -> None:
    assert [c.no for c in report.cases] == list(range(1, 30))
    assert [len(c.steps) for c in report.cases] == [6] * 29
    assert all([s.step for s in c.steps] == [1, 2, 3, 4, 5, 6] for c in report.cases)


def test_category_split_18_close_11_loose(report: Report) -> None:
    close = [c.no for c in report.cases if c.category == "緊密な連携"]
    loose = [c.no for c in report.cases if c.category == "緩やかな連携"]
    assert close == list(range(1, 19))
    assert loose == list(range(19, 30))


def test_598_items_in_all(report: Report) -> None:
    assert sum(1 for c in report.cases for _ in c.iter_items()) == 598


def test_item_crossing_a_page_break_is_whole(cases: dict[int, Case]) -> None:
    item = _item(cases[2], 2, "理念を伴わない多機能化は")
    assert item.pages == [13, 14]
    assert item.text == (
        "理念を伴わない多機能化は、結果として失敗につながりやすいと考えている。共通の理念を有して"
        "いるかを確認する手段として、参画を希望する法人には、2カ月に1回対面で開催される定例の例会"
        "にゲストとして参加してもらう。例会は施設見学を含む場合もあり、約7時間にわたり議論や意見交"
        "換が行われる。こうした長時間の対面での交流を通じて、参加者間の相互理解が深まり、エンゲー"
        "ジメントの醸成につながっている。"
    )


def test_label_split_across_pages_is_joined(cases: dict[int, Case]) -> None:
    step = cases[1].steps[3]
    assert (step.step, step.label, step.pages) == (4, "④協働活動の実行", [12, 13])
    assert [s.heading for s in step.sections] == ["参画法人の柔軟な関与", "事務局体制と役割分担"]
    assert step.sections[0].items[0].pages == [13]


def test_nested_items(cases: dict[int, Case]) -> None:
    parent = _item(cases[2], 3, "以下の4つのビジョンを基盤として")
    assert [c.text for c in parent.children] == [
        "自園の子どもだけではなく、地域の全ての子ども達に開かれた存在に。",
        "限られた子どもだけでなく誰ひとり取り残さないように。",
        "地域の中にあるだけでなく自らコミュニティを生み出す装置に。",
        "単体で存在するのではなくネットワークを形成するハブに。",
    ]


def test_third_level_item(cases: dict[int, Case]) -> None:
    parent = _item(cases[25], 4, "連携により70以上の事業所が参加する規模となり")
    (child,) = parent.children
    assert child.text == "具体例として、電力会社に対し大口割引（大規模特約）の交渉を行っている。"
    assert [g.text for g in child.children] == [
        "寄付金付き自動販売機を、役場支所、行政倉庫、公共工事現場等に27台設置している。"
    ]
    assert child.children[0].pages == [51]


def test_third_level_after_a_wrapped_second_level(cases: dict[int, Case]) -> None:
    parent = _item(cases[21], 3, "以下4つの重点目標がある。")
    assert [len(c.children) for c in parent.children] == [0, 0, 1, 0]
    assert parent.children[1].text == (
        "第二に、人材不足が深刻であることを踏まえ、人材確保・育成およびサービスの質の向上に向けた取り組み"
    )
    assert parent.children[2].children[0].text.startswith("具体的には、公益的取り組みや地域貢献活動")


def test_note_is_kept_with_its_step(cases: dict[int, Case]) -> None:
    step = cases[3].steps[5]
    assert step.notes == ["(※) 活動のための資金を、個人、企業、他の非営利組織、政府などから集める行為"]
    assert "ファンドレイジング(※)の方法" in _item(cases[3], 6, "所轄庁としての認可").text


def test_full_width_case_number(cases: dict[int, Case]) -> None:
    case = cases[11]  # printed 「事例１１」
    assert (case.name, case.region, case.prefectures) == (
        "社会福祉連携推進法人はあとライン", "山口県・滋賀県", ["山口県", "滋賀県"]
    )
    assert case.pages == [28, 29]
    assert case.steps[0].sections[0].heading == "地域課題の深刻化と緩やかな連携での限界"


def test_first_label_without_circled_number_is_step_1(cases: dict[int, Case]) -> None:
    first = cases[18].steps[0]
    assert (first.step, first.label) == (1, "連携の契機と課題の共有")


def test_region_with_city_gives_its_prefecture(cases: dict[int, Case]) -> None:
    assert (cases[16].region, cases[16].prefectures) == ("京都府京都市等", ["京都府"])
    assert cases[4].prefectures == ["北海道", "東京都", "岐阜県"]


def test_names_keep_corporate_form_as_printed(cases: dict[int, Case]) -> None:
    assert cases[29].name == "株式会社ライフサポート山野"
    assert cases[19].name == "阿蘇・菊池福祉ネットワーク アソウェルプラス"


def test_no_item_holds_running_text_glyphs_or_labels(report: Report) -> None:
    header = "株式会社NTTデータ経営研究所"
    for case in report.cases:
        labels = {s.label for s in case.steps}
        for _step, section, item, _level in case.iter_items():
            assert header not in item.text
            assert not re.fullmatch(r"\d{1,3}", item.text)
            assert item.text[0] not in "・•▶➤➢"
            assert not any(label in item.text for label in labels)
            assert section.heading is None or header not in section.heading


def test_every_step_page_lies_within_its_case(report: Report) -> None:
    for case in report.cases:
        for step in case.steps:
            assert set(step.pages) <= set(case.pages)
            for section in step.sections:
                for item in section.items:
                    assert set(item.pages) <= set(step.pages)
