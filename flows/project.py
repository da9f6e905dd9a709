"""A casebook project: a folder with `casebook.toml` at its root, holding the source report
(sources/), the editors' files (editorial/) and the published builds (output/).

Commands find their project as git and dbt find theirs: `--project DIR` if given, else the
CASEBOOK_PROJECT environment variable, else the first folder from the current one upwards that
holds a casebook.toml, else the checkout the code runs from when it is one (an editable install
of the repository, which is itself a project). `casebook init DIR` creates a project with the
shipped report and editorial defaults. Relative paths in the project file are relative to its
folder.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from casebook.errors import EditorialError, one_line
from flows.editorial import FILES, OFF, Editorial
from transform.records import Publication

PROJECT_FILE = "casebook.toml"
ENV = "CASEBOOK_PROJECT"
# The repository's own checkout, for an editable install started outside any project.
CHECKOUT = Path(__file__).resolve().parents[1]

# The defaults a project file may leave out (a new project's file spells them out).
DEFAULT_SOURCE = "sources/r07_kyodoka_report.pdf"
DEFAULT_OUTPUT = "output"
DEFAULT_EDITORIAL = {
    "corrections": "editorial/corrections.yaml",
    "codebook": "editorial/codebook.yaml",
    "reviewed_codings": "editorial/reviewed_codings.yaml",
    "qa_decisions": "editorial/review.yaml",
    "proofreading": "editorial/proofreading.yaml",
    "table_settings": OFF,
    "notes": "editorial/notes.yaml",
}
TABLES = ("project", "editorial", "publication", "deployment")


class ProjectError(EditorialError):
    """No project found, or a project file that cannot be read."""


@dataclass(frozen=True)
class Project:
    """A project's folder and what its casebook.toml says (absolute paths)."""

    root: Path
    source: Path
    output: Path
    editorial: Editorial
    # What the casebook says of itself ([publication]: title, organisation, edition).
    publication: Publication = field(default_factory=Publication)
    # Folders outside the project that a deployment run may read or write ([deployment] allowed_paths).
    allowed: tuple[Path, ...] = ()

    @property
    def file(self) -> Path:
        return self.root / PROJECT_FILE

    def path(self, value: str | Path) -> Path:
        """A path of this project: absolute as given, relative to the project's folder otherwise."""
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.root / path

    @property
    def prefect_home(self) -> Path:
        return self.root / ".prefect"


def load(root: Path) -> Project:
    """The project whose casebook.toml is in `root`."""
    root = root.resolve()
    file = root / PROJECT_FILE
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProjectError(f"{file}: no project file — create a project with `casebook init {root}`") \
            from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProjectError(f"{file}: cannot read the project file ({one_line(exc)}) — fix it") from None
    return _from_mapping(root, data)


def find(explicit: Path | None = None, *, start: Path | None = None) -> Project:
    """The project to work in (see the module doc for the order)."""
    if explicit is not None:
        return load(explicit)
    if os.environ.get(ENV):
        return load(Path(os.environ[ENV]))
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return load(folder)
    if (CHECKOUT / PROJECT_FILE).is_file():
        return load(CHECKOUT)
    raise ProjectError(
        f"{here}: not inside a casebook project (no {PROJECT_FILE} here or in any parent folder) — "
        f"cd into one, pass --project DIR (or set {ENV}), or create one with `casebook init DIR`"
    )


def _from_mapping(root: Path, data: Mapping[str, Any]) -> Project:
    file = root / PROJECT_FILE
    unknown = sorted(set(data) - set(TABLES))
    if unknown:
        raise ProjectError(f"{file}: unknown tables {unknown}; known: {list(TABLES)}")
    tables = {name: _table(file, data, name) for name in TABLES}
    project = tables["project"]
    _known_keys(file, "project", project, ("source", "output"))
    _known_keys(file, "editorial", tables["editorial"], tuple(spec.name for spec in FILES))
    _known_keys(file, "deployment", tables["deployment"], ("allowed_paths",))

    def path(table: str, key: str, value: Any) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise ProjectError(f"{file}: [{table}] {key} must be a path in quotes, not {value!r}")
        path = Path(value).expanduser()
        return path if path.is_absolute() else root / path

    editorial: dict[str, Path | None] = {}
    for spec in FILES:
        value = tables["editorial"].get(spec.name, DEFAULT_EDITORIAL[spec.name])
        if value == OFF and spec.optional:
            editorial[spec.name] = None
        else:
            editorial[spec.name] = path("editorial", spec.name, value)
    allowed = tables["deployment"].get("allowed_paths", [])
    if not isinstance(allowed, list):
        raise ProjectError(f"{file}: [deployment] allowed_paths must be a list of folders, not {allowed!r}")
    return Project(
        root=root,
        source=path("project", "source", project.get("source", DEFAULT_SOURCE)),
        output=path("project", "output", project.get("output", DEFAULT_OUTPUT)),
        editorial=Editorial(**editorial),  # type: ignore[arg-type]
        publication=Publication.from_mapping(tables["publication"], file),
        allowed=tuple(path("deployment", "allowed_paths", value).resolve() for value in allowed),
    )


def _table(file: Path, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ProjectError(f"{file}: [{name}] must be a table (a [{name}] heading), not {table!r}")
    return table


def _known_keys(file: Path, table: str, values: Mapping[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ProjectError(f"{file}: unknown keys in [{table}]: {unknown}; known: {list(known)}")


# ---------------------------------------------------------------------------------------------
# casebook init


def init(target: Path) -> Project:
    """Create a project in `target` (new or empty): the shipped report, the editorial defaults and
    a casebook.toml naming them."""
    target = target.resolve()
    if (target / PROJECT_FILE).exists():
        raise ProjectError(f"{target / PROJECT_FILE}: already a project — pick another folder")
    if target.exists() and any(target.iterdir()):
        raise ProjectError(f"{target}: the folder is not empty — pick a new or empty folder")
    shipped = resources.files("casebook") / "shipped"
    (target / "sources").mkdir(parents=True, exist_ok=True)
    (target / "editorial").mkdir(exist_ok=True)
    (target / "output").mkdir(exist_ok=True)
    for kind in ("sources", "editorial"):
        for item in (shipped / kind).iterdir():
            if item.is_file() and not item.name.startswith("."):
                with resources.as_file(item) as path:
                    shutil.copyfile(path, target / kind / item.name)
    with resources.as_file(shipped / PROJECT_FILE) as template:
        shutil.copyfile(template, target / PROJECT_FILE)
    (target / ".gitignore").write_text("output/\n.prefect/\n.env\n", encoding="utf-8")  # .env: casebook team
    return load(target)
