"""Comparison reports (``sanzhi compare``): groups of runs from scenario files and results
folders, their statistics, figures and the HTML report.

- ``inputs``: scenario files, run folders and sweep folders as groups of runs;
- ``stats``: means, CIs and differences from the reference, and one sentence per metric;
- ``figures``: time series, end-of-run values, metrics against swept parameters;
- ``report``: ``report.html``, ``summary.csv`` and the figures in one folder.
"""
