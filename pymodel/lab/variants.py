"""What the Lab compares: a ``Variant`` is a ``Network`` (feature set, hidden layers,
activation) plus a sampler (strategy and knobs), and the presets are named lists of variants.
Kept apart from the engine (``engine.py``), which takes any list of variants, so the game's
worker can send the presets in its schema without importing the engine."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..learn.budgets import BUDGETS, DEFAULT_BUDGET
from ..learn.networks import HIDDEN_ACTIVATIONS, HIDDEN_CHOICES, Network, hidden_name
from ..learn.output import check_output
from ..learn.sampler import make_knobs
from ..learn.trainer import TrainerConfig
from ..sim.features import DEFAULT_FEATURE_SET, FEATURE_SETS

MAX_SEEDS = 10  # seeds per Lab run in the page (each is one fresh clone per variant)
MAX_SLICE_TICKS = 12_000  # ticks one Lab step replays at most (100 game seconds)


# A variant's overrides of the run's trainer settings: its field -> TrainerConfig's field.
TRAINER_FIELDS: dict[str, str] = {
    "budget": "steps_per_game_second",
    "capacity": "capacity",
    "lr": "lr",
    "batch": "batch",
    "ema": "ema",
}


@dataclass(frozen=True)
class Variant:
    """One way of training a clone: what the sampler keeps and what network learns it."""

    name: str
    strategy: str
    knobs: dict | None = None  # sampler knob overrides (None = the strategy's defaults)
    net: Network = field(default_factory=Network)
    output: dict | None = None  # the output model (None = greedy)
    budget: float | None = None  # training steps per game second (None = the run's)
    capacity: int | None = None  # replay buffer frames (None = the run's)
    lr: float | None = None  # Adam's step size (None = the run's)
    batch: int | None = None  # frames a training step learns from (None = the run's)
    ema: float | None = None  # play a running average of the weights (None = the run's)

    @property
    def feature_set(self) -> str:
        """What the clone observes."""
        return self.net.feature_set

    @property
    def hidden(self) -> tuple[int, ...]:
        """The hidden layer sizes."""
        return self.net.hidden

    @property
    def activation(self) -> str:
        """The hidden activation."""
        return self.net.activation

    @property
    def params(self) -> int:
        """How many numbers this variant's network learns (weights and biases)."""
        return self.net.params

    def validate(self) -> None:
        """Raise ValueError on anything a trainer could not be built from."""
        make_knobs(self.strategy, self.knobs)
        if self.output is not None:
            check_output(self.output)
        if self.budget is not None and not 0.1 <= self.budget <= 2000:
            raise ValueError(f"variant {self.name}: budget must be 0.1..2000 steps a second")
        if self.capacity is not None and not 16 <= self.capacity <= 1_000_000:
            raise ValueError(f"variant {self.name}: capacity must be 16..1000000 frames")
        if self.lr is not None and not 1e-5 <= self.lr <= 0.1:
            raise ValueError(f"variant {self.name}: lr must be 0.00001..0.1")
        if self.batch is not None and (
            not isinstance(self.batch, int)
            or isinstance(self.batch, bool)
            or not 1 <= self.batch <= 4096
        ):
            raise ValueError(f"variant {self.name}: batch must be a whole number 1..4096")
        if self.ema is not None and not 0.0 <= self.ema < 1.0:
            raise ValueError(f"variant {self.name}: ema must be in [0, 1)")

    def trainer_config(self, base: TrainerConfig) -> TrainerConfig:
        """``base`` with this variant's network and output model, and no trainer holdout
        (the Lab holds frames out itself)."""
        n = self.net
        return replace(
            base,
            sizes=n.sizes,
            feature_set=n.feature_set,
            activation=n.activation,
            holdout_every=0,
            output=self.output if self.output is not None else base.output,
            **{
                TRAINER_FIELDS[k]: getattr(self, k)
                for k in TRAINER_FIELDS
                if getattr(self, k) is not None
            },
        )

    def info(self) -> dict:
        """What reports need of a variant (JSON-friendly)."""
        return {
            "name": self.name,
            "strategy": self.strategy,
            "feature_set": self.feature_set,
            "hidden": list(self.hidden),
            "activation": self.activation,
            "params": self.params,
            "output": self.output,
            **{k: getattr(self, k) for k in TRAINER_FIELDS},
        }


def variant_from(doc: dict) -> Variant:
    """A variant from plain data ({name, strategy, knobs?, feature_set?, hidden?, activation?,
    output?, budget?, capacity?, lr?, batch?, ema?}), validated; ValueError says what is wrong."""
    if not isinstance(doc, dict) or not isinstance(doc.get("name"), str):
        raise ValueError("a variant is an object with a name and a strategy")
    known = {"name", "strategy", "knobs", "feature_set", "hidden", "activation", "output"}
    extra = set(doc) - known - set(TRAINER_FIELDS)
    if extra:
        raise ValueError(f"variant {doc['name']}: unknown fields {sorted(extra)}")
    net = Network(
        doc.get("feature_set", DEFAULT_FEATURE_SET),
        tuple(doc.get("hidden", Network().hidden)),
        doc.get("activation", "tanh"),
    )
    v = Variant(
        doc["name"],
        doc.get("strategy", "uniform"),
        doc.get("knobs"),
        net,
        doc.get("output"),
        **{k: doc.get(k) for k in TRAINER_FIELDS},
    )
    v.validate()
    return v


