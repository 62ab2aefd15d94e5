"""The Solara dashboard for instructors (see issue #4); the model and experiments come first."""
