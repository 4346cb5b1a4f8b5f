"""A seminar room: one game, the teams that play it, their links, and this turn's submissions.

:class:`Room` is plain Python (no HTTP): the server (:mod:`sim.seminar.server`)
only looks up who a token belongs to and calls a method here; what each role
may see is built from the room by :mod:`sim.seminar.views`.

A turn goes like this: each team submits (:meth:`~Room.submit`) a move and, if it
likes, its own public framing text (several devices of one team may submit;
the last one counts until the turn closes). The instructor may
:meth:`~Room.fire` an inject or describe an :meth:`~Room.event`; the turn
closes (:meth:`~Room.close_turn`) when every team has submitted or the
instructor closes it. A team that did not submit plays its status-quo move
(``absent="quiet"``, :func:`status_quo_move`) or the move the model would
have made for it (``absent="model"``, :func:`model_move`); either way the move
is recorded as the team's, so the save file replays the game exactly.

Every change bumps :attr:`Room.version` (a counter private to the server: no
page ever sees it) and wakes every waiting long poll (:meth:`Room.wait`); each
then rebuilds its own role's view and answers only if that view changed (see
:mod:`sim.seminar.views`). :attr:`Room.on_change` (the session folder's saver)
is called with the room after every change, under the room's lock.
"""

from __future__ import annotations

import copy
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sim.play.core import PlaySession
from sim.play.shapes import MAX_TEXT, Framing, PlayError

Absent = Literal["quiet", "model"]
ABSENT_RULES: tuple[Absent, ...] = ("quiet", "model")

#: The core library's status-quo move ("no new signal"), played by a quiet absent team.
STATUS_QUO = "hold"
#: Longest framing or event text (characters): the play core's limit, checked on submission.
TEXT_LIMIT = MAX_TEXT


def new_token() -> str:
    """An unguessable link token (128 bits, URL-safe)."""
    return secrets.token_urlsafe(16)


@dataclass(slots=True)
class Submission:
    """A team's choice this turn: a move id, and its own public framing text ('' for none).

    ``claims`` is how hostile the framing claims to be (0-1), or None to keep the
    move's own framed hostility (the text then only replaces the wording).
    """

    move: str
    text: str = ""
    claims: float | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the room file."""
        return {"move": self.move, "text": self.text, "claims": self.claims}

    def framing(self) -> Framing | None:
        """The play core's framing of this choice (None: no text of its own)."""
        return {"text": self.text, "claims": self.claims} if self.text else None


def status_quo_move(session: PlaySession, actor: str) -> str:
    """The move a quiet absent team plays: ``hold`` ("no new signal") if it may, else its calmest.

    The calmest move is the engine's rule for a state that must stand down
    (:func:`sim.model.policies.base.least_hostile`): lowest intended
    hostility, ties to the costlier move.
    """
    allowed = [ch["move"] for ch in session.choices(actor)]
    if not allowed:
        raise PlayError(f"{session.name(actor)} has no moves to choose from")
    if STATUS_QUO in allowed:
        return STATUS_QUO
    c = session.model.compiled

    def score(m: str) -> tuple[float, int]:
        k = c.move_index[m]
        return (float(c.intended[k]) - 1e-6 * float(c.cost[k]), k)

    return min(allowed, key=score)


def model_move(session: PlaySession, actor: str, decided: dict[str, str]) -> str:
    """The move ``actor``'s own policy would make this turn, given the moves ``decided``.

    Played on a copy of the engine (a few milliseconds), so the game itself is
    untouched; the move is then recorded as the team's like any other.
    """
    c = session.model.compiled
    engine = copy.deepcopy(session.model.engine)
    pending = session.pending()
    moves = {c.index[a]: c.move_index[m] for a, m in decided.items()}
    moves.update({c.index[e["actor"]]: c.move_index[e["move"]] for e in pending.events})
    record = engine.step(human_moves=moves, extra_injects=list(pending.injects))
    return str(c.move_ids[int(record.move[c.index[actor]])])