def frontier_variants(
    feature_set: str = DEFAULT_FEATURE_SET,
    activations: tuple[str, ...] = HIDDEN_ACTIVATIONS,
    strategy: str = "relevance",
) -> tuple[Variant, ...]:
    """The network-size grid (``networks.HIDDEN_CHOICES``) on one feature set, smallest
    first, named '16x16' (tanh) or '16x16 relu', all with the same sampler."""
    return tuple(
        Variant(
            hidden_name(h) + ("" if act == "tanh" else f" {act}"),
            strategy,
            net=Network(feature_set, h, act),
        )
        for act in activations
        for h in HIDDEN_CHOICES
    )


def preset_variants(
    name: str, feature_set: str | None = None, activation: str | None = None
) -> list[Variant]:
    """A preset's variants; ``feature_set`` puts every variant on that set (refused for
    ``priors``, which compares sets), ``activation`` keeps only variants with that one."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; known: {list(PRESETS)}")
    out = list(PRESETS[name])
    if feature_set is not None:
        if name == "priors":
            raise ValueError("the priors preset compares feature sets itself")
        if feature_set not in FEATURE_SETS:
            raise ValueError(f"unknown feature set {feature_set!r}; known: {list(FEATURE_SETS)}")
        out = [replace(v, net=replace(v.net, feature_set=feature_set)) for v in out]
    if activation is not None:
        out = [v for v in out if v.activation == activation]
        if not out:
            raise ValueError(f"preset {name!r} has no variant with activation {activation!r}")
    return out


GRID_BUDGETS: tuple[float, ...] = (2, 5, 20, 60, 200, 600)  # steps a game second
# ... and every budget the page offers (learn.budgets), so the grid judges each one's sampler
COMPUTE_BUDGETS: tuple[float, ...] = tuple(
    sorted(set(GRID_BUDGETS) | {b.steps_per_second for b in BUDGETS})
)
BUFFER_CAPACITIES: tuple[int, ...] = (512, 1024, 2048, 4096, 8192, 16384)  # frames
GRID_SAMPLERS: tuple[str, ...] = ("uniform", "relevance", "rare", "mistakes", "keyframe")


def compute_variants(
    budgets: tuple[float, ...] = COMPUTE_BUDGETS, samplers: tuple[str, ...] = GRID_SAMPLERS
) -> tuple[Variant, ...]:
    """The compute grid: every sampler at every training budget (steps a game second)."""
    return tuple(Variant(f"{st} @{b:g}", st, budget=b) for b in budgets for st in samplers)


def buffer_variants(
    capacities: tuple[int, ...] = BUFFER_CAPACITIES, samplers: tuple[str, ...] = GRID_SAMPLERS
) -> tuple[Variant, ...]:
    """The buffer grid: every sampler with every replay-buffer capacity."""
    return tuple(Variant(f"{st} #{c}", st, capacity=c) for c in capacities for st in samplers)


def budget_variants() -> tuple[Variant, ...]:
    """The page's budgets (``learn.budgets``) as it trains at each: its steps a game second
    with its sampler, the default (Normal) first: the baseline of the race's ratios."""
    order = sorted(BUDGETS, key=lambda b: b.name != DEFAULT_BUDGET)
    return tuple(
        Variant(
            f"{b.name} ({b.steps_per_second:g}, {b.sampler})", b.sampler, budget=b.steps_per_second
        )
        for b in order
    )


PRESETS: dict[str, tuple[Variant, ...]] = {
    # Does curating the data (the relevance sampler) beat training on every frame?
    "curation": (Variant("uniform", "uniform"), Variant("relevance", "relevance")),
    # Does the network's size matter, with the default curation?
    "network": (
        Variant("16", "relevance", net=Network(hidden=(16,))),
        Variant("32x32", "relevance"),
        Variant("64x64", "relevance", net=Network(hidden=(64, 64))),
    ),
    # Priors: what the clone is told (engineered: the intercept and time to impact; raw: what
    # a screen shows) against curation (uniform or relevance): a 2x2.
    "priors": tuple(
        Variant(f"{fs} {st}", st, net=Network(fs))
        for fs in ("engineered", "raw")
        for st in ("uniform", "relevance")
    ),
    # The minimal network frontier: the size grid on one feature set (the CLI's --feature-set).
    "frontier": frontier_variants(),
    # Movement: what the clone is told about time (engineered, or with how long since the ball
    # turned and its own speed) against how it turns probabilities into moves (greedy, or
    # holding a move until another is clearly more likely): a 2x2 on the uniform sampler.
    "movement": tuple(
        Variant(f"{fs} {out['kind']}", "uniform", net=Network(fs), output=out)
        for fs in ("engineered", "engineered+time")
        for out in ({"kind": "greedy"}, {"kind": "hysteresis", "margin": 0.2})
    ),
    # Where curation pays: every sampler at budgets from 2 to 600 training steps a game second.
    "compute": compute_variants(),
    # ... and with replay buffers from 512 to 16,384 frames at the run's budget.
    "buffer": buffer_variants(),
    # The page's Light / Normal / Full, each with the sampler it trains with there.
    "budgets": budget_variants(),
}
