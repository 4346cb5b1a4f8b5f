"""What every policy shares: the Situation it reads, its Classifier, its base class.

See :mod:`sim.model.policies` for how policies are found and added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

if TYPE_CHECKING:
    from sim.model.coefficients import Coefficients
    from sim.scenario.schema import PolicySpec, Scenario


@dataclass(slots=True)
class Situation:
    """What policies may look at when choosing (arrays over all N actors).

    State arrays (tension, rung, belief, alignment, last_perceived, misread,
    posture, uniforms, gumbel) may have a leading replicate axis ``R``; the
    scenario's tables (allowed, intended, rungs, cost, ...) never do.

    Attributes:
        turn: The turn being played (1-based).
        tension: ``(N,)`` in [0, 1].
        rung: ``(N,)`` rung of each actor's previous move.
        belief: ``(N, N)`` i's belief about j's hostility, 0-1.
        alignment: ``(N, N)`` in [-1, 1].
        last_perceived: ``(N, N)`` readings of last turn's moves (NaN where unseen).
        misread: ``(N, N)`` ``[j, i]``: how much more hostile j read i's moves of
            the last two turns than i meant (0 where not).
        posture: ``(N, P)`` posture values; read a dimension by name with
            :func:`sim.model.posture.column` (never by position).
        allowed: ``(N, M)`` moves each actor may choose this turn; ``(R, N, M)`` in a
            batch when limits differ per replicate (index it as ``allowed[..., who, :]``).
            It is ``repertoire`` itself (the same object) on a turn nothing is withheld.
        repertoire: ``(N, M)`` moves each actor may ever choose (fixed for the run): what
            a policy may fold into tables it prepares once.
        intended: ``(M,)`` intended hostility of each move.
        rungs: ``(M,)`` rung of each move.
        cost: ``(M,)`` cost of each move.
        reassurance: ``(M,)`` 1.0 for moves tagged 'reassurance'.
        second_strike: ``(M,)`` 1.0 for moves tagged 'second_strike'.
        top_rung: Highest rung.
        temperature: Logit temperature at zero tension.
        time_pressure: Growth of randomness with tension.
        cost_weight: Weight of a move's cost.
        hostile_threshold: A reading at or above this is hostile.
        miscalculation_threshold: A misreading at least this large is a mistake.
        uniforms: ``(N,)`` uniform draws for this turn's choices.

    The dynamics coefficients (temperature ... miscalculation_threshold) are
    floats, or in a batch with per-replicate coefficients
    (:mod:`sim.model.coefficients`) arrays shaped ``(R, 1)`` (``cost_weight``:
    ``(R, 1, 1)``) that broadcast against the state arrays.
        gumbel: ``(N, M)`` standard Gumbel draws for logit choice.
    """

    turn: int
    tension: F
    rung: I
    belief: F
    alignment: F
    last_perceived: F
    misread: F
    posture: F
    allowed: B
    repertoire: B
    intended: F
    rungs: I
    cost: F
    reassurance: F
    second_strike: F
    top_rung: int
    temperature: float | F
    time_pressure: float | F
    cost_weight: float | F
    hostile_threshold: float | F
    miscalculation_threshold: float | F
    uniforms: F
    gumbel: F


Choice = tuple[I, F]


def closest_move(target: F, allowed: B, intended: F) -> I:
    """Index of the allowed move whose intended hostility is nearest ``target``.

    Args:
        target: ``(..., k)`` wanted hostility per actor.
        allowed: ``(k, M)`` repertoire mask.
        intended: ``(M,)`` intended hostility per move.
    """
    distance = np.abs(intended - target[..., None])
    return np.asarray(np.where(allowed, distance, np.inf).argmin(axis=-1), dtype=np.int64)


def least_hostile(allowed: B, intended: F, cost: F) -> I:
    """Index of the most conciliatory allowed move (ties: the costlier, i.e. more credible)."""
    score = intended - 1e-6 * cost
    return np.asarray(np.where(allowed, score, np.inf).argmin(axis=-1), dtype=np.int64)


def worst_reading(last_perceived: F) -> F:
    """Highest reading of any sender's last move, per observer (0 if none seen)."""
    filled = np.where(np.isnan(last_perceived), 0.0, last_perceived)
    return np.asarray(filled.max(axis=-1), dtype=np.float64)


