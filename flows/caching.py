"""Cache policies of the build-casebook tasks: keyed on content, never on paths or times.

A task's result is reused when everything its output depends on is unchanged: the bytes of the
files it reads (`FileContent`), the code it runs (`CodeVersion`: every file of the packages,
templates and package data included, and the module defining the task), and its record inputs
(Prefect's `INPUTS`, which hashes dataclasses as JSON). A key made from paths or modification
times would reuse a result after an editor replaced a file; one made only from the task's source
would reuse records after the extractor changed.

Prefect's TASK_SOURCE is not used: it hashes the task's source as the launcher presents it, which
differs between `casebook build`, a worker and `serve` (measured: three keys for one task), so
they would not share the cache. Hashing the defining module's file is stable across all three.

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

from flows.editorial import Editorial


@dataclass
class FileContent(CachePolicy):
    """The name and bytes of the files that task arguments name: a path (None counts too), or
    an `Editorial` (every editors' file it names)."""

    params: tuple[str, ...] = ("source",)

    def compute_key(
        self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: Any, **kwargs: Any
    ) -> str:
        return _digest("|".join(f"{name}={_files_key(inputs[name])}" for name in self.params))


def _files_key(value: Any) -> str:
    if isinstance(value, Editorial):
        return ",".join(f"{name}={_file_key(path)}" for name, path in value.files().items())
    return _file_key(value)


@dataclass
class CodeVersion(CachePolicy):
    """The code a task runs, by module or package name: a change in, say, extract/ re-runs extraction."""

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
def code_version(names: tuple[str, ...]) -> str:
    """Hash of the files of importable modules and packages (a package: every file under it)."""
    digest = hashlib.sha256()
    for name in names:
        for rel, path in code_files(name):
            digest.update(f"{name}/{rel}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def code_files(name: str) -> list[tuple[str, Path]]:
    """Every file of an importable module or package: (its path in the package, its path)."""
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ValueError(f"module or package {name!r} not found")
    if spec.submodule_search_locations is None:  # a module
        return [(Path(spec.origin).name, Path(spec.origin))]
    # A package without __init__.py (a namespace package, as transform/ is) has no origin file,
    # only search locations: the same folder twice when the current directory is the project
    # root, plus an editable install's placeholder that is no folder.
    folders = [Path(p).resolve() for p in spec.submodule_search_locations if Path(p).is_dir()]
    roots = list(dict.fromkeys(folders))
    return [
        (path.relative_to(root).as_posix(), path)
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]


def _file_key(value: str | Path | None) -> str:
    if value is None:
        return "-"
    path = Path(value)
    # The file name is part of the key: extraction records it in Report.source. A missing file
    # gets a key of its own; the task then fails, and failures are never cached.
    if not path.is_file():
        return f"{path.name}:missing"
    with path.open("rb") as fh:
        return f"{path.name}:{hashlib.file_digest(fh, 'sha256').hexdigest()}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
