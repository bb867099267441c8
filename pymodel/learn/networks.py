"""Which networks a clone may be: feature set, hidden layers and activation, validated once.

The Lab's variants, the live game's ``set_network`` request and the schema sent to the page
all take their choices from here, so a size the page offers is a size the Lab can measure.
The hidden-size grid spans the essay's "minimal network frontier": from a single layer of 4
units (a few dozen parameters) to three layers of 32 (a few thousand).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sim.features import DEFAULT_FEATURE_SET, FEATURE_SET_HELP, FEATURE_SETS, n_features
from ..sim.game import ACTIONS
from .output import PLAY_OUTPUT

HIDDEN_ACTIVATIONS: tuple[str, ...] = ("tanh", "relu")
HIDDEN_CHOICES: tuple[tuple[int, ...], ...] = (
    (4,),
    (8,),
    (16,),
    (32,),
    (16, 16),
    (32, 32),
    (64, 64),
    (32, 32, 32),
)
DEFAULT_HIDDEN: tuple[int, ...] = (32, 32)
N_ACTIONS = len(ACTIONS)  # the policy's outputs: one logit per action


def hidden_name(hidden: tuple[int, ...] | list[int]) -> str:
    """'32x32' for (32, 32): how tables and the page label a hidden-layer choice."""
    return "x".join(str(n) for n in hidden)


def n_params(sizes: list[int] | tuple[int, ...]) -> int:
    """Weights plus biases of an MLP with layer ``sizes`` [inputs, hidden..., outputs]."""
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))


@dataclass(frozen=True)
class Network:
    """One validated choice: what the clone observes and the shape of its network."""

    feature_set: str = DEFAULT_FEATURE_SET
    hidden: tuple[int, ...] = DEFAULT_HIDDEN
    activation: str = "tanh"

    def __post_init__(self) -> None:
        """Refuse what no trainer could be built from (any size the Lab may try, not only
        the choices the page offers: those are ``network_of``'s check)."""
        if self.feature_set not in FEATURE_SETS:
            raise ValueError(f"feature set must be one of {list(FEATURE_SETS)}")
        if not 1 <= len(self.hidden) <= 4 or not all(
            isinstance(n, int) and 1 <= n <= 256 for n in self.hidden
        ):
            raise ValueError("hidden must be 1-4 layer sizes in 1..256")
        if self.activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(f"activation must be one of {list(HIDDEN_ACTIVATIONS)}")

    @property
    def sizes(self) -> list[int]:
        """[inputs, hidden..., 3]: the layer sizes ``TrainerConfig.sizes`` takes."""
        return [n_features(self.feature_set), *self.hidden, N_ACTIONS]

    @property
    def params(self) -> int:
        """How many numbers this network learns."""
        return n_params(self.sizes)


# The clone a game starts with: it sees where the ball is and will reach it (and where on its
# paddle it would meet it), and time, not the coming ball's speed; while the ball moves away,
# where it is level with its paddle and which way it goes; and it draws its moves. It mirrors
# as soon as `where+meet` and is the one clone whose reversals a rally are within 0.7-1.4x of
# every teacher's (docs/experiments.md, "Which way the ball goes"); experiments keep naming
# their own (their baseline is DEFAULT_FEATURE_SET, greedy).
PLAY_FEATURE_SET = "where+away"


def play_network() -> Network:
    """The network a new game's clone is (``PLAY_FEATURE_SET``, the default size)."""
    return Network(PLAY_FEATURE_SET)


def network_of(msg: dict) -> Network:
    """Validate ``{feature_set?, hidden?, activation?}`` (missing = the game's default,
    ``PLAY_FEATURE_SET`` and ``DEFAULT_HIDDEN``) against the choices above; ValueError with one
    sentence on anything else, before anything changes."""
    fs = msg.get("feature_set", PLAY_FEATURE_SET)
    if fs not in FEATURE_SETS:
        raise ValueError(f"unknown feature set {fs!r}; known: {list(FEATURE_SETS)}")
    hidden = msg.get("hidden", list(DEFAULT_HIDDEN))
    if not isinstance(hidden, list | tuple) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in hidden
    ):
        raise ValueError("hidden must be a list of layer sizes, e.g. [32, 32]")
    if tuple(hidden) not in HIDDEN_CHOICES:
        known = [list(h) for h in HIDDEN_CHOICES]
        raise ValueError(f"hidden {list(hidden)} is not offered; choices: {known}")
    act = msg.get("activation", "tanh")
    if act not in HIDDEN_ACTIVATIONS:
        raise ValueError(f"activation must be one of {list(HIDDEN_ACTIVATIONS)}, not {act!r}")
    return Network(fs, tuple(hidden), act)


def choices() -> dict:
    """The schema's part: feature sets (name, features, help), hidden sizes with their
    parameter counts per feature set, activations and the defaults."""
    return {
        "feature_sets": [
            {"name": name, "features": list(names), "help": FEATURE_SET_HELP[name]}
            for name, names in FEATURE_SETS.items()
        ],
        "default_feature_set": PLAY_FEATURE_SET,
        "default_output": dict(PLAY_OUTPUT),
        "hidden_choices": [
            {
                "hidden": list(h),
                "label": hidden_name(h),
                "params": {fs: Network(fs, h).params for fs in FEATURE_SETS},
            }
            for h in HIDDEN_CHOICES
        ],
        "default_hidden": list(DEFAULT_HIDDEN),
        "activations": list(HIDDEN_ACTIVATIONS),
    }