def relationship_weights(alignment: F, who: I) -> F:
    """How much each other actor's reading counts for the actors ``who`` (docs/model.md 7.10.4).

    ``w_ij = ((1 - A_ij) / 2)**2`` (a full rival 1, an unaligned actor 1/4, a full partner
    0), 0 for the actor itself; each row is divided by its largest weight, so the
    relationship that matters most counts fully. A row whose weights are all 0 (every
    other actor a full partner) counts every other actor fully.

    Args:
        alignment: ``(..., N, N)`` alignment, optionally with a leading replicate axis.
        who: ``(k,)`` indices of the actors that answer.

    Returns:
        ``(..., k, N)`` weights in [0, 1].
    """
    rows = alignment[..., who, :]
    own = np.arange(rows.shape[-1]) == who[:, None]
    weight = np.where(own, 0.0, ((1.0 - rows) / 2.0) ** 2)
    top = weight.max(axis=-1, keepdims=True)
    scaled = weight / np.where(top > 0.0, top, 1.0)
    return np.asarray(np.where(top > 0.0, scaled, np.where(own, 0.0, 1.0)), dtype=np.float64)


def answered_readings(s: Situation, who: I) -> F:
    """Last turn's readings of each sender by the actors ``who``, weighted by relationship.

    ``(..., k, N)``: ``relationship_weights(A) * P(t-1)``, unseen moves counted as 0. With
    two actors this is exactly the reading of the other one (its weight is 1).
    """
    last = s.last_perceived[..., who, :]
    filled = np.where(np.isnan(last), 0.0, last)
    return np.asarray(filled * relationship_weights(s.alignment, who), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Classifier:
    """What a policy needs from the engine and how it behaves (after Axelrod's ``classifier``).

    The engine asks these, never a policy's name.

    Attributes:
        memory_depth: Turns of past readings the policy reads: 0 none (it sees only the
            current state), 1 last turn's readings (``Situation.last_perceived``), 2 the
            misreadings of the last two turns too (``Situation.misread``). The engine
            keeps those records only when some policy in the run needs them.
        continuous: The policy emits a level of hostility of its own rather than the
            chosen move's intended hostility (observers then read the emitted level).
        stochastic: Its choice uses this turn's random draws.
    """

    memory_depth: int = 0
    continuous: bool = False
    stochastic: bool = False


@dataclass(frozen=True, slots=True)
class BuildContext:
    """What a policy's constructor may read: the scenario and its compiled tables.

    Attributes:
        scenario: The validated scenario.
        ids: Actor ids in array order.
        move_index: Move id -> column.
        allowed: ``(N, M)`` repertoire mask.
        intended: ``(M,)`` intended hostility of each move.
        cost: ``(M,)`` cost of each move.
    """

    scenario: Scenario
    ids: list[str]
    move_index: dict[str, int]
    allowed: B
    intended: F
    cost: F

    def spec(self, actor: int) -> PolicySpec:
        """The ``policy:`` entry of the actor at index ``actor``."""
        return self.scenario.actors[self.ids[actor]].policy


class Policy:
    """Base class: a named, cited decision rule.

    Attributes:
        name: The kind's name in scenario files (declared in ``sim/scenario/policies/``).
        cites: Where the rule comes from.
        classifier: What the policy needs from the engine.
    """

    name: ClassVar[str] = ""
    cites: ClassVar[str] = ""
    classifier: ClassVar[Classifier] = Classifier()

    @classmethod
    def build(cls, who: I, context: BuildContext) -> Policy:
        """The policy for the actors ``who`` (indices), from their specs in ``context``.

        The default takes no parameters; policies with parameters override this.
        """
        return cls()

    def for_replicates(self, coefficients: Coefficients) -> Policy:
        """This policy for a batch whose dynamics may differ per replicate.

        ``coefficients`` reads like the scenario's dynamics, each field a float or
        ``(R, 1)`` per replicate. The default returns ``self``: a policy that reads
        coefficients from its :class:`Situation` at choice time needs nothing
        more. A policy that folds a coefficient into what it builds overrides this.
        """
        del coefficients
        return self

    def choose(self, who: I, s: Situation) -> Choice:
        """Return (move index, emitted hostility) for each actor in ``who``."""
        raise NotImplementedError
