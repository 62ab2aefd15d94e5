"""ODD 7.1: households raise issues, with hazards that depend on their state."""

from __future__ import annotations

import numpy as np

from .. import lifecycle
from ..issues import DISPUTE, NEW, PUBLIC, SERVICE, VIOLATION
from ..network import random_neighbour
from ..practices import integrity
from ..queues import rank_within
from ..units import DAYS_PER_YEAR
from ..world import World


def _candidates(model: World, rate_per_year: float) -> np.ndarray:
    """Households drawn for a hazard whose maximum is ``rate_per_year`` (thinning).

    Drawing Poisson(n * max rate) candidates and accepting each with (hazard / max) is
    exact for a Poisson process and costs O(events), not O(households), per day.
    """
    m = model.rng.poisson(model.households.n * rate_per_year / DAYS_PER_YEAR)
    return model.rng.integers(0, model.households.n, m)


def disputes(model: World) -> tuple[np.ndarray, np.ndarray]:
    h, b = model.households, model.params.behaviour
    who = _candidates(model, b.dispute_rate)
    other = random_neighbour(model.adjacency, who, model.rng)
    has = other >= 0
    who, other = who[has], other[has]
    norm = 0.5 * (h.norm[who] + h.norm[other])
    p = 1 - b.dispute_prevention * norm
    if model.rules.on:  # ODD 7.19: rules that carry law prevent some disputes
        p = p * (1 - model.params.self_governance.rules_prevention * model.rules.effect(who, other))
    keep = model.rng.random(who.size) < p
    return who[keep], other[keep]


def violations(model: World) -> tuple[np.ndarray, np.ndarray]:
    """Violations by a neighbour of the household that suffers them (Becker deterrence)."""
    h, law, b = model.households, model.params.rule_of_law, model.params.behaviour
    victim = _candidates(model, b.violation_rate)
    violator = random_neighbour(model.adjacency, victim, model.rng)
    has = violator >= 0
    victim, violator = victim[has], violator[has]
    # With integrity points on, the standing a household would lose if caught is at stake.
    at_stake = integrity.stake(model, violator)
    deterred = np.exp(
        -h.deterrence[violator]
        * (b.deterrence_weight + b.sanction_weight * law.sanction + at_stake)
    )
    hazard = (
        (1 - h.norm[violator]) * (1 - b.aware_compliance * h.legal_awareness[violator]) * deterred
    )
    keep = model.rng.random(victim.size) < hazard
    return victim[keep], violator[keep]


def raise_issues(model: World) -> None:
    """Draw today's disputes, violations, service requests and public topics."""
    b = model.params.behaviour
    d_who, d_other = disputes(model)
    v_who, v_other = violations(model)
    s_who = _candidates(model, b.service_rate)
    p_who = _candidates(model, b.public_rate)
    who = np.concatenate([d_who, s_who, v_who, p_who])
    other = np.concatenate([d_other, np.full(s_who.size, -1), v_other, np.full(p_who.size, -1)])
    kind = np.repeat(
        np.array([DISPUTE, SERVICE, VIOLATION, PUBLIC], dtype=np.int8),
        [d_who.size, s_who.size, v_who.size, p_who.size],
    )
    # A household holds at most `max_open_issues` at once; at the cap, which of the day's
    # issues it still raises is random, not fixed by kind.
    order, rank = rank_within(who, model.rng.random(who.size))
    ok = np.zeros(who.size, dtype=bool)
    ok[order] = model.households.open_issues[who[order]] + rank < b.max_open_issues
    who, other, kind = who[ok], other[ok], kind[ok]

    np.add.at(model.households.open_issues, who, 1)
    day = model.day
    model.issues.add(
        household=who,
        counterpart=other,
        kind=kind,
        channel=NEW,
        raised=day,
        ready=day,
        deadline=day + lifecycle.draw_patience(model, who),
        attempts=0,
        legal_attempts=0,
    )
    ledger = model.ledger
    ledger.add("raised", who.size)
    by_kind = np.bincount(kind, minlength=4)
    for name, k in (
        ("disputes", DISPUTE),
        ("service_requests", SERVICE),
        ("violations", VIOLATION),
        ("public_topics", PUBLIC),
    ):
        ledger.add(name, int(by_kind[k]))
