"""Calibration (``sanzhi calibrate``): fit free parameters so a scenario reproduces observed
figures.

- ``targets``: the target file;
- ``search``: the quadratic surrogate, the misfit and the next search box;
- ``study``: the rounds of Latin-hypercube search and the confirmation run, resumable;
- ``figures``: the fit per target and the search.
"""
