"""LibreOffice as the casebook's layout engine: paginate a .docx and print it as PDF.

python-docx writes structure, not pages: a table of contents or a page reference needs a layout
engine to know its numbers. `print_docx` hands the document to a private headless LibreOffice
(through `uno_print.py`, run by the system Python that has Debian's python3-uno), which lays it
out, updates the table of contents and the page references, exports the PDF, and reports the
page every bookmark landed on. The Word file then gets the same numbers written into its fields'
results, so that it opens with a filled table of contents — no update prompt, no `updateFields`.

Fonts: the document names the fonts Word on Windows has (游明朝 / 游ゴシック). LibreOffice runs
with `fonts.conf` (next to this module), which maps those names to the Japanese faces installed
here (IPAex明朝 for Mincho, Noto Sans CJK JP / IPAexゴシック for Gothic), so the PDF embeds a
Mincho body face and a Gothic heading face.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from casebook.errors import RenderError

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "uno_print.py"
FONTS_CONF = HERE / "fonts.conf"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-uno installs `uno`
TIMEOUT_SECONDS = 300


class OfficeError(RenderError):
    """LibreOffice is missing or could not lay out the document (one line: what, what to do)."""


@dataclass(frozen=True)
class Printed:
    """The PDF LibreOffice printed and the page numbers of its layout."""

    pdf: bytes
    pages: int
    bookmarks: dict[str, int]  # bookmark name → page it starts on
    toc: list[tuple[str, int | None]]  # the table of contents as LibreOffice filled it
    # Headings given a page break (uno_print.keep_headings): (chapter bookmark, position among
    # the chapter's headings).
    breaks: list[tuple[str, int]] = field(default_factory=list)
    # Chapters set tighter, and how far (uno_print.pull_back_tails: 1 or 2).
    tightened: dict[str, int] = field(default_factory=dict)


def print_docx(docx: bytes, chapters: Sequence[str] = ()) -> Printed:
    """Lay out `docx` with headless LibreOffice: the PDF and the page of every bookmark (of the
    `chapters`' bookmarks only, when given: fewer questions to LibreOffice)."""
    for program, package in ((SYSTEM_PYTHON, "python3-uno"), (shutil.which("soffice"), "libreoffice-writer")):
        if not program or not Path(program).exists():
            raise OfficeError(f"LibreOffice printing needs {package} — install it (make setup)")
    with tempfile.TemporaryDirectory(prefix="casebook-office-") as tmp:
        folder = Path(tmp)
        source, target = folder / "casebook.docx", folder / "casebook.pdf"
        source.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(folder)}
        env.pop("PYTHONPATH", None)  # the system Python must not see this project's venv
        env.pop("PYTHONHOME", None)
        args = [SYSTEM_PYTHON, str(SCRIPT), str(source), str(target),
                f"casebook-{uuid.uuid4().hex}", (folder / "profile").as_uri(), json.dumps(list(chapters))]
        try:
            proc = subprocess.run(args, capture_output=True, text=True, env=env,
                                  timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as exc:
            raise OfficeError(f"LibreOffice did not finish laying out the casebook in "
                              f"{TIMEOUT_SECONDS} s — try again; if it persists, report it") from exc
        if proc.returncode != 0 or not target.exists():
            last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
            raise OfficeError(f"LibreOffice could not print the casebook ({last}) — check that "
                              "soffice starts (`soffice --headless --version`)")
        data = json.loads(proc.stdout)
        return Printed(
            pdf=target.read_bytes(),
            pages=int(data["pages"]),
            bookmarks={k: int(v) for k, v in data["bookmarks"].items()},
            toc=[(text, page) for text, page in data["toc"]],
            breaks=[(str(chapter), int(i)) for chapter, i in data.get("breaks", [])],
            tightened={str(name): int(step) for name, step in data.get("tightened", {}).items()},
        )
