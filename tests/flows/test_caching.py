"""Cache keys: content and code, never paths or times (no Prefect run needed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from flows.caching import CodeVersion, FileContent, PrintedBuild, code_version
from tests.paths import PROJECT_ROOT
from transform.records import BuildInfo


def _key(policy, **inputs) -> str:
    return policy.compute_key(task_ctx=None, inputs=inputs, flow_parameters={})


def test_file_content_follows_bytes_not_path_or_time(tmp_path: Path, source_pdf: Path) -> None:
    policy = FileContent(params=("source",))
    a, b = tmp_path / "a" / source_pdf.name, tmp_path / "b" / source_pdf.name
    for copy in (a, b):
        copy.parent.mkdir()
        shutil.copyfile(source_pdf, copy)
    os.utime(b, (0, 0))
    assert _key(policy, source=str(a)) == _key(policy, source=str(b))
    with b.open("ab") as fh:
        fh.write(b"\n")
    assert _key(policy, source=str(a)) != _key(policy, source=str(b))
    # the name is recorded in the records, so it is part of the key; so is a missing file
    renamed = a.rename(a.with_name("other.pdf"))
    assert _key(policy, source=str(renamed)) != _key(policy, source=str(a))
    assert _key(policy, source=str(a)).isalnum()


def test_file_content_of_an_optional_file(tmp_path: Path) -> None:
    policy = FileContent(params=("codebook", "reviewed"))
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text("a: 1\n")
    assert _key(policy, codebook=str(codebook), reviewed=None) != _key(policy, codebook=str(codebook), reviewed="x")


def test_code_version_is_the_same_from_any_directory(tmp_path: Path) -> None:
    script = "from flows.caching import code_version; print(code_version(('flows.build', 'transform')))"
    keys = {
        subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=True).stdout
        for cwd in (PROJECT_ROOT, tmp_path)
    }
    assert len(keys) == 1, keys  # a worker runs flows in a temporary directory, `casebook build` anywhere


def test_code_version_covers_templates_not_only_python() -> None:
    assert code_version(("render",)) != code_version(("extract",))
    assert _key(CodeVersion(packages=("render", "transform"))) == code_version(("render", "transform"))
    assert len(code_version(("transform",))) == 64  # transform/ has no __init__.py: still found


def test_printed_build_keys_on_the_day_not_the_time() -> None:
    policy = PrintedBuild(param="build")

    def build(at: str, edition: str | None = None) -> BuildInfo:
        return BuildInfo(edition, at, "r.pdf", "ab" * 32)

    morning = _key(policy, build=build("2026-03-01T09:00:00+09:00"))
    assert morning == _key(policy, build=build("2026-03-01T23:59:00+09:00"))
    assert morning != _key(policy, build=build("2026-03-02T00:01:00+09:00"))
    assert morning != _key(policy, build=build("2026-03-01T09:00:00+09:00", edition="第2版"))
