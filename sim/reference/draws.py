"""Randomness of the reference model: every draw from ``self.rng``, uniforms in blocks.

A mixin of :class:`ReferenceModel`; the ODD's "with probability p" is :meth:`Draws.chance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..params import Parameters
from .constants import UNIFORM_BLOCK


class Draws:
    """Uniform, Bernoulli, choice, shuffle and Beta draws, all from ``self.rng``."""

    rng: np.random.Generator
    params: Parameters
    _uniforms: Iterator[float]

    def uniform(self) -> float:
        """One U ~ Uniform[0, 1), drawn from ``self.rng`` in blocks."""
        try:
            return next(self._uniforms)
        except StopIteration:
            self._uniforms = iter(self.rng.random(UNIFORM_BLOCK).tolist())
            return next(self._uniforms)

    def chance(self, p: float) -> bool:
        """True with probability ``p`` ("with probability p" in the ODD)."""
        return self.uniform() < p

    def choice(self, items: list[Any]) -> Any:
        return items[int(self.uniform() * len(items))]

    def shuffle(self, items: list[Any]) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = int(self.uniform() * (i + 1))
            items[i], items[j] = items[j], items[i]

    def beta(self, mean: float) -> float:
        """Beta with mean ``mean`` (clipped to [0.001, 0.999]) and concentration κ (5.3)."""
        kappa = self.params.population.heterogeneity
        mean = min(max(mean, 1e-3), 1 - 1e-3)
        return float(self.rng.beta(mean * kappa, (1 - mean) * kappa))
