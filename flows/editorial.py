"""The editors' files a run reads, as one value (`Editorial`), and the one table that names them.

Every way of starting a run builds an `Editorial` here and passes it whole: the command-line
options (`add_options` / `from_options`), the flow's and the deployment's parameters
(`from_parameters` / `parameters`) and the project file's defaults (`flows/project.py`). The set
of files is spelled once, in `FILES`: its name as a field and a parameter, its option and the old
spelling kept as an alias, what messages call it, and whether a run may go without it.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.errors import EditorialError, MissingFileError, one_line
from casebook.yamlfile import read_yaml

if TYPE_CHECKING:
    from extract.settings import TableSettings

# A parameter or option value that turns an optional file off (`-p corrections=none`).
OFF = "none"


@dataclass(frozen=True)
class EditorialFile:
    """One kind of editors' file."""

    name: str  # the field of Editorial, the flow's parameter, the project file's key
    label: str  # how messages name it
    help: str
    alias: str | None = None  # the option's earlier spelling, still accepted
    optional: bool = True  # a run may go without it (`--no-…`, `-p name=none`)

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


FILES = (
    EditorialFile("corrections", "corrections", "errata applied to the extracted text"),
    EditorialFile("codebook", "codebook", "what each coded attribute means (validation)", optional=False),
    EditorialFile("reviewed_codings", "reviewed codings", "a reviewer's coding per case and attribute",
                  alias="--reviewed"),
    EditorialFile("qa_decisions", "QA decisions", "QA's decisions on findings (written by `casebook review`)",
                  alias="--review"),
    EditorialFile("proofreading", "proofreading patterns", "the editors' known typo patterns"),
    EditorialFile("table_settings", "table settings", "an edition's table-finding thresholds (YAML)"),
    EditorialFile("notes", "review notes", "reviewers' comments from Word, shown to QA (written by "
                  "`casebook absorb`)"),
)
BY_NAME = {spec.name: spec for spec in FILES}


class TableSettingsError(EditorialError):
    """An edition's table-settings file that cannot be read or names unknown settings."""


@dataclass(frozen=True)
class Editorial:
    """The editors' files of a run, absolute paths. None: not used (no errata; counts from the
    auto-coding alone; no QA decisions; no typo patterns; the default table settings; no review
    notes)."""

    corrections: Path | None
    codebook: Path
    reviewed_codings: Path | None
    qa_decisions: Path | None
    proofreading: Path | None
    table_settings: Path | None = None
    notes: Path | None = None  # review notes (comments absorbed from Word), shown in validation.html

    def files(self) -> dict[str, Path | None]:
        """Each file by its name (`table_settings`), in the order of FILES."""
        return {spec.name: getattr(self, spec.name) for spec in FILES}

    def check(self) -> None:
        """Every file named must exist — a run fails at once, before the PDF is read, rather than
        falling back silently to nothing — and the table settings must parse."""
        for name, path in self.files().items():
            if path is not None and not path.is_file():
                raise MissingFileError(f"{path}: {BY_NAME[name].label} file not found — {_remedy(name)}")
        load_table_settings(self.table_settings)

    def parameters(self) -> dict[str, str]:
        """The flow's parameters naming these files (`none` for a file not used)."""
        return {name: str(path) if path is not None else OFF for name, path in self.files().items()}

    def without(self, *names: str) -> Editorial:
        return replace(self, **dict.fromkeys(names))


def from_values(values: Mapping[str, str | Path | None], defaults: Editorial, base: Path) -> Editorial:
    """An Editorial from given values by name (an option or parameter; None: the default),
    relative paths against `base`; `none` turns an optional file off."""
    chosen: dict[str, Path | None] = {}
    for spec in FILES:
        value = values.get(spec.name)
        if value is None:
            chosen[spec.name] = getattr(defaults, spec.name)
        elif str(value) == OFF:
            if not spec.optional:
                raise EditorialError(f"{spec.name}: the {spec.label} file cannot be left out — name one")
            chosen[spec.name] = None
        else:
            chosen[spec.name] = _under(base, Path(value))
    return Editorial(**chosen)  # type: ignore[arg-type]


def _remedy(name: str) -> str:
    spec = BY_NAME[name]
    given = f"check the path given as {spec.option} (-p {name}=…) or in casebook.toml"
    if spec.optional:
        return f"{given}, or leave it out ({spec.option.replace('--', '--no-', 1)}, -p {name}={OFF})"
    return given


def _under(base: Path, path: Path) -> Path:
    path = path.expanduser()
    return path if path.is_absolute() else base / path


# ---------------------------------------------------------------------------------------------
# command-line options


def add_options(parser: argparse.ArgumentParser, *, names: tuple[str, ...] | None = None) -> None:
    """An option per editors' file (default: the project's, casebook.toml), and `--no-…` for the
    optional ones. `names`: only these files."""
    for spec in FILES:
        if names is not None and spec.name not in names:
            continue
        flags = [spec.option] + ([spec.alias] if spec.alias else [])
        parser.add_argument(*flags, dest=spec.name, type=Path, default=None, metavar="FILE",
                            help=f"{spec.help} (default: the project's, casebook.toml)")
        if spec.optional:
            off = [spec.option.replace("--", "--no-", 1)]
            off += [spec.alias.replace("--", "--no-", 1)] if spec.alias else []
            parser.add_argument(*off, dest=f"no_{spec.name}", action="store_true",
                                help=f"use no {spec.label} file")


def from_options(args: argparse.Namespace, defaults: Editorial) -> Editorial:
    """The Editorial the options name, relative paths against the current folder."""
    values: dict[str, str | Path | None] = {}
    for spec in FILES:
        if getattr(args, f"no_{spec.name}", False):
            values[spec.name] = OFF
        else:
            values[spec.name] = getattr(args, spec.name, None)
    return from_values(values, defaults, Path.cwd())


# ---------------------------------------------------------------------------------------------
# table settings


def load_table_settings(path: Path | None) -> TableSettings:
    """The default table-finding thresholds, overridden by an edition's settings file."""
    from extract.settings import DEFAULT_SETTINGS, TableSettings

    if path is None:
        return DEFAULT_SETTINGS
    data = read_yaml(path, TableSettingsError, "table settings file")
    try:
        return TableSettings.from_mapping(data)
    except (ValueError, TypeError, AttributeError) as exc:
        raise TableSettingsError(f"{path}: bad table settings: {one_line(exc)} — fix or remove the file") \
            from exc


def field_names() -> tuple[str, ...]:
    """Editorial's fields, which must be the names of FILES (a test keeps them together)."""
    return tuple(f.name for f in fields(Editorial))
