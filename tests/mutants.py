"""Deterministic damaged copies of a PDF, for the fuzz test and the fuzz benchmark.

Each kind imitates a way a real file gets damaged: a few flipped bytes (bad disk or transfer), a
truncation (interrupted download), a zeroed 4 KB block (a lost disk sector), a page's content
stream deleted from the file (bytes cut out, so the cross-reference table no longer matches), and
a page whose content stream was emptied, or lost its text objects but kept its drawings, by a tool
that rewrote the file consistently (a valid PDF that silently lost a page's text: only the content
checks can see it). A mutant is fully
determined by (kind, seed), so a failure can be replayed.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pikepdf

from casebook.errors import RecordError
from extract.errors import ExtractionError
from flows.pipeline import extract_pdf
from transform.records import Report

KINDS = ("flip", "truncate", "zero4k", "drop-stream", "blank-page", "strip-text")
_OBJ = re.compile(rb"(?m)^(\d+) (\d+) obj\b")


@dataclass(frozen=True)
class Mutant:
    kind: str
    seed: int
    what: str  # a short description: offsets, object number, page
    data: bytes

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.seed}"


def mutant(clean: bytes, kind: str, seed: int) -> Mutant:
    """The mutant of `clean` of this kind and seed."""
    rng = random.Random(f"{kind}:{seed}")
    data, what = _MAKERS[kind](clean, rng)
    return Mutant(kind, seed, what, data)


def mutants(clean: bytes, per_kind: int, first_seed: int = 0) -> list[Mutant]:
    """`per_kind` mutants of every kind, seeds first_seed, first_seed + 1, …"""
    return [mutant(clean, kind, s) for kind in KINDS for s in range(first_seed, first_seed + per_kind)]


def _flip(clean: bytes, rng: random.Random) -> tuple[bytes, str]:
    data = bytearray(clean)
    offsets = sorted(rng.randrange(len(data)) for _ in range(rng.randint(1, 3)))
    for off in offsets:
        data[off] ^= rng.randrange(1, 256)
    return bytes(data), "bytes at " + ", ".join(map(str, offsets))


def _truncate(clean: bytes, rng: random.Random) -> tuple[bytes, str]:
    cut = rng.randrange(1, len(clean))
    return clean[:cut], f"cut at {cut} of {len(clean)}"


def _zero4k(clean: bytes, rng: random.Random) -> tuple[bytes, str]:
    start = rng.randrange(0, len(clean) - 4096)
    return clean[:start] + bytes(4096) + clean[start + 4096 :], f"zeroed {start}–{start + 4096}"


def _content_objects(clean: bytes) -> list[tuple[int, int]]:
    """(page number, object number) of every page's content stream."""
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        out = []
        for number, page in enumerate(pdf.pages, start=1):
            contents = page.obj.get("/Contents")
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            out += [(number, s.objgen[0]) for s in streams if s is not None and s.is_indirect]
        return out


def _drop_stream(clean: bytes, rng: random.Random) -> tuple[bytes, str]:
    page, objnum = rng.choice(_content_objects(clean))
    starts = {int(m[1]): m.start() for m in _OBJ.finditer(clean)}
    start = starts[objnum]
    end = clean.index(b"endobj", start) + len(b"endobj")
    return clean[:start] + clean[end:], f"object {objnum} (page {page}'s content) cut out"


def _blank_page(clean: bytes, rng: random.Random) -> tuple[bytes, str]:
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        number = rng.randrange(len(pdf.pages)) + 1
        pdf.pages[number - 1].obj.Contents = pdf.make_stream(b"")
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue(), f"page {number}'s content emptied (file rewritten)"


_TEXT_OBJECT = re.compile(rb"(?s)\bBT\b.*?\bET\b")


def _strip_text(clean: bytes, rng: random.Random) -> tuple[bytes, str]:
    with pikepdf.open(io.BytesIO(clean)) as pdf:
        number = rng.randrange(len(pdf.pages)) + 1
        page = pdf.pages[number - 1]
        page.contents_coalesce()
        page.obj.Contents = pdf.make_stream(_TEXT_OBJECT.sub(b"", page.obj.Contents.read_bytes()))
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue(), f"page {number}'s text objects removed, drawings kept (file rewritten)"


_MAKERS = {
    "flip": _flip,
    "truncate": _truncate,
    "zero4k": _zero4k,
    "drop-stream": _drop_stream,
    "blank-page": _blank_page,
    "strip-text": _strip_text,
}


def comparable(report: Report) -> dict:
    """A report's content without what names the file (its path and hash differ per mutant)."""
    data = asdict(report)
    data.pop("source")
    data.pop("sha256")
    return data


@dataclass(frozen=True)
class Outcome:
    verdict: str  # "refused" | "unclear" (refused, but not one clear line) | "identical" | "different" | "crashed"
    detail: str


def outcome(path: Path, clean: dict, *, workers: int | None = None) -> Outcome:
    """Extract `path` and judge the result against the clean extraction `clean` (`comparable`)."""
    try:
        report = extract_pdf(path, workers=workers)
    except (ExtractionError, RecordError) as exc:
        message = str(exc)
        clear = "\n" not in message and " — " in message and len(message) < 400
        return Outcome("refused" if clear else "unclear", message)
    except Exception as exc:
        return Outcome("crashed", f"{type(exc).__name__}: {exc}"[:300])
    if comparable(report) == clean:
        return Outcome("identical", "")
    return Outcome("different", "extracted, but not as the clean PDF")
