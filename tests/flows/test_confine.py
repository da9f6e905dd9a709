"""A deployment run's path parameters stay inside its project (flows/confine.py); `casebook build`
(the trusted caller) keeps taking the paths an editor types."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from flows import confine
from flows import project as projects
from flows.cli import main
from flows.confine import OutsideProjectError, check, parameters, run_project, trusted_caller


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project folder (resolved: pytest's temporary folder may sit behind a symlink)."""
    folder = (tmp_path / "project").resolve()
    (folder / "sources").mkdir(parents=True)
    return folder


def _message(exc: pytest.ExceptionInfo[OutsideProjectError]) -> str:
    return exc.value.message


def test_a_relative_path_resolves_inside_the_project(root: Path) -> None:
    assert check("source", "sources/new.pdf", root) == root / "sources" / "new.pdf"
    assert check("output_dir", "output/../output/x", root) == root / "output" / "x"  # not created
    assert check("output_dir", str(root), root) == root  # the folder itself
    assert not (root / "output").exists()


def test_an_absolute_path_outside_fails_naming_the_parameter(root: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path.resolve() / "elsewhere"
    with pytest.raises(OutsideProjectError) as exc:
        check("output_dir", str(elsewhere), root)
    assert _message(exc) == (
        f"output_dir: {elsewhere} is outside the project {root} — give a path inside the project, "
        f"or list its folder under [deployment] allowed_paths in {root / 'casebook.toml'}"
    )
    assert exc.value.exit_code == 2
    assert not elsewhere.exists()


def test_a_dotdot_escape_and_a_sibling_with_the_same_prefix_fail(root: Path) -> None:
    with pytest.raises(OutsideProjectError, match=r"^codebook: \.\./x\.yaml \(→ .*/x\.yaml\) is outside"):
        check("codebook", "../x.yaml", root)
    (root.parent / "project-other").mkdir()
    with pytest.raises(OutsideProjectError, match=r"^source: "):  # a prefix of the name is not inside
        check("source", str(root.parent / "project-other" / "a.pdf"), root)


def test_a_symlink_leaving_the_project_is_followed_before_the_check(root: Path, tmp_path: Path) -> None:
    outside = tmp_path.resolve() / "outside"
    outside.mkdir()
    (root / "published").symlink_to(outside)
    with pytest.raises(OutsideProjectError) as exc:
        check("output_dir", "published/out", root)
    assert _message(exc).startswith(f"output_dir: published/out (→ {outside / 'out'}) is outside the project")
    (root / "inner").symlink_to(root / "sources")  # a link that stays inside is fine
    assert check("source", "inner/a.pdf", root) == root / "sources" / "a.pdf"


def test_a_home_folder_path_is_expanded_first(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(root))
    assert check("source", "~/sources/a.pdf", root) == root / "sources" / "a.pdf"
    monkeypatch.setenv("HOME", str(tmp_path.resolve()))
    with pytest.raises(OutsideProjectError, match=r"^source: ~/a\.pdf"):
        check("source", "~/a.pdf", root)


def test_allowed_folders_are_inside_the_fence_and_named_when_refused(root: Path, tmp_path: Path) -> None:
    shared = tmp_path.resolve() / "shared"
    assert check("output_dir", str(shared / "out"), root, (shared,)) == shared / "out"
    with pytest.raises(OutsideProjectError) as exc:
        check("output_dir", "/srv/else", root, (shared,))
    assert f"outside the project {root} or the allowed folders ['{shared}']" in _message(exc)


def test_parameters_skips_what_was_left_out_and_files_turned_off(root: Path) -> None:
    parameters({"source": None, "proofreading": "none", "codebook": "editorial/codebook.yaml"}, root)
    with pytest.raises(OutsideProjectError, match=r"^qa_decisions: /etc/passwd is outside"):
        parameters({"source": None, "qa_decisions": "/etc/passwd"}, root)


# -- the run's project: fenced unless casebook build calls ------------------------------------


def _project(folder: Path, allowed: Sequence[Path] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    listed = ", ".join(f'"{p}"' for p in allowed)
    (folder / "casebook.toml").write_text(f"[deployment]\nallowed_paths = [{listed}]\n", encoding="utf-8")
    return folder


@pytest.fixture
def home(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The worker's project (CASEBOOK_PROJECT), as a deployment run finds it."""
    monkeypatch.setenv(projects.ENV, str(_project(root)))
    return root


def test_a_deployment_run_is_fenced_by_the_workers_project(home: Path, tmp_path: Path) -> None:
    outside = tmp_path.resolve() / "out"
    assert run_project(None, {"source": "sources/a.pdf", "output_dir": "output"}).root == home
    with pytest.raises(OutsideProjectError, match=f"^output_dir: {outside} is outside the project {home} "):
        run_project(None, {"source": None, "output_dir": str(outside)})
    assert not outside.exists()


def test_the_project_parameter_picks_only_a_project_inside(home: Path, tmp_path: Path) -> None:
    sub = _project(home / "editions" / "second", allowed=[Path("/")])  # its own fence is not used
    where = run_project(str(sub), {"source": "sources/a.pdf", "output_dir": None})
    assert where.root == sub
    with pytest.raises(OutsideProjectError, match=r"^output_dir: /srv/x is outside the project"):
        run_project(str(sub), {"output_dir": "/srv/x"})
    # relative paths are the chosen project's, as the flow opens them: ../../.. leaves the fence
    with pytest.raises(OutsideProjectError, match=r"^source: \.\./\.\./\.\./a\.pdf \(→ "):
        run_project(str(sub), {"source": "../../../a.pdf"})
    other = _project(tmp_path / "other")
    with pytest.raises(OutsideProjectError, match=f"^project: {other} is outside the project {home} "):
        run_project(str(other), {})


def test_a_workers_project_in_a_folder_anybody_may_write_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the worker runs each flow in a temporary folder: a casebook.toml planted in /tmp must not
    # become the project (and its allowed_paths the fence)
    planted = _project(tmp_path.resolve() / "tmp", allowed=[Path("/")])
    planted.chmod(0o1777)
    monkeypatch.setenv(projects.ENV, str(planted))
    with pytest.raises(OutsideProjectError) as exc:
        run_project(None, {"output_dir": "/etc"})
    assert _message(exc) == (
        f"{planted / 'casebook.toml'}: every user may write this folder, so a deployment run does not take "
        "its project file — set CASEBOOK_PROJECT for the worker to the project's folder"
    )


def test_casebook_build_is_the_trusted_caller(home: Path, tmp_path: Path) -> None:
    outside = str(tmp_path.resolve() / "anywhere")
    assert not confine.is_trusted()
    with trusted_caller():
        assert confine.is_trusted()
        assert run_project(str(home), {"output_dir": outside, "source": "/srv/a.pdf"}).root == home
    assert not confine.is_trusted()  # only inside the block
    with pytest.raises(OutsideProjectError):
        run_project(None, {"output_dir": outside})


# -- keep and lock_wait: bounded in the flow's signature and on the command line -------------


def test_the_flow_declares_the_ranges_so_the_server_refuses_a_run_outside_them() -> None:
    from prefect.utilities.callables import parameter_schema

    from flows.build import build_casebook

    schema = parameter_schema(build_casebook.fn).model_dump()["properties"]
    assert (schema["keep"]["minimum"], schema["keep"]["maximum"]) == (1, 100)
    assert (schema["lock_wait"]["minimum"], schema["lock_wait"]["maximum"]) == (0, 3600)
    assert "minimum" not in schema["output_dir"]["anyOf"][0]


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--keep", "0", "argument --keep: 0 is outside 1–100"),
    ("--keep", "101", "argument --keep: 101 is outside 1–100"),
    ("--wait", "-1", "argument --wait: -1 is outside 0–3600"),
    ("--wait", "soon", "argument --wait: not a number: 'soon'"),
])
def test_casebook_build_refuses_numbers_outside_the_range(
    option: str, value: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["build", option, value])
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"casebook build: error: {says}"

