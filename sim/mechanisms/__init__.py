"""The household-side mechanisms of one day (ODD 7.1-7.4, 7.11-7.16), each a function of
the :class:`~sim.world.World`."""
