"""`casebook absorb` end to end: a reviewed casebook.docx into copies of the editorial files —
exactly the entries its edits make, nothing twice, nothing at all when an edit conflicts (unless
--partial), and bad input refused in one line with the files untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.cli import main
from flows.pipeline import correct
from render.docx import render_docx
from tests.paths import PROJECT
from tests.render import wordedit
from tests.render.wordedit import Comment, Revise
from transform.corrections import Correction, load_corrections
from transform.export import report_files
from transform.records import BuildInfo, Report
from transform.review_notes import load_review_notes

ITEM = "また、議員連盟等の場での議論に関与する中で、ケアマネジャーが本来業務の範囲を超えて、身元保証や生活調整等のシャドーワークを担っている状況を把握し、"
ACCEPTANCE = Revise("_cb3_1_i0_1", [("same", ITEM + "問題意識を"), ("del", "抱い"), ("ins", "持っ"), ("same", "ていた。")])


@pytest.fixture(scope="module")
def source(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped report's records as `casebook extract` writes them (not parsed again per test)."""
    path = tmp_path_factory.mktemp("records") / "report.json"
    path.write_bytes(report_files(report)["report.json"])
    return path


@pytest.fixture(scope="module")
def casebook(report: Report) -> bytes:
    corrected = correct(report, PROJECT.editorial.corrections)
    info = BuildInfo(None, "2026-12-01T10:00:00+09:00", report.source, report.sha256)
    return render_docx(corrected.report, None, corrected.applied, info, paginate=False)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    corrections, notes = tmp_path / "corrections.yaml", tmp_path / "notes.yaml"
    shutil.copyfile(PROJECT.editorial.corrections, corrections)
    shutil.copyfile(PROJECT.editorial.notes, notes)
    return corrections, notes


def run(docx: Path, files: tuple[Path, Path], source: Path, *more: str) -> int:
    return main(["absorb", str(docx), "--corrections", str(files[0]), "--notes", str(files[1]),
                 "--source", str(source), *more])


