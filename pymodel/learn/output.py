"""The output model: how the clone turns its network's probabilities into moves, tick by tick.

The network says, every tick, how likely the player is to press up, stay or down. Playing the
most likely action afresh every tick (``greedy``) copies decisions, not movement: near a
decision's edge the choice flips from one tick to the next and the paddle jitters where its
player holds a key. An output model keeps a little state between ticks:

- ``greedy``: the most likely action, every tick (no state);
- ``hysteresis``: keep doing what it does until another action is more likely than the current
  one by ``margin`` (a key is held until the player clearly means something else);
- ``hold``: once it starts a move, keep it for at least ``ticks`` ticks (a minimum hold);
- ``sample``: draw the move from the probabilities (sharpened or flattened by a
  ``temperature``). With a feature set that shows the paddle's own speed (``engineered+time``)
  the network gives the chance that the player lets go of a key or presses another one *now*;
  the most likely move is then almost always "keep going", and a greedy clone holds far longer
  than its player. Drawn, those chances give the player's own timing;
- ``intent``: drawn like ``sample``, each tick's move with the predicted chance, but from a
  number that wanders slowly (``persistence`` ticks) instead of a fresh one every tick: a
  clone whose draw leans up keeps leaning up for a while, as a player who aims a little high
  keeps aiming high for the whole approach.

A mover's randomness comes from the seeded generator it is handed (``act(probs, rng)``), never
a global one.

An output model is part of the clone: a weights file names it in its optional ``output``
field, ``{"kind": name, ...knobs}``; without one a clone plays ``greedy``. Each paddle a clone
plays (its own, the ghost) has its own ``Mover``. Adding one is a class here, registered with
``@output_model``, and its test.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import ClassVar

import numpy as np

from ..sim.game import STAY


class Mover:
    """The interface: ``act(probs)`` -> the action this tick (and whatever state it keeps)."""

    name: ClassVar[str]
    label: ClassVar[str]

    def act(self, probs: np.ndarray, rng: np.random.Generator) -> int:
        """This tick's action from the network's action probabilities (``rng``: for the
        movers that draw)."""
        raise NotImplementedError

    def spec(self) -> dict:
        """``{"kind": name, ...knobs}``: what a weights file carries."""
        return {"kind": self.name, **asdict(self)}  # type: ignore[call-overload]


OUTPUT_MODELS: dict[str, type[Mover]] = {}


def output_model(cls: type[Mover]) -> type[Mover]:
    """Register an output model under its ``name``."""
    OUTPUT_MODELS[cls.name] = cls
    return cls


def knob(default: float, lo: float, hi: float, step: float, help_: str):
    """A knob of an output model: its default, range, slider step and one line of help."""
    return field(default=default, metadata={"min": lo, "max": hi, "step": step, "help": help_})


@output_model
@dataclass
class Greedy(Mover):
    """The most likely action, every tick."""

    name: ClassVar[str] = "greedy"
    label: ClassVar[str] = "the most likely move, decided afresh every tick"

    def act(self, probs: np.ndarray, rng: np.random.Generator) -> int:
        """argmax."""
        return int(np.argmax(probs))


@output_model
@dataclass
class Hysteresis(Mover):
    """Keep the current action until another is more likely by ``margin``."""

    name: ClassVar[str] = "hysteresis"
    label: ClassVar[str] = "keeps a move until another is clearly more likely"
    margin: float = knob(
        0.2, 0.0, 0.9, 0.05, "How much more likely another move must be to switch."
    )
    current: int = field(default=STAY, repr=False, metadata={"state": True})

    def act(self, probs: np.ndarray, rng: np.random.Generator) -> int:
        """The current action, unless the most likely one beats it by ``margin``."""
        best = int(np.argmax(probs))
        if best != self.current and probs[best] >= probs[self.current] + self.margin:
            self.current = best
        return self.current

    def spec(self) -> dict:
        """Its kind and margin (not its state)."""
        return {"kind": self.name, "margin": self.margin}


@output_model
@dataclass
class Hold(Mover):
    """Once a move starts, keep it for at least ``ticks`` ticks."""

    name: ClassVar[str] = "hold"
    label: ClassVar[str] = "holds each move for a minimum time"
    ticks: float = knob(12, 1, 120, 1, "The shortest press, in game ticks (120 a second).")
    current: int = field(default=STAY, repr=False, metadata={"state": True})
    held: int = field(default=0, repr=False, metadata={"state": True})

    def act(self, probs: np.ndarray, rng: np.random.Generator) -> int:
        """The greedy action, except that a move keeps going until it was held ``ticks``."""
        best = int(np.argmax(probs))
        if self.current != STAY and self.held < self.ticks:
            self.held += 1
            return self.current
        if best != self.current:
            self.current, self.held = best, 1
        else:
            self.held += 1
        return self.current

    def spec(self) -> dict:
        """Its kind and minimum hold (not its state)."""
        return {"kind": self.name, "ticks": self.ticks}


def _move_at(p: np.ndarray, u: float) -> int:
    """The move whose share of the (unnormalised) probabilities ``p`` holds ``u`` in [0, 1)."""
    cum = np.cumsum(p)
    return int(min(np.searchsorted(cum, u * cum[-1], side="right"), len(p) - 1))


@output_model
@dataclass
class Sample(Mover):
    """A move drawn from the probabilities raised to ``1 / temperature`` (renormalised)."""

    name: ClassVar[str] = "sample"
    label: ClassVar[str] = "draws each move with the chance the network gives it"
    temperature: float = knob(
        1.0, 0.1, 2.0, 0.05, "Below 1 the likeliest move wins more often; 1 draws as predicted."
    )

    def act(self, probs: np.ndarray, rng: np.random.Generator) -> int:
        """One draw from the tempered probabilities."""
        p = np.asarray(probs, dtype=float)
        if self.temperature != 1.0:
            p = np.power(np.maximum(p, 1e-12), 1.0 / self.temperature)
        return _move_at(p, rng.random())


@output_model
@dataclass
class Intent(Mover):
    """A move drawn with the network's chances, from a leaning that changes slowly: the draw's
    uniform number wanders (an AR(1) Gaussian, correlation time ``persistence`` ticks), so each
    tick's move still has the predicted chance, but a clone that leans up keeps leaning up for
    a while instead of drawing afresh every tick."""

    name: ClassVar[str] = "intent"
    label: ClassVar[str] = "draws each move with its chance, from a leaning that changes slowly"
    persistence: float = knob(
        60, 1, 600, 1, "How many ticks (120 a second) a leaning towards up or down lasts."
    )
    z: float = field(default=math.nan, repr=False, metadata={"state": True})

    def act(self, probs: np.ndarray, rng: np.random.Generator) -> int:
        """The move whose share of the probabilities holds this tick's wandering number."""
        if math.isnan(self.z):
            self.z = float(rng.standard_normal())
        else:
            a = math.exp(-1.0 / self.persistence)
            self.z = a * self.z + math.sqrt(1.0 - a * a) * float(rng.standard_normal())
        return _move_at(
            np.asarray(probs, dtype=float), 0.5 * (1.0 + math.erf(self.z / math.sqrt(2.0)))
        )

    def spec(self) -> dict:
        """Its kind and persistence (not its state)."""
        return {"kind": self.name, "persistence": self.persistence}


