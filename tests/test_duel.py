"""Clone against clone: matches by the rules, the same table from the Lab's worker and the
command line, the time limit, and bad requests answered with a reason."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pymodel.__main__ import main
from pymodel.formats import weights
from pymodel.lab.duel import Duel, Side
from pymodel.lab.engine import LabConfig, LabRun
from pymodel.lab.variants import Variant
from pymodel.learn import mlp
from pymodel.sim.features import N_FEATURES
from pymodel.sim.recording import record_bot
from pymodel.sim.rules import MatchRules
from pymodel.worker.lab_session import LabSession


def trained(bot: str, seed: int, seconds: float) -> str:
    """A clone taught by ``bot`` for ``seconds`` of its play (the Lab's replay)."""
    rec = record_bot(bot, seed, seconds)
    run = LabRun(rec, [Variant("relevance", "relevance")], [seed], LabConfig(threshold=1.01))
    while not run.done:
        run.step()
    return weights.export_clone(run.runs[0].trainer, {"bot": bot}, name=f"{bot} <b>clone</b>")


@pytest.fixture(scope="module")
def clones() -> tuple[str, str]:
    random = mlp.init_params([N_FEATURES, 16, 3], np.random.default_rng(4))
    return trained("tracker", 1, 90.0), weights.to_json(random, "tanh", name="random")


def play(left: str, right: str, rules: MatchRules, seeds, **kw) -> dict:
    duel = Duel(Side("A", weights.load(left)), Side("B", weights.load(right)), rules, seeds, **kw)
    while not duel.done:
        duel.step(5000)
    return duel.result()


def test_matches_follow_the_rules_and_repeat_for_the_same_seeds(clones):
    good, random = clones
    rules = MatchRules(5, 2)
    result = play(good, random, rules, [0, 1, 2])
    assert [m["seed"] for m in result["matches"]] == [0, 1, 2]
    for m in result["matches"]:
        assert not m["time_limit"] and rules.winner(m["left"], m["right"]) == m["winner"]
    assert result["totals"]["left"]["matches"] == 3  # a trained clone beats a random one
    assert result["totals"]["left"]["points"] == sum(m["left"] for m in result["matches"])
    fp = result["left"]["fingerprint"]
    assert fp["returns"]["value"] > result["right"]["fingerprint"]["returns"]["value"]
    assert play(good, random, rules, [0, 1, 2]) == result
    assert play(good, random, rules, [3, 4, 5])["matches"] != result["matches"]
    labels = [r[0] for r in result["rows"]]
    assert labels[:2] == ["matches won", "points won"] and "returns the ball" in labels
    json.dumps(result, allow_nan=False)


def test_a_match_still_open_at_the_time_limit_goes_to_the_leader(clones):
    good, random = clones
    result = play(good, good, MatchRules(99, 2), [0], max_seconds=20.0)
    (m,) = result["matches"]
    assert m["time_limit"] and m["seconds"] == pytest.approx(20.0, abs=0.01)
    lead = m["left"] - m["right"]
    assert m["winner"] == (None if lead == 0 else "left" if lead > 0 else "right")
    assert "time limit" in result["table"]


def test_the_lab_worker_and_the_command_line_print_the_same_table(clones, tmp_path, capsys):
    good, random = clones
    lab = LabSession()
    loaded = lab.handle({"type": "duel_load", "text": good})[0]
    assert loaded["type"] == "duel_clone" and loaded["name"] == "tracker <b>clone</b>"
    assert loaded["layer_sizes"] == [N_FEATURES, 32, 32, 3] and loaded["meta"]["bot"] == "tracker"
    start = {"type": "duel_start", "left": random, "right": good, "points": 3, "seeds": 2}
    first = lab.handle({**start, "first_seed": 7})[0]
    assert first["type"] == "duel_progress" and first["match"] == 0 and first["seed"] == 7
    fractions, result = [], None
    while result is None:
        replies = lab.handle({"type": "duel_step", "ticks": 3000})
        fractions.append(replies[0]["fraction"])
        result = replies[1] if len(replies) > 1 else None
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert result["type"] == "duel_result" and result["seeds"] == [7, 8]
    (tmp_path / "A.json").write_text(random)
    (tmp_path / "B.json").write_text(good)
    capsys.readouterr()
    args = ["duel", str(tmp_path / "A.json"), str(tmp_path / "B.json"), "--points", "3"]
    assert main([*args, "--seeds", "2", "--first-seed", "7"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip("\n") == result["table"]
    assert out.startswith("duel: random (left) vs tracker <b>clone</b> (right), first to 3")
    assert main([*args, "--seeds", "2", "--first-seed", "7", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == result["rows"]


def test_bad_duel_requests_are_answered_with_a_reason(clones, tmp_path, capsys):
    good, _ = clones
    lab = LabSession()
    cases = [
        ({"type": "duel_step"}, "no duel to play"),
        ({"type": "duel_load", "text": "{"}, "not JSON"),
        ({"type": "duel_load"}, "must be the text of a weights file"),
        ({"type": "duel_start", "left": good}, "the right clone's weights file"),
        ({"type": "duel_start", "left": good, "right": good, "points": 0}, "'points' must be in"),
        ({"type": "duel_start", "left": good, "right": good, "seeds": 11}, "'seeds' must be in"),
        ({"type": "duel_start", "left": good, "right": good, "points": 2.5}, "whole number"),
    ]
    for msg, expected in cases:
        (reply,) = lab.handle(msg)
        assert reply["type"] == "error" and expected in reply["message"], (msg, reply)
    assert lab.duel is None
    lab.handle({"type": "duel_start", "left": good, "right": good, "points": 1})
    assert lab.handle({"type": "duel_cancel"})[0]["type"] == "duel_cancelled"
    assert lab.duel is None
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    assert main(["duel", str(bad), str(bad)]) == 2
    assert "top level must be an object" in capsys.readouterr().err
    assert main(["duel", str(tmp_path / "missing.json"), str(bad)]) == 2
