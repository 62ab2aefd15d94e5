"""Drive Sanzhi from the EMA Workbench: a Latin hypercube over three levers.

    python -m pip install -e ".[ema]"
    python examples/ema_workbench_lhs.py            # 16 experiments, about a minute

The model is used unchanged through its function form (experiments.model_function):
a dict of parameters in, a dict of outcomes (last-90-day means) out.
"""

from __future__ import annotations

import sys

from ema_workbench import Model, RealParameter, Samplers, ScalarOutcome, perform_experiments
from ema_workbench.em_framework.evaluators import SequentialEvaluator

from experiments.model_function import ModelFunction

OUTCOMES = ("escalations_per_1000_households_year", "resolution_rate", "mean_trust")


def main(scenarios: int = 16, households: int = 2000, steps: int = 365) -> None:
    function = ModelFunction(
        fixed={"population.households": households, "scenario.steps": steps},
        replications=1,
        metrics=OUTCOMES,
    )
    model = Model("sanzhi", function=function)
    # EMA passes each uncertainty to the function by name; dotted parameter names work
    # (so does section__key, for tools that need identifiers)
    model.uncertainties = [
        RealParameter("staffing.households_per_grid_worker", 150, 800),
        RealParameter("staffing.admin_load", 0.1, 0.6),
        RealParameter("fusion.coordination", 0.1, 0.9),
    ]
    model.outcomes = [ScalarOutcome(name) for name in OUTCOMES]
    with SequentialEvaluator(model) as evaluator:  # or MultiprocessingEvaluator(model)
        experiments, outcomes = perform_experiments(
            model, scenarios=scenarios, uncertainty_sampling=Samplers.LHS, evaluator=evaluator
        )
    table = experiments[[u.name for u in model.uncertainties]].assign(**outcomes)
    print(table.round(3).to_string())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16)
