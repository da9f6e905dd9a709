"""Entries added to an editors' YAML file keep everything the editors wrote: comments, order,
quoting, blank lines; the files are replaced whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from casebook.errors import EditorialError, PublishError
from flows.editorial_yaml import appended, diff, replace_files
from tests.paths import PROJECT

ENTRY = {"case": 3, "step": 1, "old": "入居、転居ができ", "new": "入居、住み替えができ",
         "reason": "Wordでの修正（校正者A、2026-12-04）", "by": "校正者A", "date": "2026-12-04",
         "note": "casebook.docx の変更履歴から取り込み（事例3 ① 項目「社会福祉法人の…」）"}


def test_entries_go_at_the_end_and_everything_else_stays() -> None:
    shipped = PROJECT.editorial.corrections.read_text(encoding="utf-8")
    text = appended(shipped, [ENTRY, {**ENTRY, "old": "b: c", "new": "d"}])
    assert text.startswith(shipped)  # the comments, entries and blank lines, byte for byte
    assert text[len(shipped):] == (
        "\n- case: 3\n  step: 1\n  old: 入居、転居ができ\n  new: 入居、住み替えができ\n"
        "  reason: Wordでの修正（校正者A、2026-12-04）\n  by: 校正者A\n  date: '2026-12-04'\n"
        "  note: casebook.docx の変更履歴から取り込み（事例3 ① 項目「社会福祉法人の…」）\n"
        "\n- case: 3\n  step: 1\n  old: 'b: c'\n  new: d\n"
        "  reason: Wordでの修正（校正者A、2026-12-04）\n  by: 校正者A\n  date: '2026-12-04'\n"
        "  note: casebook.docx の変更履歴から取り込み（事例3 ① 項目「社会福祉法人の…」）\n")
    assert yaml.safe_load(text)[-2:] == [ENTRY, {**ENTRY, "old": "b: c", "new": "d"}]
    assert appended(shipped, []) is shipped


@pytest.mark.parametrize("start", ["", "# only a comment\n# and another\n", "[]\n"])
def test_a_file_without_entries_gets_its_first(start: str) -> None:
    text = appended(start, [ENTRY])
    assert yaml.safe_load(text) == [ENTRY]
    assert text.startswith(start.rstrip("\n").replace("[]", "") if start != "[]\n" else "")


def test_a_file_that_is_no_list_is_an_error() -> None:
    with pytest.raises(EditorialError, match=r"^c\.yaml: expected a list of entries"):
        appended("case: 3\n", [ENTRY], file="c.yaml")
    with pytest.raises(EditorialError, match=r"^c\.yaml: not valid YAML \("):
        appended("- case: [3\n", [ENTRY], file="c.yaml")


def test_files_are_replaced_whole_keeping_their_mode(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("old a\n", encoding="utf-8")
    b.write_text("old b\n", encoding="utf-8")
    os.chmod(a, 0o640)
    replace_files({a: "new a\n", b: "new b\n"})
    assert (a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")) == ("new a\n", "new b\n")
    assert a.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]  # no temporary files left


def test_when_one_file_cannot_be_written_none_is(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("old a\n", encoding="utf-8")
    with pytest.raises(PublishError, match="the editorial files are unchanged"):
        replace_files({a: "new a\n", tmp_path / "missing" / "b.yaml": "new b\n"})
    assert a.read_text(encoding="utf-8") == "old a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_diff_is_a_unified_diff_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    assert diff(path, "a\n", "a\nb\n") == f"--- {path} (now)\n+++ {path} (absorbed)\n@@ -1 +1,2 @@\n a\n+b\n"
