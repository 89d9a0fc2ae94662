"""Chapters save their numbers where the reproduction report reads them back."""

import json

import pytest

from helpers.results import ENV_VAR, MissingResults, load_results, results_dir, save_results


def test_results_go_to_the_build_folder_of_the_book_found_upwards(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    (tmp_path / "_toc.yml").write_text("root: intro\n")
    chapter_dir = tmp_path / "book"
    chapter_dir.mkdir()
    monkeypatch.chdir(chapter_dir)  # chapters run with book/ as their working directory
    assert results_dir() == tmp_path / "_build" / "results"


def test_the_environment_variable_overrides_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "elsewhere"))
    path = save_results("ch", {"accuracy": 0.5})
    assert path == tmp_path / "elsewhere" / "ch.json"


def test_saved_results_read_back_as_plain_floats(tmp_path, monkeypatch):
    import numpy as np

    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    save_results("ch", {"accuracy": np.float32(41.5), "epochs": 3})
    assert load_results("ch") == {"accuracy": 41.5, "epochs": 3.0}
    assert json.loads((tmp_path / "ch.json").read_text())["epochs"] == 3.0
    assert list(tmp_path.iterdir()) == [tmp_path / "ch.json"]  # no temporary file left behind


def test_missing_results_name_the_chapter_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    with pytest.raises(MissingResults, match="no results of chapter 'ch03_cifar_one_layer'.*run that chapter first"):
        load_results("ch03_cifar_one_layer")
