"""The ``sanzhi`` command line: argparse only. Each command parses its arguments and calls one
library function that a notebook can call to get the same output folder."""

from experiments.cli.main import main

__all__ = ["main"]
