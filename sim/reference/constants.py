"""The ODD's fixed model assumptions (its module constants), restated from docs/ODD.md.

Restated on purpose, not imported from the engine: the reference checks the engine, so it
must not share its code. tests/test_equivalence.py checks that the two agree. Each comment
names the ODD section that states the value.
"""

from __future__ import annotations

from ..issues import Channel, Kind

YEAR = 365.0
PARTY_COORDINATION = 0.5  # 2.8
PUBLIC_SPILLOVER = 0.1  # 7.0
ROUTINE_TRUST_WEIGHT = 1.0  # 7.0: grid, legal mediation, social organisation, enforcement
LEADERSHIP_TRUST_WEIGHT = 1.5  # 7.0: council, party visit
COURT_TRUST_WEIGHT = 0.5  # 7.0: court judgment
PREVENTION = 0.8  # 7.1
AWARE_COMPLIANCE = 0.5  # 7.1
NORMLESS_SETTLEMENT = 0.4  # 7.3
RULELESS_SETTLEMENT = 0.6  # 7.3
SETTLEMENT_ENGAGEMENT_GAIN = 0.02  # 7.3
BURNOUT_SLOWDOWN = 0.5  # 7.5, 7.6
GRID_RETRY_DAYS = 7  # 7.6
REPEAT_FACTOR = 0.5  # 7.6
WORKLOAD_DAYS = 14  # 7.6
LEGAL_RETRY_DAYS = 7  # 7.7
SOCIAL_RETRY_DAYS = 3  # 7.8
CREDIBILITY_RATE = 0.02  # 7.8
STUCK_CHANNELS = frozenset(
    {Channel.UNREPORTED, Channel.GRID, Channel.LEGAL, Channel.SOCIAL, Channel.AGENDA}
)  # 7.9
HALF_SUCCESS_ATTENDANCE = 0.01  # 7.10
ATTENDANCE_ENGAGEMENT_GAIN = 0.05  # 7.10
AWARENESS_DAMPING = 0.5  # 7.12
CHANNEL_FACTOR = {
    Channel.NEW: 1.0,
    Channel.UNREPORTED: 0.6,
    Channel.GRID: 0.8,
    Channel.LEGAL: 0.5,
    Channel.SOCIAL: 0.8,
    Channel.AGENDA: 0.7,
    Channel.COURT: 0.3,
}  # 7.12
BANK_BOOST = 1.0  # 7.13
BOARD_NORM_GAIN = 0.05  # 7.14
BLACK_DETERRENCE_GAIN = 0.1  # 7.14
ROLE_MODEL_RATE = 0.1  # 7.14
BOARD_INTERVAL_DAYS = 30  # 7.14: monthly, on the month's last day
NEIGHBOUR_EXPOSURE = 0.5  # 7.16
WAITING_DAYS = 14  # 7.16
SATISFACTION_FROM_TRUST = 0.5  # 7.16
SATISFACTION_FROM_SECURITY = 0.3  # 7.16
SATISFACTION_FROM_NOT_WAITING = 0.2  # 7.16

NEVER = -(2**30)  # a day long before the run
INFORMAL_KINDS = (Kind.DISPUTE, Kind.VIOLATION)  # 7.3, 7.4
UNIFORM_BLOCK = 8192  # uniforms drawn from self.rng at a time

# Mechanisms that can be switched off to test the power of the equivalence test.
MUTATIONS = frozenset(
    {
        "on_the_spot_detection",  # 7.2
        "informal_settlement",  # 7.3
        "patrol",  # 7.5
        "hard_disputes",  # 7.6: REPEAT_FACTOR
        "referral_loss",  # 7.0
        "party_visits",  # 7.9
        "moral_bank_boost",  # 7.13
        "broken_windows",  # 7.16
        "public_spillover",  # 7.0
    }
)
