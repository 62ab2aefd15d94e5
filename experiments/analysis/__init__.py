"""Analyses that run a design through the sweep machinery and read it back: one subpackage
per analysis, each of the same shape —

- ``<maths>.py``: the statistics, on plain tables (``sensitivity.indices``,
  ``fusion.factorial``, ``frontier.pareto`` with ``frontier.costs``);
- ``study.py``: from a scenario to the results folder (``run(scenario, out, ...)``);
- ``text.py``: the words, in English and Chinese;
- ``figures.py``: the figures.

``common`` holds what they share: running the design into ``DIR/runs/``, metric choice, the
manifest.
"""
