"""A casebook installed as a package (not the editable checkout) creates a project anywhere and
builds it there: nothing is found through the package's own location."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.paths import PROJECT_ROOT

pytestmark = [pytest.mark.office, pytest.mark.prefect_server]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with `pip install .` (a wheel, not editable). Its dependencies
    are the test environment's, reached through a .pth file, so nothing is downloaded but the build
    backend."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # Listed in a .pth, the test environment's packages are importable; its own .pth files (the
    # editable install of this checkout) are not processed, so `casebook` is the one pip installs.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", str(PROJECT_ROOT)],
                   check=True, capture_output=True, timeout=600)
    return venv / "bin"


def test_a_project_made_by_init_builds_under_its_own_folder(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CASEBOOK_"))}
    where = subprocess.run([str(installed / "python"), "-c", "import flows; print(flows.__file__)"],
                           cwd=tmp_path, env=env, check=True, capture_output=True, text=True).stdout
    assert str(PROJECT_ROOT) not in where and "site-packages" in where

    result = subprocess.run([str(installed / "casebook"), "init", "next-year"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "next-year"
    assert (project / "sources" / "r07_kyodoka_report.pdf").stat().st_size == \
        (PROJECT_ROOT / "sources" / "r07_kyodoka_report.pdf").stat().st_size
    assert sorted(p.name for p in (project / "editorial").iterdir()) == [
        "codebook.yaml", "corrections.yaml", "notes.yaml", "proofreading.yaml", "review.yaml", "reviewed_codings.yaml"]

    result = subprocess.run([str(installed / "casebook"), "build", "--quiet"], cwd=project / "editorial",
                            env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    latest = project / "output" / "latest"
    assert (latest / "casebook.pdf").is_file() and (latest / "html" / "index.html").is_file()
    assert (project / ".prefect").is_dir()  # Prefect's database and cache stay in the project
    assert f"latest: {latest}" in result.stdout


def test_outside_any_project_a_command_says_where_to_go(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "CASEBOOK_"))}
    result = subprocess.run([str(installed / "casebook"), "extract"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == (
        f"casebook extract: error: {tmp_path.resolve()}: not inside a casebook project (no casebook.toml here or in "
        "any parent folder) — cd into one, pass --project DIR (or set CASEBOOK_PROJECT), or create one with "
        "`casebook init DIR`\n")
