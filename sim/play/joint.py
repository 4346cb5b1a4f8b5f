"""Joint moves in play: two teams hold one together, or neither does (docs/model.md 7.10.1)."""

from __future__ import annotations

from collections.abc import Callable

from sim.play.shapes import PlayError
from sim.scenario.schema import Scenario


def refuse_split_joint_moves(
    spec: Scenario, moves: dict[str, str], name: Callable[[str], str]
) -> None:
    """Refuse a turn where a person chose a joint move and a partner's person chose another.

    A partner the computer plays joins the move; a partner played by a person
    must choose it too.

    Args:
        spec: The scenario.
        moves: This turn's moves chosen by people (and instructor events), by actor id.
        name: An actor's display name.

    Raises:
        PlayError: naming both states and both moves.
    """
    for actor, move_id in moves.items():
        move = spec.moves[move_id]
        for other in move.partners or []:
            if other != actor and other in moves and moves[other] != move_id:
                raise PlayError(
                    f"{name(actor)} chose '{move.label}', a move held together with "
                    f"{name(other)}, but {name(other)} chose "
                    f"'{spec.moves[moves[other]].label}': both choose it, or neither"
                )
