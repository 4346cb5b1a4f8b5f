"""Agreement of generated sentences with the actors they speak of.

An actor may stand for several states or capitals (``plural: true`` in the
scenario, e.g. the voice "Vilnius, Riga and Tallinn"); every generated
sentence whose subject is an actor then takes the plural verb ("read", not
"reads") and the plural possessive pronoun ("their", not "its"). A voice whose
last word is a lower-case plural noun ("ASEAN capitals") counts as plural too,
so older scenarios read as they did. The joint act of several partners is
always plural ("A and B hold ...").

Every word that changes with its subject is in :data:`FORMS` (singular ->
plural), and :func:`form` refuses a word that is not, so a sentence cannot
conjugate a verb without a plural form. :data:`PATTERNS` lists every sentence
pattern of the text generators that names an actor as its subject, with the
module that writes it; ``tests/outputs/test_plural.py`` renders each pattern
with a singular and a plural subject and checks the generators use no verb
outside it.

Names and voices: ``name`` labels an actor wherever actors are listed
(figures, tables, CSV files, menus, the play screens' rows); ``voice``
(defaulting to ``name``) is how sentences speak of it (docs/architecture.md,
"Names and voices").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.scenario.schema.world import Actor

#: Every word a generated sentence conjugates for its actor: singular -> plural.
FORMS: dict[str, str] = {
    # verbs of the transcript, debrief, play screens and dashboard
    "reads": "read",
    "counter-acts": "counter-act",
    "believes": "believe",
    "sees": "see",
    "plays": "play",
    "is": "are",
    "was": "were",
    "has": "have",
    # the verbs move labels are narrated with (sim.outputs.wording.VERB_RULES)
    "sends": "send",
    "announces": "announce",
    "turns": "turn",
    "makes": "make",
    "issues": "issue",
    "lodges": "lodge",
    "holds": "hold",
    # pronouns
    "its": "their",
}


class AgreementError(KeyError):
    """A word a sentence conjugates has no entry in :data:`FORMS`."""


def form(word: str, plural: bool) -> str:
    """``word`` (singular third person) as it agrees with a singular or plural subject.

    Raises:
        AgreementError: ``word`` is not in :data:`FORMS` (add its plural there).
    """
    if word not in FORMS:
        raise AgreementError(f"{word!r} has no plural form: add it to sim.outputs.grammar.FORMS")
    return FORMS[word] if plural else word


def plural_voice(voice: str) -> bool:
    """Tell voices such as "ASEAN capitals" (last word lower case, ending in s)."""
    words = voice.split()
    last = words[-1] if words else voice
    return last.islower() and last.endswith("s")


def is_plural_actor(actor: Actor) -> bool:
    """Whether sentences about ``actor`` take plural verbs (its ``plural`` flag, or its voice)."""
    return bool(actor.plural) or plural_voice(str(actor.voice or actor.name))


@dataclass(frozen=True)
class Pattern:
    """One generated sentence whose subject is an actor.

    ``template`` uses ``{S}`` for the subject (a voice) and ``{word}`` for each
    word of :data:`FORMS` that agrees with it; ``where`` names the module.
    """

    where: str
    template: str


#: Every sentence pattern the text generators write about an actor.
PATTERNS: dict[str, Pattern] = {
    "transcript.move": Pattern(
        "sim.outputs.transcript_build", "**{S}** {holds} a readiness exercise (rung 3)."
    ),
    "transcript.move.no": Pattern(
        "sim.outputs.transcript_build", "**{S}** {sends} no new signal (rung 1)."
    ),
    "transcript.move.announced": Pattern(
        "sim.outputs.transcript_build", "**{S}** {announces} a deployment (rung 4)."
    ),
    "transcript.move.rhetoric": Pattern(
        "sim.outputs.transcript_build", "**{S}** {turns} to sharper rhetoric (rung 5)."
    ),
    "transcript.move.proposal": Pattern(
        "sim.outputs.transcript_build", "**{S}** {makes} a proposal for talks (rung 1)."
    ),
    "transcript.move.statement": Pattern(
        "sim.outputs.transcript_build", "**{S}** {issues} a statement of concern (rung 2)."
    ),
    "transcript.move.protest": Pattern(
        "sim.outputs.transcript_build", "**{S}** {lodges} a protest (rung 2)."
    ),
    "transcript.reading": Pattern(
        "sim.outputs.transcript_build", "{S} {reads} it as pressure (perceived 0.45)."
    ),
    "transcript.reading.part": Pattern(
        "sim.outputs.transcript_build", "{S} {reads} Nordport's part as pressure."
    ),
    "transcript.answer": Pattern(
        "sim.outputs.transcript_build",
        "↳ {S} {counter-acts} Nordport's exercise from turn 1 in kind.",
    ),
    "debrief.say_do": Pattern(
        "sim.outputs.debrief",
        "Others' trust in {S}' public framing fell: {its} words and {its} moves kept diverging.",
    ),
    "play.sees": Pattern("sim.play.screens", "What {S} {sees}."),
    "play.believes": Pattern(
        "sim.play.screens", "How hostile {S} {believes} each state is (0 = not at all)."
    ),
    "play.scheduled": Pattern("sim.play.screens", "The scenario has {S} play 'x' here."),
    "play.will_play": Pattern("sim.play.screens", "{S} will play: x."),
    "dashboard.will_play": Pattern("sim.dashboard.app", "Next turn: {S} will play x."),
    "dashboard.its_move": Pattern(
        "sim.dashboard.app", "State played by a person: {S}; {its} move next turn"
    ),
}

_SLOT = re.compile(r"\{([^{}]+)\}")


def render(key: str, subject: str, plural: bool) -> str:
    """Pattern ``key`` with ``subject`` and every agreeing word in its singular or plural form."""

    def fill(m: re.Match[str]) -> str:
        slot = m.group(1)
        return subject if slot == "S" else form(slot, plural)

    return _SLOT.sub(fill, PATTERNS[key].template)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with its noun in agreement: ``1 inject``, ``0 injects``, ``2 capitals``.

    ``plural`` for a noun that does not just take an ``s`` (``counted(2, "ally", "allies")``).
    """
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
