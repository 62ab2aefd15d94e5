"""Sweeps: every point x replication of a ``[sweep]`` design, run on any executor, streamed
to a resumable folder.

- ``design``: the ``[sweep]`` table validated and expanded into points (SALib samplers);
- ``plan``: runs (common random numbers) and their bundles;
- ``worker``: what a worker does with one bundle;
- ``folder``: the results folder on disk;
- ``job``: a validated sweep and its folder, the bundle stream, the summary and manifest.
"""
