"""Run tests/render/uno_edit.py: LibreOffice edits a .docx with its changes recorded, as a
reviewer working in LibreOffice would (the system Python with python3-uno, a private profile)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import uuid
from pathlib import Path

from render.office import FONTS_CONF, SYSTEM_PYTHON

SCRIPT = Path(__file__).with_name("uno_edit.py")


def office_edit(docx: bytes, author: str, edits: list[dict], *, record: bool = True) -> tuple[bytes, dict]:
    """The .docx LibreOffice saved after the edits, and what the script reported."""
    with tempfile.TemporaryDirectory(prefix="casebook-uno-edit-") as tmp:
        folder = Path(tmp)
        source, target, spec = folder / "in.docx", folder / "out.docx", folder / "edits.json"
        source.write_bytes(docx)
        spec.write_text(json.dumps({"author": author, "record": record, "edits": edits}, ensure_ascii=False),
                        encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(folder)}
        env.pop("PYTHONPATH", None)
        env.pop("PYTHONHOME", None)
        proc = subprocess.run([SYSTEM_PYTHON, str(SCRIPT), str(source), str(target), f"edit-{uuid.uuid4().hex}",
                               (folder / "profile").as_uri(), str(spec)],
                              capture_output=True, text=True, env=env, timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return target.read_bytes(), json.loads(proc.stdout)
