"""Adding entries to an editors' YAML file (corrections, review notes) the way an editor would:
at the end, with a blank line before each, every comment, entry and quoting style of the file
kept as it was (ruamel.yaml's round trip), and the file replaced in one rename, so that a reader
sees either the old file or the new one, never half of it.
"""

from __future__ import annotations

import difflib
import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from casebook.errors import EditorialError, PublishError, one_line


def _yaml() -> YAML:
    yaml = YAML()  # round trip: comments, order and quotes survive
    yaml.indent(mapping=2, sequence=2, offset=0)  # "- case: 1\n  step: 5", as the shipped files are
    yaml.width = 4096  # never fold a long note
    yaml.preserve_quotes = True
    return yaml


def appended(text: str, entries: Sequence[Mapping[str, Any]], *, file: str = "") -> str:
    """The YAML list `text` with `entries` added at its end (`file` names it in errors)."""
    if not entries:
        return text
    yaml = _yaml()
    try:
        data = yaml.load(text) if text.strip() else None
    except YAMLError as exc:
        raise EditorialError(f"{file}: not valid YAML ({one_line(exc)}) — fix the file's syntax") from None
    new = [CommentedMap(entry.items()) for entry in entries]
    if data is None:  # an empty file, or only comments: keep them, start the list after them
        seq = CommentedSeq(new)
        for index in range(1, len(seq)):
            seq.yaml_set_comment_before_after_key(index, before="\n")
        head = text.rstrip("\n")
        return (head + "\n\n" if head else "") + _dump(yaml, seq)
    if not isinstance(data, list):
        raise EditorialError(f"{file}: expected a list of entries — the file holds something else")
    first = len(data)
    for entry in new:
        data.append(entry)
        if len(data) > 1:
            data.yaml_set_comment_before_after_key(len(data) - 1, before="\n")
    text = _dump(yaml, data)
    return text if first else text.lstrip("\n")


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def diff(path: Path, before: str, after: str) -> str:
    """A unified diff of a file's text, as `--dry-run` prints it."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 f"{path} (now)", f"{path} (absorbed)")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def replace_files(texts: Mapping[Path, str]) -> None:
    """Replace each file with its new text: every new text is written beside its file first, and
    only when all are on disk does each take its file's place in one rename (keeping the file's
    permissions). A failure before the renames leaves every file as it was."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in texts.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o7777)
    except OSError as exc:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise PublishError(f"{exc.filename or path}: cannot write ({one_line(exc)}) — free disk space or "
                           "fix the folder's permissions; the editorial files are unchanged") from None
    for tmp, path in staged:
        os.replace(tmp, path)
