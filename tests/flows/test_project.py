"""The project folder: found from where you stand, its file read strictly, created by init."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.errors import EditorialError
from flows import project
from flows.cli import main
from flows.editorial import FILES, field_names
from flows.project import ProjectError
from tests.paths import PROJECT, PROJECT_ROOT


def test_the_repository_is_a_project_with_the_shipped_files() -> None:
    assert PROJECT.root == PROJECT_ROOT
    assert PROJECT.source == PROJECT_ROOT / "sources" / "r07_kyodoka_report.pdf"
    assert PROJECT.output == PROJECT_ROOT / "output"
    assert PROJECT.editorial.qa_decisions == PROJECT_ROOT / "editorial" / "review.yaml"
    assert PROJECT.editorial.table_settings is None


def test_the_editorial_set_is_spelled_once() -> None:
    assert field_names() == tuple(spec.name for spec in FILES)


def test_every_editors_file_is_a_parameter_of_the_flow() -> None:
    import inspect

    from flows.build import build_casebook

    assert set(field_names()) <= set(inspect.signature(build_casebook.fn).parameters)
    assert PROJECT.editorial.notes == PROJECT_ROOT / "editorial" / "notes.yaml"


@pytest.fixture
def made(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "p")]) == 0
    return tmp_path / "p"


def test_found_from_a_folder_inside_or_named_explicitly(made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(project.ENV, raising=False)
    inner = made / "editorial"
    assert project.find(start=inner).root == made
    assert project.find(made).root == made
    monkeypatch.setenv(project.ENV, str(made))
    assert project.find(start=PROJECT_ROOT).root == made


def test_init_copies_the_report_and_editorial_defaults(made: Path) -> None:
    assert (made / "sources" / "r07_kyodoka_report.pdf").read_bytes() == PROJECT.source.read_bytes()
    assert (made / "editorial" / "codebook.yaml").read_bytes() == PROJECT.editorial.codebook.read_bytes()
    created = project.load(made)
    assert (created.source, created.editorial.corrections) == (
        made / "sources" / "r07_kyodoka_report.pdf", made / "editorial" / "corrections.yaml")


def test_init_refuses_a_folder_in_use(made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(made)]) == 2
    assert capsys.readouterr().err == (f"casebook init: error: {made / 'casebook.toml'}: already a project — "
                                       "pick another folder\n")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ProjectError, match="the folder is not empty"):
        project.init(tmp_path / "full")


@pytest.mark.parametrize(("text", "message"), [
    ("[project\nsource = 1", "cannot read the project file (Expected ']'"),
    ("[projct]\n", "unknown tables ['projct']; known: ['project', 'editorial', 'publication', 'deployment']"),
    ("[editorial]\nreview = 'x.yaml'\n", "unknown keys in [editorial]: ['review']; known: ['corrections',"),
    ("[project]\nsource = 3\n", "[project] source must be a path in quotes, not 3"),
    ("project = 'x'\n", "[project] must be a table (a [project] heading), not 'x'"),
    ("[deployment]\nallowed_paths = '/srv'\n", "[deployment] allowed_paths must be a list of folders"),
    ("[publication]\norganisation = 3\n", "[publication] organisation must be text in quotes, not int (3)"),
    ("[publication]\nedition = ''\n", "[publication] edition is empty — write it on one line, or leave it out"),
])
def test_a_malformed_project_file_is_one_line_naming_it(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "casebook.toml").write_text(text, encoding="utf-8")
    with pytest.raises(EditorialError, match=re.escape(f"{tmp_path / 'casebook.toml'}: {message}")):
        project.load(tmp_path)


def test_left_out_keys_are_the_documented_defaults(tmp_path: Path) -> None:
    (tmp_path / "casebook.toml").write_text("[editorial]\nproofreading = 'none'\n", encoding="utf-8")
    loaded = project.load(tmp_path)
    assert (loaded.source, loaded.output) == (tmp_path / "sources" / "r07_kyodoka_report.pdf", tmp_path / "output")
    assert (loaded.editorial.proofreading, loaded.editorial.codebook) == (None, tmp_path / "editorial" / "codebook.yaml")
    assert (loaded.publication.title, loaded.publication.organisation, loaded.publication.edition) == (
        "介護事業所の協働化 事例集", "事例集編集担当", None)


def test_the_publication_settings_reach_the_casebook(tmp_path: Path) -> None:
    (tmp_path / "casebook.toml").write_text("[publication]\ntitle = '協働化事例集'\norganisation = '編集委員会'\n"
                                            "edition = '第2版'\n", encoding="utf-8")
    from flows.pipeline import build_info

    info = build_info(None, tmp_path / "r.pdf", "0" * 64, publication=project.load(tmp_path).publication)
    assert (info.title, info.organisation, info.edition) == ("協働化事例集", "編集委員会", "第2版")