class Room:
    """A live seminar: a game, its teams and one secret link per role.

    Args:
        session: The game; its ``humans`` are the teams, in order.
        absent: What a team that did not submit plays: ``quiet`` or ``model``.
        tokens: Role -> token (``console``, ``projector``, ``team:<id>``) to keep
            (a resumed room); new ones are made for the roles missing.
        absentees: Per resolved turn, the teams that did not submit.
        revealed: The resolved turn whose reveal is shown (0: none).

    Attributes:
        version: Bumped on every change (server-side only: pages get their view's digest).
        on_change: Called with the room after every change (the saver), or None.
        finished_folder: Name of the run folder written by :meth:`finish`, or None.
    """

    def __init__(
        self,
        session: PlaySession,
        *,
        absent: Absent = "quiet",
        tokens: dict[str, str] | None = None,
        absentees: Sequence[Sequence[str]] = (),
        revealed: int = 0,
    ) -> None:
        if absent not in ABSENT_RULES:
            raise PlayError(f"--absent must be one of {', '.join(ABSENT_RULES)}, not '{absent}'")
        if not session.humans:
            raise PlayError("a seminar needs at least one team: --team ACTOR")
        self.session = session
        self.absent: Absent = absent
        self.teams: list[str] = list(session.humans)
        roles = ["console", "projector", *(f"team:{t}" for t in self.teams)]
        given = dict(tokens or {})
        self.tokens: dict[str, str] = {r: given.get(r) or new_token() for r in roles}
        if len(set(self.tokens.values())) != len(self.tokens):
            raise PlayError("two roles share one link token")
        self.submissions: dict[str, Submission] = {}
        self.absentees: list[list[str]] = [list(a) for a in absentees]
        self.revealed = int(revealed)
        self.version = 0
        self.finished_folder: str | None = None
        self.on_change: Callable[[Room], None] | None = None
        self.closing = False
        self._cond = threading.Condition(threading.RLock())

    # ------------------------------------------------------------ roles and waiting

    def role(self, token: str) -> str | None:
        """The role a token opens (``console``, ``projector``, ``team:<id>``), or None."""
        found = None
        for role, known in self.tokens.items():
            if secrets.compare_digest(token.encode(), known.encode()):
                found = role
        return found

    def wait(self, after: int, timeout: float) -> int:
        """Block until :attr:`version` exceeds ``after`` (or ``timeout`` seconds); return it.

        Call it with :attr:`lock` held to wait for the next change after a view
        was read under that same hold (no change can slip in between).
        """
        with self._cond:
            self._cond.wait_for(lambda: self.version > after or self.closing, timeout)
            return self.version

    def close(self) -> None:
        """Wake every waiting long poll for good (the server is stopping)."""
        with self._cond:
            self.closing = True
            self._cond.notify_all()

    @property
    def lock(self) -> threading.Condition:
        """The room's lock: hold it to read a consistent view."""
        return self._cond

    def _changed(self) -> None:
        self.version += 1
        if self.on_change is not None:
            self.on_change(self)
        self._cond.notify_all()

    def _live(self) -> None:
        if self.finished_folder is not None:
            raise PlayError("the session has ended: the run folder is written")
        if self.session.finished:
            raise PlayError("the game is over: finish the session to write the run folder")

    # ------------------------------------------------------------ teams

    def submit(self, team: str, move: str, text: str = "", claims: float | None = None) -> str:
        """Record ``team``'s move (and optional framing text) for this turn; return the move id.

        When every team has submitted, the turn closes by itself.

        Raises:
            PlayError: unknown team, a move it may not choose, text too long,
                ``claims`` outside 0-1, or the game is over.
        """
        with self._cond:
            self._live()
            if team not in self.teams:
                raise PlayError(f"no team '{team}'")
            allowed = {ch["move"] for ch in self.session.choices(team)}
            if move not in allowed:
                raise PlayError(f"{self.session.name(team)} may not choose '{move}' this turn")
            words = " ".join(str(text).split())
            if len(words) > TEXT_LIMIT:
                raise PlayError(
                    f"the framing text is {len(words)} characters: at most {TEXT_LIMIT}"
                )
            if claims is not None and not 0.0 <= float(claims) <= 1.0:
                raise PlayError("the hostility the framing claims must be between 0 and 1")
            self.submissions[team] = Submission(
                move, words, None if claims is None else float(claims)
            )
            if all(t in self.submissions for t in self.teams):
                self._close()
            self._changed()
            return move

    def withdraw(self, team: str) -> bool:
        """Take back ``team``'s submission this turn; True if there was one."""
        with self._cond:
            self._live()
            if self.submissions.pop(team, None) is None:
                return False
            self._changed()
            return True

    def regenerate(self, team: str) -> str:
        """Give ``team`` a new link token; the old one then opens nothing."""
        with self._cond:
            if team not in self.teams:
                raise PlayError(f"no team '{team}'")
            self.tokens[f"team:{team}"] = new_token()
            self._changed()
            return self.tokens[f"team:{team}"]

    # ------------------------------------------------------------ the instructor

    def close_turn(self) -> int:
        """Resolve the turn now; teams that did not submit play by the absent rule.

        Returns:
            The turn just resolved.
        """
        with self._cond:
            self._live()
            turn = self._close()
            self._changed()
            return turn

    def _close(self) -> int:
        session = self.session
        chosen = {t: s.move for t, s in self.submissions.items()}
        missing = [t for t in self.teams if t not in chosen]
        for team in missing:
            if self.absent == "model":
                chosen[team] = model_move(session, team, chosen)
            else:
                chosen[team] = status_quo_move(session, team)
        try:
            for team in self.teams:
                sub = self.submissions.get(team)
                session.choose(team, chosen[team], None if sub is None else sub.framing())
            session.resolve()
        except PlayError:
            for team in self.teams:
                session.unchoose(team)
            raise
        self.absentees.append(missing)
        self.submissions = {}
        return session.played

    def fire(self, inject: str) -> str:
        """Fire a scenario inject by hand this turn; return its id."""
        with self._cond:
            self._live()
            key = self.session.fire(inject)
            self._changed()
            return key

    def event(self, actor: str, rung: int | str, text: str, intended: float | None = None) -> str:
        """An instructor's event: a computer-played ``actor`` moves near ``rung``; ``text`` is kept.

        Returns:
            The move id played.
        """
        with self._cond:
            self._live()
            words = " ".join(str(text).split())
            if len(words) > TEXT_LIMIT:
                raise PlayError(f"the event text is {len(words)} characters: at most {TEXT_LIMIT}")
            if intended is not None and not 0.0 <= float(intended) <= 1.0:
                raise PlayError("the intended hostility must be between 0 and 1")
            move = self.session.event(actor, rung, words, intended)
            self._changed()
            return move

    def undo_step(self) -> str | None:
        """Take back the instructor's newest inject or event of this turn."""
        with self._cond:
            self._live()
            said = self.session.undo()
            if said is not None:
                self._changed()
            return said

    def undo_last_turn(self) -> int:
        """Take back the last resolved turn (and this turn's submissions); return turns played.

        The game is rebuilt from its seed by replaying the turns before it,
        exactly as a save file is resumed.

        Raises:
            PlayError: no turn has been played, or the session has ended.
        """
        with self._cond:
            if self.finished_folder is not None:
                raise PlayError("the session has ended: the run folder is written")
            old = self.session
            if not old.inputs:
                raise PlayError("no turn has been played yet")
            fresh = PlaySession(
                old.scenario_path,
                old.humans,
                seed=old.seed,
                turns=old.turns,
                overrides=old.overrides,
            )
            fresh.seed_source = old.seed_source
            for inp in old.inputs[:-1]:
                fresh.replay(inp)
            self.session = fresh
            self.submissions = {}
            del self.absentees[len(fresh.inputs) :]
            if self.revealed > fresh.played:
                self.revealed = 0
            self._changed()
            return fresh.played

    def reveal(self) -> int:
        """Show the last resolved turn's reveal (meant, framed, every reading); return that turn."""
        with self._cond:
            if not self.session.played:
                raise PlayError("no turn has been played yet: there is nothing to reveal")
            self.revealed = self.session.played
            self._changed()
            return self.revealed

    def mark_finished(self, folder_name: str) -> None:
        """Record that the run folder was written (no more moves)."""
        with self._cond:
            self.finished_folder = folder_name
            self._changed()

    # ------------------------------------------------------------ reading

    @property
    def revealing(self) -> bool:
        """Whether the last resolved turn's reveal is shown now."""
        return self.revealed > 0 and self.revealed == self.session.played

    def submitted(self) -> list[str]:
        """Teams that have submitted this turn, in team order."""
        return [t for t in self.teams if t in self.submissions]
