"""ODD 7.21: the moral bank's credits are spent, and high scorers get preferential credit.

With ``moral.redemption`` (and a moral bank): a credit that can be spent pulls volunteers out
more (``moral.volunteer``, 7.13, where the turnout is drawn); each month households spend a
share of their credits on goods and services; the households of each community with the
most credits get preferential credit (道德信贷): trust in the community that gives it, and
priority in the grid's and the community office's queues (``priority.py``). Off, nothing
here draws or changes anything.
"""

from __future__ import annotations

import numpy as np

from ..mechanisms.moral import rank_in_community
from ..world import World


def redeem(world: World) -> None:
    """ODD 7.21, monthly after the boards (which rank by credits earned): the households with
    the most credits are chosen for preferential credit and gain trust; then everyone
    spends ``redemption_rate`` of their credits."""
    m = world.params.moral
    if not (m.moral_bank and m.redemption):
        return
    month = world.params.behaviour.board_interval_days  # the boards' month
    if world.day % month != month - 1:
        return
    h, layout = world.households, world.layout
    # Credits scaled into [0, 1) so the ranking's one sort key holds (as for the boards).
    score = h.credits / (1.0 + h.credits.max())
    rank = rank_in_community(score, layout)
    quota = np.round(m.preferential_share * layout.community_size)[layout.community]
    h.preferred[:] = (rank < quota) & (h.credits > 0)
    h.nudge("trust", np.flatnonzero(h.preferred), m.preferential_trust_gain)
    spent = h.credits * np.float32(m.redemption_rate)
    world.ledger.add("credits_redeemed", float(spent.sum(dtype=np.float64)))
    h.credits -= spent
