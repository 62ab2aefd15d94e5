"""ODD 7.22: moral review councils (道德评议会) and their boards.

On a schedule, a panel of residents drawn in each community judges its households' conduct
and names the best on a praise board (好人榜, 孝道红榜) and the worst on a criticism board
(孝道黑榜; lavish weddings and funerals, 大操大办). The boards judge conduct (norm), not
sanctions: the violators' black board of 7.14 is another list. A verdict weighs as much as
the panel's own norm. With ``moral.moral_review`` off nothing here draws or changes
anything.
"""

from __future__ import annotations

import numpy as np

from ..mechanisms.moral import rank_in_community
from ..world import World


def sitting_day(world: World) -> bool:
    """Whether the councils sit today (the last day of each ``review_interval_days``)."""
    m = world.params.moral
    interval = m.review_interval_days
    return m.moral_review and world.day % interval == interval - 1


def review(world: World) -> None:
    """ODD 7.22, on sitting days: draw the panels, weigh their verdicts by the panel's mean
    norm, nudge the praised and the criticised households' norms toward 1."""
    if not sitting_day(world):
        return
    m, h, layout = world.params.moral, world.households, world.layout
    size = layout.community_size
    sits = world.rng.random(h.n) < np.minimum(1.0, m.review_panel_size / size)[layout.community]
    panel = np.flatnonzero(sits)
    h.last_participation[panel] = world.day  # sitting in judgement is taking part
    world.ledger.add("moral_reviewers", panel.size)
    community = layout.community[panel]
    seats = np.bincount(community, minlength=layout.n_communities)
    norm_sum = np.bincount(community, weights=h.norm[panel], minlength=layout.n_communities)
    weight = np.divide(norm_sum, seats, out=np.zeros(layout.n_communities), where=seats > 0)
    quota = np.round(m.review_board_share * size)[layout.community]
    praised = np.flatnonzero(rank_in_community(h.norm, layout) < quota)
    criticised = np.flatnonzero(rank_in_community(1.0 - h.norm, layout) < quota)
    for who, gain in ((praised, m.review_praise_gain), (criticised, m.review_shame_gain)):
        step = (gain * weight[layout.community[who]]).astype(np.float32)
        h.norm[who] += step * (np.float32(1.0) - h.norm[who])
