"""The online trainer: records the human's frames through the sampler and trains the clone.

The training budget is expressed per second of *game* time (``steps_per_game_second``), so a
headless experiment and the browser train exactly as much per minute of play. A fixed share of
frames (every ``holdout_every``-th, independent of the sampler so every strategy is measured
on the same kind of frames) goes to a held-out ring instead of training; the *mirror score* is
the agreement of the network's greedy action with the human's on those frames, by phase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from ..sim.features import DEFAULT_FEATURE_SET, N_FEATURES, feature_names, n_features
from . import mlp
from .buffer import ReplayBuffer
from .networks import Network, hidden_name
from .output import check_output, mover
from .sampler import DEFAULT_STRATEGY, Sampler

# A new game's clone remembers 8,192 frames (68 s of play on the uniform sampler, which keeps
# every frame), twice the experiments' buffer: it stays mirrored more often on every seed set
# (docs/experiments.md, "How long the clone remembers").
PLAY_CAPACITY = 8192


@dataclass
class TrainerConfig:
    """Hyperparameters of the online trainer."""

    sizes: list[int] = field(default_factory=lambda: [N_FEATURES, 32, 32, 3])  # MLP layers
    feature_set: str = DEFAULT_FEATURE_SET  # what the clone observes; sizes[0] is its width
    activation: str = "tanh"  # hidden activation; smooth, keeps outputs bounded
    lr: float = mlp.LR  # Adam step size
    batch: int = 64  # minibatch size
    steps_per_game_second: float = 60.0  # training budget per game second of play
    capacity: int = 4096  # replay buffer frames (fixed memory: ~0.3 MB at 9 features)
    holdout_every: int = 10  # every n-th frame is held out for the mirror score; 0 = none
    holdout_capacity: int = 600  # held-out ring: the last ~50 game seconds of frames
    min_holdout: int = 30  # fewer frames in a phase than this: its mirror score is None
    loss_ema: float = 0.02  # weight of the newest loss in the running loss
    output: dict | None = None  # the output model (learn.output; None = greedy)
    # Polyak averaging: the clone plays (and is judged by) a running average of its weights,
    # the newest step weighing (1 - ema); 0 = it plays the weights as trained.
    ema: float = 0.0


class OnlineTrainer:
    """Owns the params, Adam, sampler, replay buffer and held-out ring of one clone."""

    def __init__(
        self,
        rng: np.random.Generator,
        config: TrainerConfig | None = None,
        strategy: str = DEFAULT_STRATEGY,
        knobs: dict | None = None,
    ) -> None:
        self.config = config or TrainerConfig()
        c = self.config
        if c.sizes[0] != n_features(c.feature_set):  # also refuses an unknown set
            raise ValueError(
                f"sizes[0] = {c.sizes[0]} but feature set {c.feature_set!r} has "
                f"{n_features(c.feature_set)} features"
            )
        self.rng = rng
        self.output = check_output(c.output or {"kind": "greedy"})
        self.sampler = Sampler(rng, strategy, knobs, c.feature_set)
        self.sampler.predict = self.probs_one
        self._frames(c.sizes[0])
        self.reset(rng)

    def _frames(self, n: int) -> None:
        """An empty replay buffer and held-out ring for observations of width ``n``."""
        c = self.config
        self.buffer = ReplayBuffer(c.capacity, n, self.rng)
        self.hold_obs = np.zeros((c.holdout_capacity, n))
        self.hold_act = np.zeros(c.holdout_capacity, dtype=np.int64)
        self.hold_app = np.zeros(c.holdout_capacity, dtype=bool)
        self.hold_size = self.hold_next = 0

    @property
    def feature_set(self) -> str:
        """The feature set this clone observes with (its frames are computed with it too)."""
        return self.config.feature_set

    @property
    def feature_names(self) -> list[str]:
        """The names of this clone's inputs, in order."""
        return list(feature_names(self.config.feature_set))

    def reset(self, rng: np.random.Generator | None = None) -> None:
        """Fresh random weights, a new Adam, an empty buffer and held-out ring, zero counters."""
        if rng is not None:
            self.rng = self.sampler.rng = self.buffer.rng = rng
        self.params = mlp.init_params(self.config.sizes, self.rng, self.config.activation)
        self.activations = mlp.activations_for(self.params, self.config.activation)
        self.adam = mlp.Adam(lr=self.config.lr)
        self.avg: mlp.Params | None = None
        self.buffer.clear()
        self.hold_size = self.hold_next = 0
        self.seen = self.kept = self.steps = 0
        self.frame_count = 0
        self.owed = 0.0
        self.loss: float | None = None

    def load(
        self, params: mlp.Params, activations: list[str], feature_set: str | None = None
    ) -> None:
        """Play and keep training from loaded params (e.g. an imported weights file).

        The arrays are copied into one flat buffer, as ``mlp.init_params`` lays them out, so
        a loaded clone trains on Adam's fast path too. A clone of another feature set (or
        shape) brings its own: the config follows it, and frames of the old set are dropped
        (they would not fit its inputs)."""
        fs = self.config.feature_set if feature_set is None else feature_set
        sizes = mlp.layer_sizes(params)
        if sizes[0] != n_features(fs):
            raise ValueError(
                f"the clone has {sizes[0]} inputs, feature set {fs!r} has {n_features(fs)}"
            )
        renew = fs != self.config.feature_set or sizes[0] != self.config.sizes[0]
        self.config = replace(self.config, feature_set=fs, sizes=sizes)
        if renew:
            self._frames(sizes[0])
        self.params = mlp.tile(params)
        self.activations = list(activations)
        self.adam = mlp.Adam(lr=self.config.lr)
        self.avg = None

    def record(self, obs: np.ndarray, action: int, approaching: bool, since_hit: float) -> None:
        """One tick of the human: held out, or offered to the sampler for the buffer."""
        self.frame_count += 1
        every = self.config.holdout_every  # 0: the caller (the Lab) holds frames out itself
        if every and self.frame_count % every == 0:
            i = self.hold_next
            self.hold_obs[i], self.hold_act[i], self.hold_app[i] = obs, action, approaching
            self.hold_next = (i + 1) % self.config.holdout_capacity
            self.hold_size = min(self.hold_size + 1, self.config.holdout_capacity)
            return
        self.seen += 1
        if self.sampler.keep(action, approaching, since_hit, obs):
            self.kept += 1
            self.buffer.add(obs, action, approaching)

    def owe(self, game_dt: float) -> None:
        """Add the training steps owed for ``game_dt`` seconds of play (capped at 2 s worth)."""
        cap = 2.0 * self.config.steps_per_game_second
        self.owed = min(self.owed + game_dt * self.config.steps_per_game_second, cap)

    def train(
        self,
        max_steps: int | None = None,
        deadline: float | None = None,
        budgeted: bool = True,
        clock: Callable[[], float] | None = None,
    ) -> int:
        """Run owed steps (until ``clock()`` reaches ``deadline``, if given); return count.

        The caller owns time (the worker passes its clock; the Lab and the race pass none and
        train exactly what is owed). ``budgeted=False`` ignores the game-time budget and
        trains until the deadline (or ``max_steps``): what the benchmarks measure. The debt
        is left as it was."""
        c = self.config
        if self.buffer.size < c.batch:
            self.owed = 0.0  # nothing to learn from yet: do not pile up debt
            return 0
        if deadline is not None and clock is None:
            raise ValueError("a deadline needs a clock")
        if not budgeted and deadline is None and max_steps is None:
            raise ValueError("an unbudgeted train() needs a deadline or max_steps")
        done = 0
        while (self.owed >= 1.0 or not budgeted) and (max_steps is None or done < max_steps):
            if deadline is not None and clock is not None and clock() >= deadline:
                break
            x, y = self.buffer.sample(c.batch)
            loss, grads = mlp.loss_and_grads(self.params, x, y, self.activations)
            if self.adam.step(self.params, grads):
                self.loss = (
                    loss
                    if self.loss is None
                    else ((1 - c.loss_ema) * self.loss + c.loss_ema * loss)
                )
            if c.ema:
                self._average(c.ema)
            if budgeted:
                self.owed -= 1.0
            self.steps += 1
            done += 1
        return done

    def _average(self, decay: float) -> None:
        """Move the running average of the weights towards the weights just trained."""
        if self.avg is None:
            self.avg = {k: v.copy() for k, v in self.params.items()}
            return
        for k, v in self.params.items():
            a = self.avg[k]
            a += (1.0 - decay) * (v - a)

    @property
    def play_params(self) -> mlp.Params:
        """The weights the clone plays with: the running average (``ema``) or as trained."""
        return self.avg if self.config.ema and self.avg is not None else self.params

    def probs_one(self, obs: np.ndarray) -> np.ndarray:
        """The clone's action probabilities for one observation (``mlp.forward_one``)."""
        return mlp.softmax(mlp.forward_one(self.play_params, obs, self.activations))

    def action(self, obs: np.ndarray) -> int:
        """The clone's greedy action for one observation (no output model)."""
        return int(mlp.forward_one(self.play_params, obs, self.activations).argmax())

    def player(self, rng: np.random.Generator) -> Callable[[np.ndarray], int]:
        """A policy for one paddle: the network's probabilities through a fresh ``Mover`` of
        this clone's output model (each paddle keeps its own state between ticks, and draws,
        if its model draws, from ``rng``)."""
        m = mover(self.output)
        return lambda obs: m.act(self.probs_one(obs), rng)

    def set_output(self, spec: dict) -> None:
        """Play through another output model from now on (validated first)."""
        self.output = check_output(spec)

    def mirror_score(self) -> dict[str, float | None]:
        """Agreement with the human on held-out frames: approach, away and all."""
        n = self.hold_size
        out: dict[str, float | None] = {"approach": None, "away": None, "all": None}
        if n == 0:
            return out
        pred, _ = mlp.predict(self.play_params, self.hold_obs[:n], self.activations)
        agree = pred == self.hold_act[:n]
        app = self.hold_app[:n]
        for key, mask in (("approach", app), ("away", ~app), ("all", np.ones(n, dtype=bool))):
            if mask.sum() >= self.config.min_holdout:
                out[key] = float(agree[mask].mean())
        return out

    def metrics(self) -> dict:
        """Loss, counts, buffer composition and mirror score."""
        return {
            "loss": self.loss,
            "seen": self.seen,
            "kept": self.kept,
            "steps": self.steps,
            "buffer": self.buffer.composition(),
            "mirror": self.mirror_score(),
        }

    def decide(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Greedy actions [B] and probabilities [B, 3] for observations x [B, n_features]."""
        return mlp.predict(self.play_params, x, self.activations)

    def network(self, obs: np.ndarray) -> dict:
        """Weights, biases and every layer's values for one observation (the network view)."""
        p = self.play_params
        n = mlp.n_layers(p)
        _, cache = mlp.forward(p, obs[None, :], self.activations)
        return {
            "sizes": self.layer_sizes(),
            "activations": self.activations,
            "weights": [p[f"W{i}"].tolist() for i in range(1, n + 1)],
            "biases": [p[f"b{i}"].tolist() for i in range(1, n + 1)],
            "values": [cache[f"h{i}"][0].tolist() for i in range(n + 1)],
        }

    def renewed(self, seed: int, net: Network) -> OnlineTrainer:
        """A fresh clone of network ``net`` with this one's sampler and knobs (this one is
        left as it was: the caller swaps them, so a failure changes nothing)."""
        clone = fresh_clone(seed, net, self.sampler.strategy, self.sampler.knob_dict())
        clone.output = dict(self.output)
        return clone

    def settings(self) -> dict:
        """What this clone is (the ``settings`` reply's part): sampler, knobs, feature set,
        hidden layers (sizes and label) and hidden activation."""
        hidden = self.layer_sizes()[1:-1]
        return {
            "sampler": self.sampler.strategy,
            "knobs": self.sampler.knob_dict(),
            "feature_set": self.feature_set,
            "hidden": hidden,
            "hidden_name": hidden_name(hidden),
            "activation": self.activations[0],
            "output": dict(self.output),
        }

    def layer_sizes(self) -> list[int]:
        """[inputs, hidden..., outputs] of the current network."""
        return mlp.layer_sizes(self.params)


def fresh_clone(
    seed: int, net: Network, strategy: str = DEFAULT_STRATEGY, knobs: dict | None = None
) -> OnlineTrainer:
    """A new clone with random weights (rng ``[seed, 1]``) of the network ``net`` and a
    buffer of ``PLAY_CAPACITY`` frames: the live game's Reset AI, ``set_network`` and an
    import all start from here. Raises before building on a bad sampler or knob."""
    config = TrainerConfig(
        sizes=net.sizes,
        feature_set=net.feature_set,
        activation=net.activation,
        capacity=PLAY_CAPACITY,
    )
    return OnlineTrainer(np.random.default_rng([seed, 1]), config, strategy, knobs)
