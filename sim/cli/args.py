"""Argument types shared by the ``sim`` commands (and ``sim play``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from sim.scenario.schema import MAX_TURNS, SEED_MAX


def bounded(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text):,} characters)"
        if len(text) > 40 and text.strip().lstrip("+-").isdigit():
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, not {shown}")
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {shown!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


seed = bounded(0, SEED_MAX)
turns = bounded(1, MAX_TURNS)
runs = bounded(1, 10_000_000)
workers = bounded(1, 256)
