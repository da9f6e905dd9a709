"""A deployment run's parameters stay inside its project.

Whoever can reach the Prefect API can start `build-casebook` with any parameters (`prefect
deployment run … -p output_dir=/anywhere`, the UI's form). The worker would read and write
wherever its user may — publish a build, and prune older ones, in any folder. So a run that the
`casebook` command did not start itself is fenced: every path parameter must resolve — `~`, `..`
and symlinks followed — inside the project folder or a folder its casebook.toml lists under
[deployment] allowed_paths; anything else fails the run, before it reads or writes anything, with
one line naming the parameter. `casebook build` on an editor's machine passes the paths the editor
typed and is not fenced.

What is trusted is what is on the worker's disk (the project file, written by someone who can
write the project anyway); what is not is every parameter of the run. The fence is that of the
worker's own project (CASEBOOK_PROJECT, else found as the commands find it), and a `project`
parameter may only pick a project inside it.

This is not the security boundary against a holder of the API's auth string: with it one can
register a deployment of one's own, whose steps run commands on the worker (README, "A team
setup"). It keeps the deployment the team uses within its project, whoever types the parameters.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from casebook.errors import CasebookError
from flows import project as projects
from flows.editorial import OFF
from flows.project import PROJECT_FILE, Project

# Sane ranges of the flow's numbers (its signature declares them, so the server refuses a run
# outside them before it is created, and the flow again when it starts; the CLI checks them too).
KEEP = (1, 100)  # published builds to keep
LOCK_WAIT = (0.0, 3600.0)  # seconds to wait for another run on the same output folder


def __getattr__(name: str) -> Any:
    """`Keep` and `LockWait`: the flow's parameter types with those ranges (pydantic Field).

    The flow annotates `keep: confine.Keep`: under `from __future__ import annotations` Prefect
    resolves the annotation against the flow function's globals, and `serve` sends the function
    to its run's process by value (cloudpickle), which keeps only the globals its body uses —
    `confine` is one (the body calls it), a bare `Annotated` would not be. Built on first use, so
    the command line's parser, which imports this module for the bounds, does not load pydantic.
    """
    if name in ("Keep", "LockWait"):
        from typing import Annotated

        from pydantic import Field

        kind, (low, high) = (int, KEEP) if name == "Keep" else (float, LOCK_WAIT)
        return Annotated[kind, Field(ge=low, le=high)]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# Set only by `casebook build` around its in-process call of the flow (trusted_caller). Not a
# parameter on purpose: parameters are what `prefect deployment run -p` and the UI set, and a flag
# among them would be one `-p trusted=true` away. A context variable lives in the memory of the
# process that calls the flow; a deployment's run is a fresh process (the worker's or serve's
# subprocess) where nothing sets it. And not the reverse — fencing only runs that carry a
# deployment id — because that fails open: any way of running the flow we did not think of would
# go unfenced, while this way it is fenced unless the one trusted caller says otherwise.
_TRUSTED: ContextVar[bool] = ContextVar("casebook_trusted_caller", default=False)


class OutsideProjectError(CasebookError):
    """A run's parameter names a path outside its project (and outside the allowed folders)."""


@contextmanager
def trusted_caller() -> Iterator[None]:
    """Run the flow in this block with the paths given as they are: for `casebook build` only,
    whose paths an editor typed on their own machine."""
    token = _TRUSTED.set(True)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


def is_trusted() -> bool:
    return _TRUSTED.get()


def within(path: Path, fence: Sequence[Path]) -> bool:
    """Whether the resolved `path` is one of the `fence` folders or inside one (resolved too)."""
    return any(path == folder or path.is_relative_to(folder) for folder in fence)


def check(
    name: str, value: str | Path, root: Path, allowed: Sequence[Path] = (), *, base: Path | None = None
) -> Path:
    """The parameter's path, resolved as the run would open it (relative to `base`, default
    `root`; `~` expanded, `..` and symlinks followed), if it lies inside `root` or an `allowed`
    folder."""
    given = Path(value).expanduser()
    path = (given if given.is_absolute() else (base or root) / given).resolve()
    fence = (root.resolve(), *(folder.resolve() for folder in allowed))
    if within(path, fence):
        return path
    shown = str(value) if Path(str(value)) == path else f"{value} (→ {path})"
    elsewhere = f" or the allowed folders {[str(f) for f in fence[1:]]}" if len(fence) > 1 else ""
    raise OutsideProjectError(
        f"{name}: {shown} is outside the project {fence[0]}{elsewhere} — give a path inside the project, "
        f"or list its folder under [deployment] allowed_paths in {fence[0] / PROJECT_FILE}"
    )


def parameters(
    values: Mapping[str, str | None], root: Path, allowed: Sequence[Path] = (), *, base: Path | None = None
) -> None:
    """Check every path parameter given (None: left out, the project's own; `none`: an editorial
    file turned off, no path)."""
    for name, value in values.items():
        if value is not None and str(value) != OFF:
            check(name, value, root, allowed, base=base)


def home() -> Project:
    """The worker's own project, which fences its runs; refused when anybody could have put its
    project file there (a world-writable folder such as /tmp: the worker runs each flow in a
    temporary folder and finds a project from there upwards when CASEBOOK_PROJECT is not set)."""
    found = projects.find(None)
    if found.root.stat().st_mode & stat.S_IWOTH:
        raise OutsideProjectError(
            f"{found.file}: every user may write this folder, so a deployment run does not take its "
            f"project file — set CASEBOOK_PROJECT for the worker to the project's folder"
        )
    return found


def run_project(value: str | None, given: Mapping[str, str | None]) -> Project:
    """The project of a flow run, its path parameters checked: a run started by `casebook build`
    (trusted_caller) takes them as given; any other has them fenced (see the module doc)."""
    if is_trusted():
        return projects.find(Path(value) if value else None)
    fence = home()
    if value is None:
        where = fence
    else:
        where = projects.load(check("project", value, fence.root, fence.allowed))
    # Relative paths are opened against the run's project (the flow's Project.path).
    parameters(given, fence.root, fence.allowed, base=where.root)
    return where
