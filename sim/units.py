"""The model's units: one step is one day."""

DAYS_PER_YEAR = 365  # rates given a year become daily probabilities by dividing by it
