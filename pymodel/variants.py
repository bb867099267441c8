"""What the Lab compares: a ``Variant`` is data (sampler strategy and knobs, feature set,
hidden layers, activation), and the presets are named lists of variants (``curation``,
``network``, ``priors``, ``frontier``). Kept apart from the engine (``lab.py``), which takes
any list of variants."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .features import DEFAULT_FEATURE_SET, n_features
from .features import FEATURE_SETS as _SETS
from .networks import HIDDEN_ACTIVATIONS, HIDDEN_CHOICES, hidden_name, n_params
from .sampler import make_knobs
from .trainer import TrainerConfig

FEATURE_SETS: tuple[str, ...] = tuple(_SETS)  # the names of features.FEATURE_SETS


@dataclass(frozen=True)
class Variant:
    """One way of training a clone: what the sampler keeps and what network learns it."""

    name: str
    strategy: str
    knobs: dict | None = None  # sampler knob overrides (None = the strategy's defaults)
    hidden: tuple[int, ...] = (32, 32)
    activation: str = "tanh"
    feature_set: str = "engineered"

    def validate(self) -> None:
        """Raise ValueError on anything a trainer could not be built from."""
        make_knobs(self.strategy, self.knobs)
        if not 1 <= len(self.hidden) <= 4 or not all(
            isinstance(n, int) and 1 <= n <= 256 for n in self.hidden
        ):
            raise ValueError(f"variant {self.name}: hidden must be 1-4 sizes in 1..256")
        if self.activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(f"variant {self.name}: activation must be in {HIDDEN_ACTIVATIONS}")
        if self.feature_set not in FEATURE_SETS:
            raise ValueError(f"variant {self.name}: feature set must be in {FEATURE_SETS}")

    @property
    def sizes(self) -> list[int]:
        """[inputs of the feature set, hidden..., 3]."""
        return [n_features(self.feature_set), *self.hidden, 3]

    @property
    def params(self) -> int:
        """How many numbers this variant's network learns (weights and biases)."""
        return n_params(self.sizes)

    def trainer_config(self, base: TrainerConfig, dt: float) -> TrainerConfig:
        """``base`` with this variant's network, the recording's dt and no trainer holdout."""
        return replace(
            base,
            sizes=self.sizes,
            feature_set=self.feature_set,
            activation=self.activation,
            holdout_every=0,
        )


def frontier_variants(
    feature_set: str = DEFAULT_FEATURE_SET,
    activations: tuple[str, ...] = HIDDEN_ACTIVATIONS,
    strategy: str = "relevance",
) -> tuple[Variant, ...]:
    """The network-size grid (``networks.HIDDEN_CHOICES``) on one feature set, smallest
    first, named '16x16' (tanh) or '16x16 relu', all with the default curation."""
    return tuple(
        Variant(
            hidden_name(h) + ("" if act == "tanh" else f" {act}"),
            strategy,
            hidden=h,
            activation=act,
            feature_set=feature_set,
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
        out = [replace(v, feature_set=feature_set) for v in out]
    if activation is not None:
        out = [v for v in out if v.activation == activation]
        if not out:
            raise ValueError(f"preset {name!r} has no variant with activation {activation!r}")
    return out


PRESETS: dict[str, tuple[Variant, ...]] = {
    # Does curating the data (the relevance sampler) beat training on every frame?
    "curation": (Variant("uniform", "uniform"), Variant("relevance", "relevance")),
    # Does the network's size matter, with the default curation?
    "network": (
        Variant("16", "relevance", hidden=(16,)),
        Variant("32x32", "relevance"),
        Variant("64x64", "relevance", hidden=(64, 64)),
    ),
    # Priors: what the clone is told (engineered: the intercept and time to impact; raw: what
    # a screen shows) against curation (uniform or relevance): a 2x2.
    "priors": tuple(
        Variant(f"{fs} {st}", st, feature_set=fs)
        for fs in ("engineered", "raw")
        for st in ("uniform", "relevance")
    ),
    # The minimal network frontier: the size grid on one feature set (the CLI's --feature-set).
    "frontier": frontier_variants(),
}
