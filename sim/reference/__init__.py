"""The reference model: the rules of docs/ODD.md written as idiomatic per-agent Mesa.

Every household is a :class:`Household` agent with its own attributes; every open issue is
an :class:`Issue` object held in the queue of the staff agent working it; grid teams, legal
advisor teams, social organisations, party branches and councils are Mesa agents whose
``step`` works their own queue, oldest first, within capacity. :meth:`ReferenceModel.step`
runs the submodels in the order of ODD section 3; comments cite the ODD sections.

It is slow (microseconds per household-day) and exists to check the vectorised engine
(:class:`sim.GovernanceModel`): both must agree *statistically* (tests/test_equivalence.py).
It shares with the engine only the parameters, the layout, the staffing plans (how many
staff each unit has, ``sim.staffing``), the network construction, the ledger and the metric
registry, never the step code; what the registry reads is the protocol
:class:`sim.world.MetricsView`, which ``views.py`` provides from the agents. Draws come from
``self.rng`` in a different order, so trajectories are not bit-identical.

Deliberate simplifications, all below the equivalence test's resolution:

- Issues are raised with one Bernoulli draw per household, kind and day (probability = the
  daily hazard) instead of Poisson thinning: at most one issue of a kind a day.
- Where the engine nudges a household once although one vectorised call lists it twice
  (ODD 3, "Repeated households"), the reference nudges it per event, except for three cases
  where "once" is the natural reading: lecture attendees, black-board neighbours and a
  volunteer's norm gain on a day with two sessions.
- Values are Python floats (float64); the engine stores household state as float32.

Within a day the engine's issue pool holds new issues by kind (disputes, service requests,
violations, public topics), and queues break ties by pool position; the reference numbers a
day's issues in the same order (ODD 3 says only "arrival order"). The kinds and channels
(``sim.issues.Kind``, ``Channel``) are shared vocabulary. ``shuffle_do`` draws from Mesa's
``self.random``, which Mesa seeds from the same seed as ``self.rng``.

The package, one concept a file:

- ``constants.py``: the ODD's fixed assumptions, restated, and :data:`MUTATIONS`;
- ``issues.py``: :class:`Issue` and the ODD's ``nudge``;
- ``households.py``: :class:`Household` and the submodels each household runs;
- ``staff.py``: grid teams, community offices, legal teams, social organisations, party
  branches, councils;
- ``staffing.py``: building grid teams and community offices, and spreading them again by
  need;
- ``lifecycle.py``: ODD 7.0, the operations every agent moves issues with;
- ``draws.py``: every draw from ``self.rng``;
- ``model.py``: :class:`ReferenceModel`, construction and the day, with the moral practices'
  steps (integrity review 7.20, redemption 7.21, moral review 7.22); their effects on
  violations, queues, turnout and points sit where the engine has them (``households.py``,
  ``lifecycle.py``);
- ``views.py``: the model as the metric registry reads it.
"""

from .constants import MUTATIONS
from .households import Household
from .issues import Issue
from .model import ReferenceModel
from .staff import CommunityOffice, Council, GridTeam, LegalTeam, PartyBranch, SocialOrganisation

__all__ = [
    "MUTATIONS",
    "CommunityOffice",
    "Council",
    "GridTeam",
    "Household",
    "Issue",
    "LegalTeam",
    "PartyBranch",
    "ReferenceModel",
    "SocialOrganisation",
]
