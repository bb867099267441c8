"""A small numpy MLP policy: params as a dict of named arrays, forward with a cache, backward.

Layer i (1-based) computes ``act_i(x @ W{i} + b{i})`` with ``W{i}`` of shape [inputs, outputs];
hidden layers use ``tanh`` (or ``relu``), the last layer is linear and gives the logits over
the actions (up, stay, down). Pure maths: no I/O, randomness only from the Generator passed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

ACTIVATIONS: tuple[str, ...] = ("tanh", "relu", "linear")
LR = 3e-3  # Adam step size: fast enough to follow a human within a minute of play
BETAS = (0.9, 0.999)  # Adam moment decay rates (the usual defaults)
EPS = 1e-8  # Adam denominator guard
CLIP_NORM = 5.0  # global gradient-norm clip: one odd batch must not wreck the policy

Params = dict[str, np.ndarray]


def n_layers(params: Params) -> int:
    """Number of layers (W/b pairs) in ``params``."""
    return sum(1 for k in params if k.startswith("W"))


def layer_sizes(params: Params) -> list[int]:
    """[inputs, hidden..., outputs] of ``params``."""
    n = n_layers(params)
    return [params["W1"].shape[0]] + [params[f"W{i}"].shape[1] for i in range(1, n + 1)]


def activations_for(params: Params, activation: str | Sequence[str]) -> list[str]:
    """Per-layer activation names: a single name means hidden layers use it, last is linear."""
    n = n_layers(params)
    if isinstance(activation, str):
        acts = [activation] * (n - 1) + ["linear"]
    else:
        acts = list(activation)
    if len(acts) != n or any(a not in ACTIVATIONS for a in acts):
        raise ValueError(f"need {n} activations from {ACTIVATIONS}, got {acts}")
    return acts


def init_params(sizes: Sequence[int], rng: np.random.Generator, activation: str = "tanh") -> Params:
    """Random weights for layer sizes like [9, 32, 32, 3] (Xavier for tanh, He for relu).

    The arrays are views into one flat buffer, in key order, so Adam can update them all
    with one numpy call instead of gathering and scattering each (see Adam._shared_buffer).
    """
    pairs = list(zip(sizes[:-1], sizes[1:], strict=False))
    flat = np.empty(sum(fan_in * fan_out + fan_out for fan_in, fan_out in pairs))
    params: Params = {}
    start = 0
    for i, (fan_in, fan_out) in enumerate(pairs, start=1):
        gain = 2.0 if activation == "relu" and i < len(sizes) - 1 else 1.0
        w = flat[start : start + fan_in * fan_out].reshape(fan_in, fan_out)
        w[...] = rng.normal(0.0, np.sqrt(gain / fan_in), size=(fan_in, fan_out))
        start += w.size
        params[f"W{i}"] = w
        params[f"b{i}"] = flat[start : start + fan_out]
        params[f"b{i}"][...] = 0.0
        start += fan_out
    return params


def tile(params: Params) -> Params:
    """Copies of ``params`` laid out like init_params's: views into one flat float64 buffer
    in key order (W1, b1, W2, ...), so Adam's one-call update applies to them."""
    keys = [k for i in range(1, n_layers(params) + 1) for k in (f"W{i}", f"b{i}")]
    flat = np.concatenate([np.asarray(params[k], dtype=np.float64).ravel() for k in keys])
    out: Params = {}
    start = 0
    for k in keys:
        shape = np.shape(params[k])
        size = int(np.prod(shape))
        out[k] = flat[start : start + size].reshape(shape)
        start += size
    return out


