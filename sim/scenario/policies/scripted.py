"""Policy kind ``scripted``: moves fixed by turn in the scenario file."""

from pydantic import Field

from sim.scenario.policies import PolicyDeclaration
from sim.scenario.schema.basics import MoveId

DECLARATION = PolicyDeclaration(
    name="scripted",
    order=9,
    fields={
        "script": (
            dict[int, MoveId] | None,
            Field(
                default=None,
                description="scripted: move to play at each listed turn (turns start at 1).",
            ),
        ),
        "default_move": (
            MoveId | None,
            Field(
                default=None,
                description="scripted: move on turns the script does not list (default: the "
                "least hostile move in the actor's repertoire).",
            ),
        ),
    },
    needs={"script": "a 'script' mapping turn -> move"},
)
