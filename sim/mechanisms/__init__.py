"""The household-side mechanisms of one day, each a function of the model."""
