"""Reading a reviewed .docx: its paragraphs with their revisions, comments and places — and the
files that are no reviewed casebook, each refused in one line that says what to do."""

from __future__ import annotations

import io

import docx
import pytest

from render.docx import render_docx
from render.revisions import ReviewedDocumentError, day, read_reviewed
from tests.render import wordedit
from tests.render.wordedit import Comment, Revise
from transform.records import BuildInfo, Report

REMEDY = "absorb the casebook.docx a build published or a sheet `casebook sheets` wrote, as it came back"


@pytest.fixture(scope="module")
def casebook(report: Report) -> bytes:
    info = BuildInfo(None, "2026-12-01T10:00:00+09:00", report.source, report.sha256)
    return render_docx(report, None, [], info, paginate=False)


def test_pieces_keep_who_changed_what(casebook: bytes, report: Report) -> None:
    text = "理事会・委員会・事務局の体制で協働活動を実行している。"
    reviewed = wordedit.edit(casebook, [
        Revise("_cb3_4_i0_0", [("same", ["理事会・委", "員会・"]), ("del", ["事務", "局"]), ("ins", "事務局等"),
                               ("same", text[11:])], author="校正者A", date="2026-12-04T09:30:00Z"),
        Comment("_cb3_4_i0_0", "「等」で足りるか", passage="の体制で"),
    ])
    document = read_reviewed(reviewed, "C:\\Users\\editor\\Documents\\casebook.docx")
    assert (document.name, document.kind, document.source_sha256) == ("casebook.docx", "casebook", report.sha256)
    [para] = [p for p in document.paragraphs if "_cb3_4_i0_0" in p.bookmarks]
    assert para.before == text and para.after == text.replace("事務局", "事務局等")
    assert [(p.text, p.deleted.author if p.deleted else None, p.inserted.day if p.inserted else None)
            for p in para.pieces if p.revised] == [("事務", "校正者A", None), ("局", "校正者A", None),
                                                  ("事務局等", None, "2026-12-04")]
    assert para.style == "list bullet" and not para.in_table
    [comment] = document.comments
    assert (comment.author, comment.text, comment.day) == ("校閲者B", "「等」で足りるか", "2026-12-04")
    start, end = comment.start, comment.end
    assert start.paragraph == end.paragraph == para.index
    assert para.text[start.offset:end.offset] == "の体制で"


def test_a_comment_without_a_date_and_odd_dates() -> None:
    assert day("0-00-00T00:00:00Z") == "" and day("") == "" and day("2026-12-04T10:00:00") == "2026-12-04"


def test_not_a_docx(tmp_path) -> None:
    with pytest.raises(ReviewedDocumentError) as info:
        read_reviewed("事例3 の修正です".encode(), "修正.docx")
    assert str(info.value) == ("修正.docx: not a .docx (not a zip package) — save it in Word as a Word document "
                               "(.docx) and absorb that")


def test_a_damaged_zip(casebook: bytes) -> None:
    with pytest.raises(ReviewedDocumentError) as info:
        read_reviewed(casebook[: len(casebook) // 2], "casebook.docx")
    message = str(info.value)
    assert message.startswith("casebook.docx: damaged .docx (") and message.endswith(
        ") — copy the file again from where it was sent, or save it again in Word")
    assert "\n" not in message


def test_a_docx_that_is_no_casebook() -> None:
    other = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("議事録")
    document.save(other)
    with pytest.raises(ReviewedDocumentError) as info:
        read_reviewed(other.getvalue(), "議事録.docx")
    assert str(info.value) == ("議事録.docx: not a casebook or confirmation sheet (it carries no casebook "
                               f"identifiers) — {REMEDY}")


def test_a_revision_in_the_header_is_kept_apart(casebook: bytes) -> None:
    parts = wordedit._read(casebook)
    header = next(name for name in parts if name.startswith("word/header"))
    xml = parts[header].decode()
    run_start = xml.index("<w:r>")
    parts[header] = (xml[:run_start] + '<w:ins w:id="7" w:author="校正者A" w:date="2026-12-04T00:00:00Z">'
                     '<w:r><w:t>（案）</w:t></w:r></w:ins>' + xml[run_start:]).encode()
    document = read_reviewed(wordedit._write(parts), "casebook.docx")
    assert [(o.part, o.revision.kind, o.text) for o in document.other] == [("ヘッダー", "ins", "（案）")]

