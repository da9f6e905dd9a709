"""Reading an editors' YAML file: one way, one kind of message.

Every editorial file (corrections, codebook, reviewed codings, QA decisions, proofreading
patterns, notes, table settings) is read here, so a file saved in the wrong encoding, a tab in the
indentation or a missing colon gives the same one-line error whichever file it is: the file, the
line and column, the slip in an editor's words, and what to do — never a traceback or PyYAML's
internals ("<unicode string>").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from casebook.errors import EditorialError

# libyaml's parser when PyYAML has it: the same documents, about ten times faster (the codebook
# and the reviewed codings are read on every build).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The parsers' words for the usual slips (libyaml's and PyYAML's own), in words an editor acts on.
_LINED_UP = "an entry that does not line up with the ones around it (check the indentation)"
_PROBLEMS = {
    "mapping values are not allowed": "a ':' where no 'key: value' can start (check the indentation, "
                                      "or put quotes around a value that contains ': ')",
    "could not find expected ':'": "a line that is not 'key: value' (check the indentation)",
    "did not find expected key": _LINED_UP,
    "did not find expected '-' indicator": _LINED_UP,
    "expected <block end>": _LINED_UP,
    "found character '\\t' that cannot start any token": "a tab in the indentation (indent with spaces)",
    "found a tab character": "a tab in the indentation (indent with spaces)",
    "found unexpected end of stream": "a quote that is never closed",
}


def read_text(path: Path, error: type[EditorialError], what: str) -> str:
    """The file's text as UTF-8, or `error` saying it is missing, unreadable or in another encoding."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: {what} not found — check the path") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: {what} is not UTF-8 text (byte {exc.start}) — save it as UTF-8 "
                    "(in an editor: 文字コード UTF-8), or restore it from git") from None
    except OSError as exc:
        raise error(f"{path}: {what} cannot be read ({exc.strerror or exc}) — check the file's "
                    "permissions, or restore it from git") from None


def parse(text: str, path: Path, error: type[EditorialError], what: str) -> Any:
    """The YAML document in `text`, or `error` naming the line and the slip."""
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise error(f"{path}{where(exc)}: {problem(exc)} — fix the {what} there, or restore it "
                    "from git") from None


def read_yaml(path: Path, error: type[EditorialError], what: str) -> Any:
    """Read and parse an editorial YAML file (see `read_text`, `parse`)."""
    return parse(read_text(path, error, what), path, error, what)


def where(exc: yaml.YAMLError) -> str:
    """「, line 8, column 7」 for the error's mark (1-based), or nothing."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def problem(exc: yaml.YAMLError) -> str:
    """The slip in an editor's words (PyYAML's own words when it is not a usual one)."""
    said = str(getattr(exc, "problem", "") or "").strip()
    for known, plain in _PROBLEMS.items():
        if said.startswith(known):
            return plain
    return f"not valid YAML ({said or exc.__class__.__name__})"
