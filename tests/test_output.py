"""Output models (pymodel/learn/output.py): how probabilities become held moves."""

import numpy as np
import pytest

from pymodel.formats import weights
from pymodel.learn import mlp
from pymodel.learn.networks import PLAY_FEATURE_SET
from pymodel.learn.output import OUTPUT_MODELS, PLAY_OUTPUT, check_output, mover, output_choices
from pymodel.sim.features import DEFAULT_FEATURE_SET, n_features
from pymodel.sim.game import STAY
from pymodel.worker.game_session import Session
from pymodel.worker.schema import schema

UP, DOWN = 0, 2
P_UP = np.array([0.6, 0.3, 0.1])
P_NEAR_UP = np.array([0.45, 0.4, 0.15])
P_STAY = np.array([0.35, 0.4, 0.25])


def run(spec: dict, probs: list[np.ndarray], seed: int = 0) -> list[int]:
    m, rng = mover(spec), np.random.default_rng(seed)
    return [m.act(p, rng) for p in probs]


def test_greedy_plays_the_most_likely_move_every_tick():
    assert run({"kind": "greedy"}, [P_UP, P_STAY, P_NEAR_UP]) == [UP, STAY, UP]


def test_hysteresis_switches_only_when_another_move_is_clearly_more_likely():
    spec = {"kind": "hysteresis", "margin": 0.2}
    # From stay, up at 0.45 against stay at 0.40 is not enough; 0.6 against 0.3 is.
    assert run(spec, [P_NEAR_UP, P_UP, P_STAY, P_NEAR_UP]) == [STAY, UP, UP, UP]


def test_hold_keeps_a_started_move_for_its_ticks():
    out = run({"kind": "hold", "ticks": 3}, [P_UP, P_STAY, P_STAY, P_STAY, P_STAY])
    assert out == [UP, UP, UP, STAY, STAY]


def test_sample_draws_with_the_predicted_chances_from_the_generator_it_is_given():
    probs = [P_UP] * 20_000
    out = np.array(run({"kind": "sample"}, probs, seed=3))
    shares = np.bincount(out, minlength=3) / len(out)
    assert np.allclose(shares, P_UP, atol=0.015)
    assert run({"kind": "sample"}, probs[:200], seed=3) == out[:200].tolist()  # seeded
    assert run({"kind": "sample"}, probs[:200], seed=4) != out[:200].tolist()


def test_a_low_temperature_sharpens_and_a_high_one_flattens():
    probs = [P_UP] * 5_000
    cold = np.mean(np.array(run({"kind": "sample", "temperature": 0.2}, probs)) == UP)
    warm = np.mean(np.array(run({"kind": "sample", "temperature": 2.0}, probs)) == UP)
    assert cold > 0.95 > 0.6 > warm > 0.4  # 0.6^5 / (0.6^5+0.3^5+0.1^5) = 0.97; ^0.5: 0.48
    certain = run({"kind": "sample", "temperature": 0.1}, [np.array([0.0, 0.0, 1.0])] * 50)
    assert certain == [DOWN] * 50  # a move with no chance is never drawn


def test_intent_draws_with_the_predicted_chances_but_changes_its_move_far_less_often():
    probs = [P_UP] * 60_000
    drawn = np.array(run({"kind": "sample"}, probs, seed=5))
    leaning = np.array(run({"kind": "intent", "persistence": 30}, probs, seed=5))
    shares = np.bincount(leaning, minlength=3) / len(leaning)
    assert np.allclose(shares, P_UP, atol=0.04)  # each tick: the network's chances
    changes = np.mean(np.diff(leaning) != 0)
    assert changes < 0.3 * np.mean(np.diff(drawn) != 0)  # 0.11 against 0.54 a tick
    # A longer leaning changes less; the same seed draws the same moves.
    longer = np.array(run({"kind": "intent", "persistence": 240}, probs, seed=5))
    assert np.mean(np.diff(longer) != 0) < changes
    assert run({"kind": "intent", "persistence": 30}, probs[:300], seed=5) == leaning[:300].tolist()
    # A certain move is always played, whatever the leaning.
    assert run({"kind": "intent"}, [np.array([0.0, 1.0, 0.0])] * 200, seed=1) == [STAY] * 200


def test_specs_are_checked_and_every_model_is_in_the_schema():
    assert check_output({"kind": "sample"}) == {"kind": "sample", "temperature": 1.0}
    with pytest.raises(ValueError, match="temperature"):
        check_output({"kind": "sample", "temperature": 5})
    with pytest.raises(ValueError, match="unknown knobs"):
        check_output({"kind": "greedy", "margin": 0.1})
    with pytest.raises(ValueError, match="output model"):
        check_output({"kind": "dice"})
    assert [c["name"] for c in output_choices()] == list(OUTPUT_MODELS)
    assert mover({"kind": "sample", "temperature": 0.5}).spec() == {
        "kind": "sample",
        "temperature": 0.5,
    }


def test_a_new_game_draws_where_time_moves_and_a_loaded_clone_keeps_its_own():
    assert PLAY_FEATURE_SET != DEFAULT_FEATURE_SET and PLAY_OUTPUT["kind"] != "greedy"
    s = Session(seed=3)
    ready = s.handle({"type": "init", "seed": 3})[0]
    assert ready["settings"]["feature_set"] == PLAY_FEATURE_SET
    assert ready["settings"]["output"] == check_output(PLAY_OUTPUT)
    assert ready["schema"]["default_feature_set"] == PLAY_FEATURE_SET
    assert ready["schema"]["default_output"] == PLAY_OUTPUT == schema()["default_output"]
    assert (
        len(ready["features"]) == len(ready["schema"]["features"]) == n_features(PLAY_FEATURE_SET)
    )
    # Reset AI keeps the way it moves; a file that names no output model plays greedy.
    s.handle({"type": "reset_ai"})
    assert s.trainer.output == check_output(PLAY_OUTPUT)
    sizes = [n_features(DEFAULT_FEATURE_SET), 4, 3]
    text = weights.to_json(mlp.init_params(sizes, np.random.default_rng(0)), "tanh")
    ready = s.handle({"type": "init", "seed": 3, "weights": text})[0]
    assert ready["settings"]["feature_set"] == DEFAULT_FEATURE_SET
    assert ready["settings"]["output"] == {"kind": "greedy"}
