"""Argument types shared by the ``sim`` commands (and ``sim play``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


seed = bounded(0, 2**63 - 1)
turns = bounded(1, 10_000)
runs = bounded(1, 10_000_000)
workers = bounded(1, 256)
