"""The ODD's fixed model assumptions (its module constants), restated from docs/ODD.md.

Restated on purpose, not imported from the engine: the reference checks the engine, so it
must not share its code. tests/test_equivalence.py checks that the two agree. Each comment
names the ODD section that states the value. Every number that says something about the
world is a parameter (``sim.params``), read from ``model.params`` like the engine does.
"""

from __future__ import annotations

from ..issues import Channel, Kind

YEAR = 365.0
STUCK_CHANNELS = frozenset(
    {
        Channel.UNREPORTED,
        Channel.GRID,
        Channel.COMMUNITY,
        Channel.LEGAL,
        Channel.SOCIAL,
        Channel.AGENDA,
    }
)  # 7.9

NEVER = -(2**30)  # a day long before the run
INFORMAL_KINDS = (Kind.DISPUTE, Kind.VIOLATION)  # 7.3, 7.4
UNIFORM_BLOCK = 8192  # uniforms drawn from self.rng at a time

# Mechanisms that can be switched off to test the power of the equivalence test.
MUTATIONS = frozenset(
    {
        "on_the_spot_detection",  # 7.2
        "informal_settlement",  # 7.3
        "patrol",  # 7.5
        "hard_disputes",  # 7.6: repeat_factor
        "referral_loss",  # 7.0
        "party_visits",  # 7.9
        "moral_bank_boost",  # 7.13
        "broken_windows",  # 7.16
        "public_spillover",  # 7.0
        "police",  # 7.2: the grid police officer adds nothing to detection
        "helpers",  # 7.4, 7.5: helpers neither discover issues nor raise reporting
        "community_office",  # 7.6a: community staff do not work their queue
        "grid_leaders",  # 2.4a: community cadres give the grids no time
        "need_allocation",  # 2.3a: staff are never spread again by backlog
        "credibility_effects",  # 7.0, 7.13: credibility changes no referral or turnout
        "party_ageing",  # 5.3: every party member serves (no ageing, no 双报到)
        "fading_as_resolved",  # 7.11: faded issues counted as resolved (the old count)
        "timeline",  # 0: the scenario's timeline is ignored (levers fixed from day 0)
        "integrity_points",  # 7.20: points are never lost, so nothing is at stake or shifted
        "moral_review",  # 7.22: the moral review councils never sit
        "redemption",  # 7.21: credits are never spent, pull no more, give no preference
        "public_jury",  # 7.17: juries never sit and no party chooses one
        "advisor_gain",  # 7.18: an advisor at a sitting takes time but adds nothing
        "rules_revision",  # 7.19: councils never revise the resident rules
        "joint_councils",  # 7.10: councils decide as before (no six steps, no disputes)
        "scoped_citywide",  # sim/scoped.py: a unit's scoped levers applied to every unit
        "patrol_time",  # 7.5-7.6: patrols take their usual time, whatever a grid sets
        "serve_first",  # 7.6: the grid desk serves the oldest first, whatever a grid sets
        "mediation_rounds",  # 7.7: a failed legal mediation goes to court at once
        "council_convening",  # 7.10: councils meet every interval, however convened
        "member_mobilisation",  # 7.13: party members are mobilised as usual everywhere
        "resolved_together",  # 3: each issue of a batch resolved on its own (gains repeat)
    }
)
