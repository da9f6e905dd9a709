"""The one walk of the item tree (transform.records.walk) and the iterators built on it."""

from __future__ import annotations

import pytest

from transform.records import Case, walk


def test_walk_gives_items_depth_first_with_their_levels(cases: dict[int, Case]) -> None:
    step = cases[21].steps[2]  # ③: a list of goals, one with a nested example
    walked = [(section.heading, level, item.text[:10]) for section, item, level in step.iter_items()]
    assert walked == [
        ("一般社団法人の設立", 1, "平成28年に結成され"),
        ("一般社団法人の設立", 1, "しかし、地域医療連携"),
        ("目標策定", 1, "行動理念として、「妻"),
        ("目標策定", 1, "以下4つの重点目標が"),
        ("目標策定", 2, "第一に、妻有地域にお"),
        ("目標策定", 2, "第二に、人材不足が深"),
        ("目標策定", 2, "第三に、法人間連携の"),
        ("目標策定", 3, "具体的には、公益的取"),
        ("目標策定", 2, "第四に、事務局体制が"),
    ]
    goals = step.sections[1].items[1]
    assert [(i.text[:3], lv) for i, lv in walk(goals.children, 2)] == [
        ("第一に", 2), ("第二に", 2), ("第三に", 2), ("具体的", 3), ("第四に", 2)]


def test_case_items_are_its_steps_items_in_order(cases: dict[int, Case]) -> None:
    case = cases[25]
    by_case = [(step.step, item.text, level) for step, _section, item, level in case.iter_items()]
    by_step = [(step.step, item.text, level) for step in case.steps for _s, item, level in step.iter_items()]
    assert by_case == by_step
    assert [level for _step, _text, level in by_case if level > 1].count(3) == 1


# --- publication settings ([publication] of casebook.toml) -----------------------------------------

def test_missing_publication_settings_fall_back_to_the_documented_defaults() -> None:
    from pathlib import Path

    from transform.records import DEFAULT_ORGANISATION, DEFAULT_TITLE, Publication

    assert Publication.from_mapping({}, Path("casebook.toml")) == Publication(DEFAULT_TITLE, DEFAULT_ORGANISATION, None)
    assert Publication.from_mapping(None, Path("casebook.toml")).title == DEFAULT_TITLE
    given = Publication.from_mapping({"organisation": " 老健局 事例集編集室 ", "edition": "第2版"}, Path("c.toml"))
    assert (given.title, given.organisation, given.edition) == (DEFAULT_TITLE, "老健局 事例集編集室", "第2版")


@pytest.mark.parametrize(("values", "message"), [
    ({"organisation": 3}, "c.toml: [publication] organisation must be text in quotes, not int"),
    ({"edition": ""}, "c.toml: [publication] edition is empty — write it on one line"),
    ({"title": "一行目\n二行目"}, "c.toml: [publication] title holds a line break"),
    ({"title": "長" * 121}, "c.toml: [publication] title is longer than 120 characters"),
    ({"author": "x"}, "c.toml: [publication] has an unknown setting 'author' — the settings are title, organisation, edition"),
])
def test_a_malformed_publication_setting_is_one_line_naming_the_file(values, message) -> None:
    from pathlib import Path

    from casebook.errors import EditorialError
    from transform.records import Publication

    with pytest.raises(EditorialError) as caught:
        Publication.from_mapping(values, Path("c.toml"))
    assert caught.value.message.startswith(message) and "\n" not in caught.value.message