DEFAULT_OUTPUT: dict = {"kind": "greedy"}  # a clone that names none (a file without ``output``)
# How a new game's clone moves: drawn (docs/experiments.md, "The game's clone").
PLAY_OUTPUT: dict = {"kind": "sample", "temperature": 1.0}


def check_output(spec: object) -> dict:
    """A valid output-model spec (``{"kind": name, ...knobs}``, knobs in range), normalised;
    ValueError with one sentence otherwise."""
    if not isinstance(spec, dict) or spec.get("kind") not in OUTPUT_MODELS:
        raise ValueError(f"an output model is {{'kind': one of {list(OUTPUT_MODELS)}, ...}}")
    cls = OUTPUT_MODELS[spec["kind"]]
    knobs = {f.name: f for f in fields(cls) if not f.metadata.get("state")}
    extra = set(spec) - {"kind", *knobs}
    if extra:
        raise ValueError(f"unknown knobs for the {cls.name} output model: {sorted(extra)}")
    out: dict = {"kind": cls.name}
    for name, f in knobs.items():
        value = spec.get(name, f.default)
        lo, hi = f.metadata["min"], f.metadata["max"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise ValueError(f"output model knob {name} must be a number in [{lo:g}, {hi:g}]")
        out[name] = float(value)
    return out


def mover(spec: dict | None) -> Mover:
    """A fresh ``Mover`` (its own state) for a spec (None: greedy)."""
    s = check_output(spec or DEFAULT_OUTPUT)
    return OUTPUT_MODELS[s.pop("kind")](**s)


def output_choices() -> list[dict]:
    """The schema's part: every output model with its label and knobs."""
    return [
        {
            "name": name,
            "label": cls.label,
            "knobs": [
                {"name": f.name, "default": f.default, **f.metadata}
                for f in fields(cls)
                if not f.metadata.get("state")
            ],
        }
        for name, cls in OUTPUT_MODELS.items()
    ]
