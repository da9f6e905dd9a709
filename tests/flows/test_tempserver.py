"""The temporary server's database (flows/tempserver.py): a new PREFECT_HOME starts from an empty
copy of the first database a server created on this machine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from flows import tempserver


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for name in tempserver.DATABASE_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "cache"


def _database(path: Path, rows: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE alembic_version (version_num TEXT)")
        db.executemany("INSERT INTO alembic_version VALUES (?)", [(str(i),) for i in range(rows)])
    return path


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM alembic_version").fetchone()[0]


def test_the_first_new_database_is_kept_and_seeds_the_next_home(cache: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert not tempserver.seed_database(first)  # nothing kept yet: the server creates it
    _database(first / tempserver.DATABASE, rows=3)
    tempserver.keep_template(first)
    template = tempserver.template_path()
    assert template.parent == cache / "casebook" and template.name.startswith("prefect-3.")
    assert _rows(template) == 3
    assert tempserver.seed_database(second)
    assert _rows(second / tempserver.DATABASE) == 3
    assert sorted(p.name for p in second.iterdir()) == [tempserver.DATABASE]


def test_a_database_is_never_replaced_and_a_kept_one_never_overwritten(cache: Path, tmp_path: Path) -> None:
    _database(tempserver.template_path(), rows=1)
    home = tmp_path / "home"
    _database(home / tempserver.DATABASE, rows=5)
    assert not tempserver.seed_database(home) and _rows(home / tempserver.DATABASE) == 5
    tempserver.keep_template(home)
    assert _rows(tempserver.template_path()) == 1


def test_a_database_configured_elsewhere_is_left_alone(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _database(tempserver.template_path(), rows=1)
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://x@localhost/prefect")
    assert not tempserver.seed_database(tmp_path / "home")
    assert not (tmp_path / "home").exists()