def _tanh(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """tanh as 1 - 2 / (exp(2z) + 1): five cheap numpy calls, and np.tanh is slow under Pyodide.

    exp overflows to inf for z > ~355, which gives exactly 1, so the warning is silenced.
    ``out`` may be ``z`` itself to work in place.
    """
    t = np.multiply(z, 2.0, out=out)
    with np.errstate(over="ignore"):
        np.exp(t, out=t)
    t += 1.0
    np.divide(2.0, t, out=t)
    return np.subtract(1.0, t, out=t)


def _act_inplace(z: np.ndarray, name: str) -> np.ndarray:
    """Apply activation ``name`` to a fresh pre-activation ``z``, reusing its buffer."""
    if name == "tanh":
        return _tanh(z, out=z)
    if name == "relu":
        return np.maximum(z, 0.0, out=z)
    return z


def _layer_outputs(params: Params, x: np.ndarray, acts: Sequence[str]) -> list[np.ndarray]:
    """[x, h1, ..., logits]: every layer's output, x as a float64 [batch, inputs] array first."""
    h = np.atleast_2d(np.asarray(x, dtype=np.float64))
    hs = [h]
    for i, name in enumerate(acts, start=1):
        z = h @ params[f"W{i}"]  # [B, in] @ [in, out] -> [B, out], a new buffer we may overwrite
        z += params[f"b{i}"]
        h = _act_inplace(z, name)
        hs.append(h)
    return hs


def forward(
    params: Params, x: np.ndarray, activation: str | Sequence[str] = "tanh"
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Logits [batch, outputs] for inputs x [batch, inputs]; cache holds every layer's output."""
    hs = _layer_outputs(params, x, activations_for(params, activation))
    return hs[-1], {f"h{i}": h for i, h in enumerate(hs)}


def forward_one(params: Params, obs: np.ndarray, activations: Sequence[str]) -> np.ndarray:
    """The logits for one observation, through 1-D arrays: a per-tick policy or a sampler
    asks this for every frame, and it costs half of ``forward`` on a batch of one."""
    h = obs
    for i, name in enumerate(activations, start=1):
        h = h @ params[f"W{i}"] + params[f"b{i}"]
        if name == "tanh":
            h = np.tanh(h)
        elif name == "relu":
            h = np.maximum(h, 0.0)
    return h


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, shifted by the row max so exp never overflows."""
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def loss_and_grads(
    params: Params, x: np.ndarray, y: np.ndarray, activation: str | Sequence[str] = "tanh"
) -> tuple[float, Params]:
    """Mean softmax cross-entropy of integer labels y [B] and its gradients (same keys).

    Every numpy call costs several microseconds under Pyodide, so this works in place on
    buffers it owns (the layer outputs) and avoids helpers like np.mean.
    """
    acts = activations_for(params, activation)
    hs = _layer_outputs(params, x, acts)
    y = np.asarray(y, dtype=np.int64)
    probs = hs[-1]  # the logits, a fresh buffer: softmax in place (same maths as softmax())
    batch = probs.shape[0]
    probs -= probs.max(axis=-1, keepdims=True)
    np.exp(probs, out=probs)
    probs /= probs.sum(axis=-1, keepdims=True)
    rows = np.arange(batch)
    loss = -float(np.log(probs[rows, y] + 1e-12).sum()) / batch
    grads: Params = {}
    dz = probs
    dz[rows, y] -= 1.0
    dz /= batch  # d(mean loss)/d(logits), [B, out]
    for i in range(len(acts), 0, -1):
        h_in = hs[i - 1]
        grads[f"W{i}"] = h_in.T @ dz  # [in, B] @ [B, out] -> [in, out]
        grads[f"b{i}"] = dz.sum(axis=0)
        if i > 1:
            dh = dz @ params[f"W{i}"].T  # [B, out] @ [out, in] -> [B, in]
            prev = acts[i - 2]
            # h_in is not needed after this, so its buffer holds the activation's slope.
            if prev == "tanh":
                np.multiply(h_in, h_in, out=h_in)
                np.subtract(1.0, h_in, out=h_in)  # tanh' = 1 - tanh^2
                dh *= h_in
            elif prev == "relu":
                dh *= h_in > 0.0
            dz = dh
    return loss, grads


def predict(
    params: Params, x: np.ndarray, activation: str | Sequence[str] = "tanh"
) -> tuple[np.ndarray, np.ndarray]:
    """Greedy actions [B] and their probabilities [B, outputs] for inputs x [B, inputs]."""
    logits, _ = forward(params, x, activation)
    probs = softmax(logits)
    return probs.argmax(axis=1), probs


class Adam:
    """Adam with global-norm clipping that refuses any update that is not finite."""

    def __init__(
        self,
        lr: float = LR,
        betas: tuple[float, float] = BETAS,
        eps: float = EPS,
        clip_norm: float = CLIP_NORM,
    ) -> None:
        self.lr, self.betas, self.eps, self.clip_norm = lr, betas, eps, clip_norm
        self.m: np.ndarray | None = None  # first moments, one flat vector over all params
        self.v: np.ndarray | None = None  # second moments, same layout
        self.t = 0
        self.refused = 0  # how many updates were refused (a health metric)
        # (flat buffer, the param arrays it was verified for): see _shared_buffer
        self._tiled: tuple[np.ndarray, list[np.ndarray]] | None = None

    def step(self, params: Params, grads: Params) -> bool:
        """Update ``params`` in place; return False (and change nothing) if non-finite."""
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught below
            return self._step(params, grads)

    def _shared_buffer(self, params: Params, keys: list[str]) -> np.ndarray | None:
        """The flat buffer that ``params`` tile exactly in ``keys`` order, or None.

        init_params makes such params; loaded ones are separate arrays. The layout check is
        cached against the very arrays it was made for, so a step only pays identity tests.
        """
        arrays = [params[k] for k in keys]
        tiled = self._tiled
        if tiled is not None and len(arrays) == len(tiled[1]):
            if all(a is b for a, b in zip(arrays, tiled[1], strict=True)):
                return tiled[0]
        base = arrays[0].base
        if not isinstance(base, np.ndarray) or base.ndim != 1 or base.dtype != np.float64:
            return None
        addr = base.__array_interface__["data"][0]
        end = addr + base.nbytes
        for a in arrays:
            if a.base is not base or not a.flags.c_contiguous:
                return None
            if a.__array_interface__["data"][0] != addr:
                return None
            addr += a.nbytes
        if addr != end:
            return None
        self._tiled = (base, arrays)
        return base

    def _step(self, params: Params, grads: Params) -> bool:
        keys = list(params)
        # One flat vector for all tensors: a handful of numpy calls instead of dozens.
        g = np.concatenate([grads[k].ravel() for k in keys])
        norm = math.sqrt(float(g @ g))
        if not math.isfinite(norm):
            self.refused += 1
            return False
        if norm > self.clip_norm:
            g *= self.clip_norm / norm
        b1, b2 = self.betas
        t = self.t + 1
        if self.m is None or self.v is None or self.m.shape != g.shape:
            self.m, self.v = np.zeros_like(g), np.zeros_like(g)
        # Same maths as b1*m + (1-b1)*g and b2*v + (1-b2)*g*g, with fewer temporaries.
        m = b1 * self.m
        m += (1.0 - b1) * g
        g *= g
        g *= 1.0 - b2
        v = b2 * self.v
        v += g
        lr_t = self.lr * math.sqrt(1.0 - b2**t) / (1.0 - b1**t)  # bias corrections folded in
        denom = np.sqrt(v)
        denom += self.eps
        delta = lr_t * m
        delta /= denom
        buf = self._shared_buffer(params, keys)
        if buf is not None:
            flat = buf - delta
        else:
            flat = np.concatenate([params[k].ravel() for k in keys])
            flat -= delta
        if not math.isfinite(float(flat.sum())):
            self.refused += 1
            return False
        # Only now, with everything finite, commit: the update is all or nothing.
        if buf is not None:
            buf[...] = flat
        else:
            start = 0
            for k in keys:
                n = params[k].size
                params[k][...] = flat[start : start + n].reshape(params[k].shape)
                start += n
        self.m, self.v, self.t = m, v, t
        return True
