"""The `record`, `lab` and `stylometry` commands: a bot session file goes in, a table, JSON or
chart out."""

import json
import xml.etree.ElementTree as ET

import pytest

from pymodel.__main__ import main, variant_of
from pymodel.learn.trainer import PLAY_CAPACITY


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    path = tmp_path_factory.mktemp("lab") / "edge.json"
    assert main(["record", "edge", "--seconds", "40", "--seed", "2", "-o", str(path)]) == 0
    return path


def test_record_writes_a_file_that_lab_reads_and_prints_the_table(session, capsys):
    capsys.readouterr()
    assert main(["lab", str(session), "--seeds", "2", "--threshold", "1.01"]) == 0
    out = capsys.readouterr().out
    assert "time to mirror" in out and "per seed" in out
    assert "uniform" in out and "relevance" in out and "0/2" in out and "s1: >40" in out
    assert "On this recording, " in out and "median of 2 seeds" in out


def test_lab_json_and_chart(session, tmp_path, capsys):
    chart = tmp_path / "lab.svg"
    argv = ["lab", str(session), "--seeds", "1", "--first-seed", "5", "--threshold", "1.01"]
    assert main([*argv, "--json", "--chart", str(chart), "--knobs", '{"away_weight": 0.2}']) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["summary"]) == {"uniform", "relevance", "your knobs"}
    assert doc["summary"]["uniform"]["median"] is None and doc["seconds"] == 40.0
    assert {r["seed"] for r in doc["runs"]} == {5}
    root = ET.fromstring(chart.read_text())
    assert root.tag.endswith("svg") and len(root.findall(".//{*}polyline")) == 3


def test_a_bad_session_file_exits_2_with_its_message(session, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    doc = json.loads(session.read_text())
    doc["version"] = 9
    bad.write_text(json.dumps(doc))
    assert main(["lab", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "wrong version: 9" in err and err.count("\n") == 1
    assert main(["lab", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["lab", str(session), "--knobs", '{"nope": 1}']) == 2
    assert "unknown knobs" in capsys.readouterr().err


def test_a_session_too_short_to_judge_exits_2(tmp_path, capsys):
    path = tmp_path / "short.json"
    assert main(["record", "edge", "--seconds", "1", "-o", str(path)]) == 0
    assert main(["lab", str(path)]) == 2
    assert "too short" in capsys.readouterr().err


def test_lab_priors_and_frontier_presets_print_their_tables(session, tmp_path, capsys):
    chart = tmp_path / "priors.svg"
    argv = ["lab", str(session), "--seeds", "1", "--threshold", "1.01", "--preset", "priors"]
    assert main([*argv, "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert "priors: time to mirror" in out and "raw" in out and ">40 (0/1)" in out
    ET.fromstring(chart.read_text())
    argv = ["lab", str(session), "--seeds", "1", "--threshold", "1.01", "--preset", "frontier"]
    assert main([*argv, "--feature-set", "raw", "--activation", "relu", "--seeds", "1"]) == 0
    out = capsys.readouterr().out
    assert "frontier (raw)" in out and "4 relu" in out and "tanh" not in out.split("\n", 2)[2]
    assert main(["lab", str(session), "--preset", "priors", "--feature-set", "raw"]) == 2


def test_stylometry_takes_the_game_clones_buffer_and_refuses_a_bad_one(capsys):
    """``stylometry --capacity`` trains its clones with that buffer (the game's clone keeps
    ``PLAY_CAPACITY`` frames); a capacity out of range exits 2 saying so."""
    v = variant_of("where+meet", '{"kind": "sample"}', "uniform", PLAY_CAPACITY)
    assert v.capacity == PLAY_CAPACITY and v.info()["capacity"] == PLAY_CAPACITY
    assert variant_of("where+meet", None, "uniform").capacity is None  # the run's (4,096)
    assert main(["stylometry", "--bots", "edge", "--seeds", "1", "--capacity", "8"]) == 2
    assert "capacity must be 16..1000000" in capsys.readouterr().err
