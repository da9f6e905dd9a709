"""How serve and the casebook worker start flow runs (flows/serve.py): forked from a template
process while the code is the code it loaded, spawned as Prefect does once it changed."""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver

import prefect.flow_engine as engine
import pytest

from flows import serve


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """fork_flow_runs() in this process, undone afterwards; no template process started."""
    monkeypatch.setattr(engine, "multiprocessing", engine.multiprocessing)
    monkeypatch.setattr(forkserver._forkserver, "_preload_modules", forkserver._forkserver._preload_modules)
    monkeypatch.setattr(forkserver, "ensure_running", lambda: None)
    serve.fork_flow_runs()


def test_prefects_spawned_runs_are_forked_from_the_template(forking: None) -> None:
    assert engine.multiprocessing.get_context("spawn").get_start_method() == "forkserver"
    assert forkserver._forkserver._preload_modules == ["flows.warmup"]
    # everything else is the multiprocessing module itself
    assert engine.multiprocessing.get_context("fork").get_start_method() == "fork"
    assert engine.multiprocessing.context is multiprocessing.context


def test_once_the_code_changes_runs_are_spawned_again(forking: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "code_fingerprint", lambda: "another version")
    assert engine.multiprocessing.get_context("spawn").get_start_method() == "spawn"


def test_the_fingerprint_lists_the_packages_files() -> None:
    before = serve.code_fingerprint()
    assert "flows/serve.py:" in before and "render/office.py:" in before
    assert serve.code_fingerprint() == before
