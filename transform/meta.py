"""The source's bibliographic data: PDF document information first, the title page otherwise."""

from __future__ import annotations

import re

from extract.layout import TextRun
from transform.records import SourceMeta
from transform.text import clean

# An issue date as Japanese reports print it: 「令和8（2026）年3月」, 「2026年3月」.
_ISSUED = re.compile(r"(?:令和|平成)?\s*[0-9０-９元]+\s*[（(]?[0-9０-９]*[)）]?\s*年\s*[0-9０-９]{1,2}\s*月")


def source_meta(info: dict[str, str], title_page: list[TextRun]) -> SourceMeta:
    """Title, programme, publisher and issue date of the report."""
    lines = [clean(r.text) for r in title_page]
    issued = next((ln for ln in lines if _ISSUED.fullmatch(ln)), None)
    return SourceMeta(
        title=_info(info, "Title") or _largest_lines(title_page),
        programme=_info(info, "Subject"),
        publisher=_info(info, "Author") or (lines[-1] if lines and lines[-1] != issued else None),
        issued=issued,
    )


def _info(info: dict[str, str], key: str) -> str | None:
    value = clean(info.get(key, ""))
    return value or None


def _largest_lines(runs: list[TextRun]) -> str | None:
    """The title page's largest type, joined (a title often wraps over two lines)."""
    if not runs:
        return None
    size = max(r.size for r in runs)
    return clean("".join(r.text for r in runs if r.size >= size - 0.5)) or None
