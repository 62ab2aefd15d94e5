"""How big communities are: a lognormal fixed by a mean and the share above a threshold.

Kunshan's report names the problem by the share of communities above 5,000 households
(41 of 221 urban communities), so that is what a scenario states, with the mean size; the
spread (``sigma`` of the logarithm) follows. Used by the parameter check (is the pair
possible at all?) and by the layout (draw the sizes).
"""

from __future__ import annotations

import math
from statistics import NormalDist


def lognormal_sigma(mean: float, threshold: float, share: float) -> float | None:
    """``sigma`` of a lognormal with this mean and ``share`` of its mass above
    ``threshold``; the smaller of the two solutions, or None if no lognormal has both.

    With ``mu = ln(mean) - sigma**2 / 2``, ``P(X > T) = share`` is
    ``sigma**2 / 2 - z * sigma + ln(T / mean) = 0`` with ``z`` the standard normal
    quantile of ``1 - share``.
    """
    if not 0 < share < 1:
        return None
    a = math.log(threshold / mean)
    z = NormalDist().inv_cdf(1 - share)
    disc = z * z - 2 * a
    if disc < 0:
        return None
    root = math.sqrt(disc)
    for sigma in (z - root, z + root):
        if sigma > 0:
            return sigma
    return None


def largest_share(mean: float, threshold: float) -> float:
    """The largest share above ``threshold`` any lognormal with this mean can have (for a
    threshold above the mean; below it, any share short of 1 is possible)."""
    a = math.log(threshold / mean)
    return 1.0 if a <= 0 else 1 - NormalDist().cdf(math.sqrt(2 * a))
