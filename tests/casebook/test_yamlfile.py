"""Every editorial file is read one way: the same one-line error for the same slip, whichever file."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.errors import EditorialError
from casebook.yamlfile import read_yaml


class _FileError(EditorialError):
    pass


def _error(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "e.yaml"
    path.write_bytes(content)
    with pytest.raises(_FileError) as caught:
        read_yaml(path, _FileError, "corrections file")
    message = str(caught.value)
    assert "\n" not in message and "<unicode string>" not in message and message.startswith(f"{path}")
    return message[len(str(path)):]


def test_reads_a_document(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("- case: 3\n  old: 社会福社\n  new: 社会福祉\n", encoding="utf-8")
    assert read_yaml(path, _FileError, "corrections file") == [{"case": 3, "old": "社会福社", "new": "社会福祉"}]


def test_a_file_saved_as_shift_jis_is_named_not_a_traceback(tmp_path: Path) -> None:
    assert _error(tmp_path, "- old: 社会福社\n".encode("shift_jis")) == (
        ": corrections file is not UTF-8 text (byte 7) — save it as UTF-8 (in an editor: 文字コード UTF-8), "
        "or restore it from git")


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(_FileError, match=r"nope\.yaml: corrections file not found — check the path$"):
        read_yaml(tmp_path / "nope.yaml", _FileError, "corrections file")


@pytest.mark.parametrize(("content", "said"), [
    (b"- case: 3\n\told: x\n", ", line 2, column 1: a tab in the indentation (indent with spaces)"),
    (b"- old: 'x\n", ", line 2, column 1: a quote that is never closed"),
    (b"- case: 3\n  old: a: b\n", ", line 2, column 9: a ':' where no 'key: value' can start"),
])
def test_the_usual_slips_in_an_editor_s_words_with_line_and_column(tmp_path: Path, content: bytes,
                                                                   said: str) -> None:
    assert _error(tmp_path, content).startswith(said)
