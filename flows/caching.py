"""Cache policies of the build-casebook tasks: keyed on content, never on paths or times.

A task's result is reused when everything its output depends on is unchanged: the bytes of the
files it reads (`FileContent`), every file of the packages it runs (`CodeVersion`: templates and
package data included — `TASK_SOURCE` only covers the task's own body), and its record inputs
(Prefect's `INPUTS`, which hashes dataclasses as JSON). A key made from paths or modification
times would reuse a result after an editor replaced a file; one made only from the task's source
would reuse records after the extractor changed.

Results live in PREFECT_HOME/storage; deleting that folder is always safe (the next run recomputes).

Pass the policies' own fields by keyword: CachePolicy's fields (key_storage, …) come first.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from prefect.cache_policies import CachePolicy

from transform.pipeline import file_sha256


@dataclass
class FileContent(CachePolicy):
    """The name and bytes of the files that task arguments name (an argument of None counts too)."""

    params: tuple[str, ...] = ("source",)

    def compute_key(
        self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: Any, **kwargs: Any
    ) -> str:
        return _digest("|".join(f"{name}={_file_key(inputs[name])}" for name in self.params))


@dataclass
class CodeVersion(CachePolicy):
    """Every file of the packages a task runs: a change in, say, extract/ re-runs extraction."""

    packages: tuple[str, ...] = ()

    def compute_key(
        self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: Any, **kwargs: Any
    ) -> str:
        return code_version(self.packages)


@dataclass
class PrintedBuild(CachePolicy):
    """What the renderers print of a BuildInfo argument: edition, source, and the build's date.

    The casebook shows the day it was built, not the time, so a rebuild on the same day from the
    same inputs reuses the rendered files (build.json records the exact time of every build).
    """

    param: str = "build"

    def compute_key(
        self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: Any, **kwargs: Any
    ) -> str:
        build = inputs[self.param]
        day = datetime.fromisoformat(build.built_at).date().isoformat()
        return _digest(json.dumps([build.edition, build.source_name, build.source_sha256, day]))


@functools.cache
def code_version(packages: tuple[str, ...]) -> str:
    """Hash of every file (code, templates, package data) under the given importable packages."""
    digest = hashlib.sha256()
    for package in packages:
        for root in _package_dirs(package):
            for path in sorted(root.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(f"{package}/{path.relative_to(root).as_posix()}\0".encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()


def _package_dirs(package: str) -> list[Path]:
    # A package without __init__.py (a namespace package, as transform/ is) has no origin file,
    # only search locations; an editable install adds a placeholder location that is no folder.
    spec = importlib.util.find_spec(package)
    dirs = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    dirs = [d for d in dirs if d.is_dir()]
    if not dirs:
        raise ValueError(f"package {package!r} not found")
    return dirs


def _file_key(value: str | None) -> str:
    if value is None:
        return "-"
    path = Path(value)
    # The file name is part of the key: extraction records it in Report.source. A missing file
    # gets a key of its own; the task then fails, and failures are never cached.
    return f"{path.name}:{file_sha256(path) if path.is_file() else 'missing'}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
