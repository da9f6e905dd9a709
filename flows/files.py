"""Writing a set of output files so that a failure leaves the previous files untouched."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_files(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write all files to a staging folder, then move each into place with an atomic rename."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        written = []
        for rel in files:
            final = out_dir / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, final)
            written.append(final)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