def test_a_tracked_edit_in_case_3_step_1_becomes_one_entry_once(
    casebook: bytes, files: tuple[Path, Path], source: Path, tmp_path: Path, report: Report,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reviewed = tmp_path / "casebook_校正済み.docx"
    reviewed.write_bytes(wordedit.edit(casebook, [ACCEPTANCE]))
    before = load_corrections(files[0])
    assert run(reviewed, files, source) == 0
    after = load_corrections(files[0])
    assert after[:-1] == before and len(after) == len(before) + 1
    assert after[-1] == Correction(3, 1, "意識を抱いていた", "意識を持っていた", "Wordでの修正（校正者A、2026-12-04）",
                                   note="casebook_校正済み.docx の変更履歴から取り込み（事例3 ① 項目「また、議員連盟等の場での議論に関…」）",
                                   by="校正者A", date="2026-12-04")
    assert capsys.readouterr().out == (
        f"casebook absorb: casebook_校正済み.docx: corrections +1 → {files[0]}; review notes +0 → {files[1]}; "
        "not absorbable 0\n")
    # The records with that file print the new text, not the old.
    item = correct(report, files[0]).report.cases[2].steps[0].sections[0].items[1].text
    assert item.endswith("問題意識を持っていた。") and "抱いていた" not in item
    written = files[0].read_bytes()
    assert run(reviewed, files, source) == 0  # again: nothing to add
    assert files[0].read_bytes() == written
    assert capsys.readouterr().out.endswith("corrections +0 (1 already there) → " + f"{files[0]}; review notes +0 → "
                                            f"{files[1]}; not absorbable 0\n")


def test_dry_run_prints_the_diff_and_writes_nothing(casebook, files, source, tmp_path, capsys) -> None:
    reviewed = tmp_path / "r.docx"
    reviewed.write_bytes(wordedit.edit(casebook, [ACCEPTANCE, Comment("_cb3_5_i0_0", "KPIを確認")]))
    before = [f.read_bytes() for f in files]
    assert run(reviewed, files, source, "--dry-run") == 0
    assert [f.read_bytes() for f in files] == before
    out = capsys.readouterr().out
    assert f"--- {files[0]} (now)\n+++ {files[0]} (absorbed)\n" in out
    assert "+- case: 3\n+  step: 1\n+  old: 意識を抱いていた\n+  new: 意識を持っていた\n" in out
    assert f"+++ {files[1]} (absorbed)\n" in out and "+  note: KPIを確認\n" in out
    assert out.endswith(f"r.docx (dry run, nothing written): corrections +1 → {files[0]}; review notes +1 → "
                        f"{files[1]}; not absorbable 0\n")


def test_comments_become_review_notes(casebook, files, source, tmp_path) -> None:
    reviewed = tmp_path / "r.docx"
    reviewed.write_bytes(wordedit.edit(casebook, [Comment("_cb3_5_i0_0", "KPIを確認", author="QA 山田")]))
    assert run(reviewed, files, source) == 0
    [note] = load_review_notes(files[1])
    assert (note.case, note.step, note.note, note.by, note.document) == (3, 5, "KPIを確認", "QA 山田", "r.docx")
    assert "# Review notes:" in files[1].read_text(encoding="utf-8")  # the file's own comments stay


def test_a_conflict_writes_nothing_unless_partial(casebook, files, source, tmp_path, capsys) -> None:
    item = "共通課題に基づく研修会を定期的に開催し"
    text = next(p for p in wordedit._read(casebook)["word/document.xml"].decode().split("<w:t>") if p.startswith(item))
    text = text.split("</w:t>")[0]
    reviewed = tmp_path / "r.docx"
    reviewed.write_bytes(wordedit.edit(casebook, [ACCEPTANCE, Revise("_cb1_5_i0_0", [
        ("same", "共通課題に基づく研修会を定期的"), ("del", "に"), ("ins", "として"), ("same", text[len(item) - 3:])])]))
    before = [f.read_bytes() for f in files]
    assert run(reviewed, files, source) == 2
    captured = capsys.readouterr()
    assert [f.read_bytes() for f in files] == before
    assert captured.out == ("conflict: 事例1 ⑤ 項目「共通課題に基づく研修会を定期的に…」: 「定期的に開催し」→「定期的として開催し」 — "
                            "overlaps correction #1 (「研修会を定期的で開催し」→「研修会を定期的に開催し」) of the corrections "
                            "file — amend that correction instead\n")
    assert captured.err == (f"casebook absorb: error: {reviewed}: 1 edits conflict with the records or the corrections "
                            "file (listed above); nothing written — resolve them in Word or by hand, or write the "
                            "others with --partial\n")
    assert run(reviewed, files, source, "--partial") == 0
    assert len(load_corrections(files[0])) == len(load_corrections(PROJECT.editorial.corrections)) + 1
    assert "1 conflicts skipped (--partial)" in capsys.readouterr().out


def test_changes_outside_case_text_are_listed(casebook, files, source, tmp_path, capsys) -> None:
    reviewed = tmp_path / "r.docx"
    reviewed.write_bytes(wordedit.edit(casebook, [Revise("介護事業所の協働化 事例集", [
        ("same", "介護事業所の協働化 "), ("del", "事例集"), ("ins", "事例集（案）")], find=True)]))
    assert run(reviewed, files, source) == 0
    out = capsys.readouterr().out
    assert out.startswith("not absorbable: 表紙（「介護事業所の協働化 事例集」）: 削除「事例集」、挿入「事例集（案）」 — "
                          "事例の本文（事例名・ステップ名・見出し・項目・注記）以外の変更は")
    assert "not absorbable 1\n" in out
    assert load_corrections(files[0]) == load_corrections(PROJECT.editorial.corrections)


def _damaged(casebook: bytes) -> bytes:
    return casebook[: len(casebook) * 2 // 3]


def _no_author(casebook: bytes) -> bytes:
    return wordedit.edit(casebook, [Revise("_cb3_1_i0_1", [("same", ITEM + "問題意識を"), ("del", "抱い"),
                                                           ("same", "ていた。")], author=None)])


def _other_docx(casebook: bytes) -> bytes:
    import io

    import docx
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


@pytest.mark.parametrize(("make", "problem"), [
    (lambda c: "これは事例集ではありません\n".encode(), "not a .docx (not a zip package) — save it in Word as a Word "
                                                      "document (.docx) and absorb that"),
    (_damaged, "damaged .docx ("),
    (_other_docx, "not a casebook or confirmation sheet (it carries no casebook identifiers) — absorb the "
                  "casebook.docx a build published or a sheet `casebook sheets` wrote, as it came back"),
    (_no_author, "tracked change w:id="),
])
def test_bad_input_is_one_line_exit_2_and_the_files_untouched(
    make, problem: str, casebook, files, source, tmp_path, capsys,
) -> None:
    reviewed = tmp_path / "reviewed.docx"
    reviewed.write_bytes(make(casebook))
    before = [f.read_bytes() for f in files]
    assert run(reviewed, files, source) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"casebook absorb: error: {reviewed}: {problem}")
    assert captured.err.count("\n") == 1
    assert [f.read_bytes() for f in files] == before


def test_a_missing_file_is_one_line(files, source, tmp_path, capsys) -> None:
    assert run(tmp_path / "nope.docx", files, source) == 2
    assert capsys.readouterr().err == (f"casebook absorb: error: {tmp_path / 'nope.docx'}: cannot read the file "
                                       "(No such file or directory) — check the path\n")
