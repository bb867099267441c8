"""The replay buffer: a bounded ring of kept frames, sampled uniformly into minibatches."""

from __future__ import annotations

import numpy as np

from ..sim.game import ACTIONS


class ReplayBuffer:
    """A ring of (observation, action, phase) in fixed preallocated arrays: memory does not
    grow however long one plays; when full, the oldest frame is overwritten."""

    def __init__(self, capacity: int, n_features: int, rng: np.random.Generator) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.rng = rng
        self.obs = np.zeros((capacity, n_features), dtype=np.float64)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.approach = np.zeros(capacity, dtype=bool)
        self.size = 0
        self.next = 0  # slot the next frame overwrites
        self.counts = np.zeros((2, 3), dtype=np.int64)  # [away/approach, action] in buffer

    def add(self, obs: np.ndarray, action: int, approaching: bool) -> None:
        """Store one frame, overwriting the oldest when full."""
        i = self.next
        if self.size == self.capacity:
            self.counts[int(self.approach[i]), self.actions[i]] -= 1
        else:
            self.size += 1
        self.obs[i] = obs
        self.actions[i] = action
        self.approach[i] = approaching
        self.counts[int(approaching), action] += 1
        self.next = (i + 1) % self.capacity

    def sample(self, batch: int) -> tuple[np.ndarray, np.ndarray]:
        """A minibatch (obs [batch, n_features], actions [batch]) drawn with replacement."""
        idx = self.rng.integers(0, self.size, size=batch)
        return self.obs[idx], self.actions[idx]

    def clear(self) -> None:
        """Forget every frame (the arrays stay allocated)."""
        self.size = self.next = 0
        self.counts[...] = 0

    def composition(self) -> dict:
        """Counts by phase and action, for the dashboard."""
        return {
            "size": int(self.size),
            "capacity": int(self.capacity),
            "approach": {n: int(c) for n, c in zip(ACTIONS, self.counts[1], strict=True)},
            "away": {n: int(c) for n, c in zip(ACTIONS, self.counts[0], strict=True)},
        }
