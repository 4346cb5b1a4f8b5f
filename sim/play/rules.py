"""The checks behind a person's decisions in play mode: moves, injects, events and framings.

:class:`~sim.play.core.PlaySession` asks these functions whether a decision
may be taken, and turns their refusals into :class:`~sim.play.shapes.PlayError`
messages a screen can show as they are:

* :func:`menu_move`, :func:`inject_key`, :func:`nearest`: the move or inject
  a typed text names, the move nearest a rung;
* :func:`why_not_fire`: why an inject may not be fired by hand now, by the
  engine's own rule for a scenario's injects (:mod:`sim.model.limits`);
* :func:`clean_text`, :func:`share`, :func:`checked_framing`: a person's own
  words (an event's text, a team's framing) and values from 0 to 1.
"""

from __future__ import annotations

from sim.play.shapes import MAX_TEXT, Choice, Framing, Game, PlayError
from sim.play.where import match_name


def menu_move(game: Game, actor: str, menu: list[Choice], text: str) -> str:
    """The move id that ``text`` names in ``actor``'s ``menu``.

    ``text`` is a menu number, a move id or label (any case), or a unique
    prefix of one.

    Raises:
        PlayError: nothing in the menu matches, or the move is not one
            ``actor`` may choose.
    """
    raw = text.strip()
    if raw.isdigit():
        k = int(raw)
        if 1 <= k <= len(menu):
            return menu[k - 1]["move"]
        raise PlayError(f"there is no move number {k}: choose 1 to {len(menu)}")
    options = {ch["move"]: [ch["move"], ch["label"]] for ch in menu}
    try:
        return match_name(raw, options, "move")
    except PlayError as exc:
        if "could be any of" in str(exc) or not raw:
            raise
        every = {m: [m, str(mv.label)] for m, mv in game.spec.moves.items()}
        try:
            other = match_name(raw, every, "move")
        except PlayError:
            other = None
        if other is not None:
            raise PlayError(
                f"{game.name(actor)} may not choose '{other}' in this scenario; "
                f"pick one of the {len(menu)} moves in the menu"
            ) from None
        raise PlayError(
            f"no move called '{raw}' for {game.name(actor)}: type a number from 1 to "
            f"{len(menu)} or the start of a move's name"
        ) from None


def inject_key(game: Game, text: str) -> str:
    """The inject that ``text`` names: its number in the scenario (from 1), id or label."""
    keys = list(game.spec.injects)
    if not keys:
        raise PlayError("this scenario defines no injects")
    raw = text.strip()
    if raw.isdigit():
        k = int(raw)
        if not 1 <= k <= len(keys):
            raise PlayError(f"there is no inject number {k}: choose 1 to {len(keys)}")
        return keys[k - 1]
    options = {key: [key, str(game.spec.injects[key].label)] for key in keys}
    return match_name(raw, options, "inject")


def nearest(game: Game, actor: str, allowed: list[str], rung: int) -> str:
    """The move of ``allowed`` whose rung is nearest ``rung``.

    Ties go to the lower rung, then the less hostile move, then file order.
    """
    c = game.model.compiled
    if not allowed:
        raise PlayError(f"{game.name(actor)} has no moves to choose from")

    def key(m: str) -> tuple[int, int, float, int]:
        k = c.move_index[m]
        r = int(c.rungs[k])
        return (abs(r - rung), r, float(c.intended[k]), k)

    return min(allowed, key=key)


def why_not_fire(game: Game, key: str, pending: list[str], due: set[str]) -> str | None:
    """Why inject ``key`` may not be fired by hand in the coming turn (None: it may).

    The rule is the engine's own (:class:`sim.model.limits.Limits` on the
    engine's inject uses, the one that keeps the scenario's own firings to
    ``repeat:`` and ``limit:``): an inject that does not repeat fires once; one
    that repeats at most ``limit.times`` times, at least ``limit.cooldown``
    turns apart. It may not be set twice in a turn, nor when it is due anyway.
    """
    if game.played >= game.turns:
        return "the game is over"
    if key in pending:
        return f"'{key}' is already set to fire this turn"
    if key in due:
        return f"'{key}' fires this turn anyway (the scenario schedules it)"
    c, state = game.model.compiled, game.model.engine.state
    j = [inj.key for inj in c.injects].index(key)
    if bool(c.inject_limits.open(state.inject_uses, game.turn)[j]):
        return None
    count, last = int(state.inject_uses.count[j]), int(state.inject_uses.last[j])
    inj = game.spec.injects[key]
    if not inj.repeat:
        return (
            f"'{key}' already fired in turn {last} and fires only once "
            "(the scenario does not set repeat: true for it)"
        )
    limit = inj.use_limit()
    if count >= int(c.inject_limits.times[j]):
        return f"'{key}' has fired {count} times, the most its limit allows ({limit.times})"
    plural = "s" if limit.cooldown != 1 else ""
    return (
        f"'{key}' last fired in turn {last}; its cooldown of {limit.cooldown} turn{plural} "
        f"lets it fire again from turn {last + limit.cooldown + 1}"
    )


def whole_rung(rung: object, top: int) -> int:
    """``rung`` as a whole number (an event's rung, typed or given)."""
    try:
        return int(str(rung).strip())
    except ValueError:
        raise PlayError(f"the rung must be a whole number (0 to {top}), got '{rung}'") from None


def clean_text(text: object, what: str) -> str:
    """``text`` with runs of whitespace as one space, refused beyond :data:`MAX_TEXT` characters."""
    if not isinstance(text, str):
        raise PlayError(f"{what} must be text")
    note = " ".join(text.split())
    if len(note) > MAX_TEXT:
        raise PlayError(
            f"{what} is {len(note)} characters long; keep it to {MAX_TEXT} (one or two sentences)"
        )
    return note


def share(value: object, what: str) -> float:
    """A number from 0 to 1, or a :class:`PlayError` naming ``what``."""
    if isinstance(value, bool):
        raise PlayError(f"{what} must be a number from 0 to 1, got '{value}'")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise PlayError(f"{what} must be a number from 0 to 1, got '{value}'") from None
    if not 0.0 <= number <= 1.0:
        raise PlayError(f"{what} must be from 0 to 1, got {number:g}")
    return number


def checked_framing(framing: object) -> Framing:
    """A team's framing, checked: non-empty text of at most :data:`MAX_TEXT` characters.

    Raises:
        PlayError: not ``{"text": ..., "claims": ...}``, empty or too long
            text, or a claim outside 0-1.
    """
    if not isinstance(framing, dict) or "text" not in framing:
        raise PlayError('a framing is {"text": "...", "claims": a number from 0 to 1, or None}')
    unknown = set(framing) - {"text", "claims"}
    if unknown:
        raise PlayError(f"a framing has only 'text' and 'claims', not {sorted(unknown)}")
    text = clean_text(framing["text"], "the framing text")
    if not text:
        raise PlayError("the framing text is empty: write what your state says in public")
    claims = framing.get("claims")
    return Framing(
        text=text, claims=None if claims is None else share(claims, "the framing's claim")
    )
