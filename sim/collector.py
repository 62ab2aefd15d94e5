"""The daily record: Mesa's ``DataCollector``, as the model's metrics need it."""

from __future__ import annotations

from typing import Any

import mesa


class DailyRecord(mesa.DataCollector):
    """A ``mesa.DataCollector`` of model reporters that skips Mesa's deep copy of each value.

    Mesa copies every reported value so that a reporter returning a mutable object (a list,
    an array) is not changed by later steps; every metric of the registry returns a number,
    which cannot change, so the copy (about a fifth of the collector's time, a few percent
    of a 10,000-household day) buys nothing. The record is Mesa's ``model_vars``, read as
    ``get_model_vars_dataframe()``.
    """

    def collect(self, model: Any) -> None:
        for name, reporter in self.model_reporters.items():
            self.model_vars[name].append(reporter(model))
