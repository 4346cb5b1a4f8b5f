"""Making the transcript's sentences from a run (see :mod:`sim.outputs.transcript`).

:func:`build` reads a :class:`~sim.model.results.RunResult` and returns a
:class:`~sim.outputs.transcript.Transcript`. Every choice of words is made
here once, from the Markdown form of scenario text where a choice depends on
it (an article, a plural voice), so the Markdown and the report agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.engine import start_rung
from sim.outputs.facts import departure_line, departures
from sim.outputs.grammar import is_plural_actor
from sim.outputs.inline import Data, Emphasis, Line, Strong, TurnLink, line, md, to_markdown
from sim.outputs.transcript_model import (
    Answer,
    EndingRow,
    Move,
    Played,
    PlayedMove,
    Reading,
    Transcript,
    Turn,
    TurningPoint,
)
from sim.outputs.wording import (
    ARROW,
    DOWN,
    EASING,
    IN_KIND,
    MAX_MISCALCULATION_POINTS,
    SAME_FRAMING,
    SOURCE_NOTES,
    UP,
    Row,
    agree,
    article,
    cap_data,
    count,
    join_and,
    noun_spans,
    num,
    possessive_spans,
    reading_phrase,
    records,
    signed,
    verb_spans,
)

if TYPE_CHECKING:
    from sim.model.results import RunResult


def build(result: RunResult, max_readings: int, played: Played | None = None) -> Transcript:
    """The minutes of ``result``, at most ``max_readings`` readings under each move.

    ``played``: the moves people chose in play mode and their own words (see
    :class:`~sim.outputs.transcript_model.PlayedMove`); each is always
    narrated, marked, and told in those words.
    """
    return _Builder(result, max_readings, played).build()


def _turn_link(turn: int) -> TurnLink:
    return TurnLink(turn, line(f"turn {turn}"))


def _meant(row: Row) -> float:
    """How hostile a read move was meant toward its observer: the reading minus the gap.

    The gap is measured from what the sender meant toward that observer (less
    toward a partner, docs/model.md 7.5), not from the move's own hostility.
    """
    return float(row["perceived"]) - float(row["gap"])


def _head(title: str, turn: int) -> Line:
    """The opening of a turning point: "**Title** ([turn N](#turn-N)): "."""
    return line(Strong(line(title)), " (", _turn_link(turn), "): ")


def _sentence(parts: list[str | Line | Data | Strong]) -> Line:
    """``parts`` as one line, with a full stop unless it already ends a sentence."""
    text = line(*parts)
    if not to_markdown(text).endswith((".", "!", "?", '."', '!"', '?"')):
        text = line(text, ".")
    return text


class _Builder:
    """Builds the :class:`~sim.outputs.transcript.Transcript` of one result."""

    def __init__(self, result: RunResult, max_readings: int, played: Played | None = None) -> None:
        self.r = result
        self.played: Played = played or {}
        self.max_readings = max(0, int(max_readings))
        s = result.scenario
        self.s = s
        self.ids = list(result.compiled.ids)
        self.index = {a: k for k, a in enumerate(self.ids)}
        self.voice = {a: Data(s.actors[a].voice or s.actors[a].name) for a in self.ids}
        self.name = {a: Data(s.actors[a].name) for a in self.ids}
        # sentences agree with actors that stand for several states (sim.outputs.grammar)
        self.plural = {a: is_plural_actor(s.actors[a]) for a in self.ids}
        self.a = result.arrays
        self.mean = self.a.tension.mean(axis=1)  # (T + 1,)
        self.events = records(result.events)
        self.events_by_turn: dict[int, list[Row]] = {}
        for row in self.events:
            self.events_by_turn.setdefault(int(row["turn"]), []).append(row)
        self.links = sorted(
            records(result.links), key=lambda r: (int(r["turn"]), self.index[r["responder"]])
        )
        self.first_rung = start_rung(result.compiled.top_rung)

    # --------------------------------------------------------- names

    def move_label(self, move_id: str) -> Data:
        """The move's label."""
        return Data(self.s.moves[move_id].label)

    def rung_label(self, rung: int) -> Data | None:
        """The rung's label (None when the ladder has no such rung, or its label is empty)."""
        ladder = self.s.ladder
        if ladder and 0 <= rung < len(ladder) and md(ladder[rung].label):
            return Data(ladder[rung].label)
        return None

    def rung_text(self, rung: int) -> Line:
        label = self.rung_label(rung)
        return line(f"rung {rung}, ", label) if label else line(f"rung {rung}")

    def noun(self, move_id: str) -> Line:
        return noun_spans(self.s.moves[move_id].label)

    # --------------------------------------------------------- document

    def build(self) -> Transcript:
        meta = self.s.metadata
        return Transcript(
            title=line(Data(meta.title), " — transcript"),
            intro=self.intro(),
            turning_points=self.turning_points(),
            turns=tuple(
                self.turn(t, self.events_by_turn.get(t, [])) for t in range(1, self.r.turns + 1)
            ),
            ending=self.ending(),
        )

    def intro(self) -> tuple[Line, ...]:
        meta = self.s.metadata
        r = self.r
        turns = count(r.turns, "turn", "turns")
        out = [line(f"Seed {r.seed}; {turns}; each turn stands for ", Data(meta.turn_meaning), ".")]
        cast = [
            line(self.voice[a], " (", self.name[a], ")")
            for a in self.ids
            if self.voice[a].as_markdown() != self.name[a].as_markdown()
        ]
        if cast:
            out.append(line("Voices: ", join_and(cast), "."))
        note = (
            "Hostility runs from 0 (friendly) to 1 (most hostile). A reading's gap is "
            "how hostile the observer perceived a move minus how hostile its sender meant "
            "it toward that observer; a miscalculation is a counter-action to a reading at "
            f"least {num(self.s.dynamics.miscalculation_threshold)} more hostile than the move "
            "was meant toward the reader."
        )
        out.append(line(Emphasis(line(note))))
        out.append(self.summary_paragraph())
        # the stylised facts this run broke, one line each (none without expectations:)
        out.extend(departure_line(v) for v in departures(r))
        return tuple(out)

    def summary_paragraph(self) -> Line:
        r = self.r
        if r.turns == 0:
            return line("No turns were played.")
        sm = r.summary()
        peak_turn = int(sm["peak_tension_turn"])
        when = "at the start" if peak_turn == 0 else f"in turn {peak_turn}"
        sentences = [
            line(
                f"Over {count(r.turns, 'turn', 'turns')}, the highest tension any actor reached "
                f"was {num(float(sm['peak_tension']))} (",
                self.voice[str(sm["peak_tension_actor"])],
                f", {when}).",
            )
        ]
        start, end = self.mean[0], self.mean[-1]
        if num(end) == num(start):
            trend = f"ended where it started, at {num(end)}"
        elif end > start:
            trend = f"ended higher than it started ({num(end)}, up from {num(start)})"
        else:
            trend = f"ended lower than it started ({num(end)}, down from {num(start)})"
        sentences.append(line(f"Averaged over all {len(self.ids)} actors, tension {trend}."))
        sentences.append(
            line(
                "On average a reading missed its sender's meaning by "
                f"{num(float(sm['mean_abs_gap']))}."
            )
        )
        n_links = int(sm["chain_links"])
        n_mis = int(sm["miscalculations"])
        if n_links:
            answers = count(n_links, "time", "times")
            if n_mis == 1:
                mis = "1 of those counter-actions was a miscalculation"
            elif n_mis > 1:
                mis = f"{n_mis} of those counter-actions were miscalculations"
            else:
                mis = "none of those counter-actions was a miscalculation"
            sentences.append(
                line(
                    "Actors counter-acted moves they read as more hostile than meant "
                    f"{answers}; {mis}."
                )
            )
            longest = int(sm["longest_chain"])
            deepest = max(self.links, key=lambda r: int(r["chain_depth"]))
            sentences.append(
                line(
                    "The longest chain of counter-actions ran to "
                    f"{count(longest, 'counter-action', 'counter-actions')}, "
                    f"ending in turn {int(deepest['turn'])}."
                )
            )
        else:
            sentences.append(line("No move was counter-acted."))
        return join_and(sentences, " ", " ")

    # --------------------------------------------------------- turning points

    def turning_points(self) -> tuple[TurningPoint, ...] | None:
        if self.r.turns == 0:
            return None
        points = [
            *self.tp_gap(),
            *self.tp_first_link(),
            *self.tp_miscalculations(),
            *self.tp_peak_and_easing(),
        ]
        if not points:
            points = [TurningPoint("none", None, line("Nothing stood out in this run."))]
        return tuple(points)

    def tp_gap(self) -> list[TurningPoint]:
        seen = [row for row in self.events if bool(row["observed"])]
        if not seen:
            return []
        # max() keeps the first of equal values: the earliest in (turn, sender, observer) order
        row = max(seen, key=lambda r: abs(float(r["gap"])))
        turn = int(row["turn"])
        text = line(
            _head("Largest perception gap", turn),
            cap_data(self.voice[row["observer"]]),
            " read ",
            possessive_spans(self.voice[row["sender"]]),
            " ",
            self.noun(row["move"]),
            f" as {reading_phrase(row['perceived'], row['gap'])} (perceived "
            f"{num(row['perceived'])} vs meant {num(_meant(row))}, gap {signed(row['gap'])}).",
        )
        return [TurningPoint("largest_gap", turn, text)]

    def tp_first_link(self) -> list[TurningPoint]:
        if not self.links:
            return []
        row = self.links[0]
        turn = int(row["turn"])
        others = sum(1 for r in self.links if int(r["turn"]) == turn) - 1
        also = count(others, "other counter-action", "other counter-actions")
        text = line(
            _head("First action and counter-action", turn),
            possessive_spans(self.voice[row["cause_sender"]]),
            " ",
            self.noun(row["cause_move"]),
            f" (turn {int(row['cause_turn'])}) → ",
            possessive_spans(self.voice[row["responder"]]),
            " ",
            self.noun(row["response_move"]),
            f" ({also} that turn)" if others else "",
            ".",
        )
        return [TurningPoint("first_link", turn, text)]

    def tp_miscalculations(self) -> list[TurningPoint]:
        mis = [row for row in self.links if bool(row["miscalculation"])]
        out = []
        for row in mis[:MAX_MISCALCULATION_POINTS]:
            turn = int(row["turn"])
            text = line(
                _head("Miscalculation", turn),
                cap_data(self.voice[row["responder"]]),
                " counter-acted ",
                possessive_spans(self.voice[row["cause_sender"]]),
                " ",
                self.noun(row["cause_move"]),
                f" after reading it at {num(row['perceived'])}, though it was meant at "
                f"{num(row['intended'])} (gap {signed(row['gap'])}).",
            )
            out.append(TurningPoint("miscalculation", turn, text))
        extra = len(mis) - MAX_MISCALCULATION_POINTS
        if extra > 0:
            more = count(extra, "more miscalculation", "more miscalculations")
            out.append(TurningPoint("more_miscalculations", None, line(f"…and {more}.")))
        return out

    def highest(self, row: int) -> Line:
        tension = self.a.tension[row]
        k = int(np.argmax(tension))
        return line(self.voice[self.ids[k]], f" {num(tension[k])}")

    def tp_peak_and_easing(self) -> list[TurningPoint]:
        mean = self.mean
        peak = int(np.argmax(mean))
        out = []
        if peak == 0:
            during = 1 + int(np.argmax(mean[1:]))
            text = line(
                Strong(line("Tension peak")),
                " (the start): mean tension was highest before any move, "
                f"at {num(mean[0])} (highest ",
                self.highest(0),
                f"); the closest it came again was {num(mean[during])} in ",
                _turn_link(during),
                ".",
            )
            out.append(TurningPoint("peak", 0, text))
        else:
            text = line(
                _head("Tension peak", peak),
                f"mean tension reached {num(mean[peak])} (highest ",
                self.highest(peak),
                ").",
            )
            out.append(TurningPoint("peak", peak, text))
        after = mean[peak + 1 :]
        if after.size == 0:
            return out
        below = np.nonzero(np.round(mean[peak] - after, 2) >= EASING)[0]
        if below.size:
            t = peak + 1 + int(below[0])
            text = line(
                _head("De-escalation", t),
                f"mean tension fell to {num(mean[t])}, {num(mean[peak] - mean[t])} below the peak.",
            )
            out.append(TurningPoint("de_escalation", t, text))
            return out
        drops = mean[peak:-1] - mean[peak + 1 :]
        k = int(np.argmax(drops))
        if round(float(drops[k]), 2) > 0:
            t = peak + 1 + k
            text = line(
                _head("Largest easing", t),
                f"mean tension fell by {num(drops[k])} to {num(mean[t])}, its biggest "
                "one-turn fall after the peak.",
            )
            out.append(TurningPoint("largest_easing", t, text))
        return out

    # --------------------------------------------------------- turn by turn

    def turn(self, t: int, events: list[Row]) -> Turn:
        said = []
        for key in self.r.records[t - 1].injects:
            inj = self.s.injects[key]
            desc = (" — ", Data(inj.description)) if md(inj.description) else ()
            said.append(line(Strong(line("Event:")), " ", Data(inj.label), *desc))

        rungs = self.a.rung[t - 1]
        before = self.a.rung[t - 2] if t > 1 else np.full(len(self.ids), self.first_rung)
        moves: dict[str, Row] = {}
        for row in events:
            moves.setdefault(row["sender"], row)
        narrated = [
            i
            for i in range(len(self.ids))
            if rungs[i] > self.first_rung
            or rungs[i] != before[i]
            or (t, self.ids[i]) in self.played
        ]
        narrated.sort(key=lambda i: (-int(rungs[i]), i))
        told: list[Move] = []
        framed: set[str] = set()
        done: set[str] = set()
        for i in narrated:
            aid = self.ids[i]
            if aid in done:
                continue
            row = moves[aid]
            group = self.partners_in(row["move"], moves)
            if aid in group:
                # a joint move: one act of all its partners, each partner's part read apart
                done.update(group)
                text = self.joint_line(group, row, [moves[p] for p in group])
                readings = tuple(
                    reading
                    for p in group
                    for reading in self.readings([r for r in events if r["sender"] == p], part_of=p)
                )
                told.append(Move(aid, row["move"], int(row["rung"]), text, readings, group))
                framed.add(row["move"])
                continue
            done.add(aid)
            who = self.played.get((t, aid))
            if who is not None:
                text = self.played_line(aid, row, who)
            else:
                text = self.move_line(aid, row, repeat=row["move"] in framed)
                framed.add(row["move"])
            readings = self.readings([r for r in events if r["sender"] == aid])
            told.append(Move(aid, row["move"], int(row["rung"]), text, readings))
        answers = tuple(self.answer(row) for row in self.links if int(row["turn"]) == t)
        quiet_ids = [a for a in self.ids if a not in done]
        quiet = None
        if quiet_ids and narrated:
            quiet = line(
                "Quiet: ", join_and([(self.voice[a],) for a in quiet_ids], ", ", ", "), "."
            )
        elif quiet_ids:
            quiet = line("Quiet: everyone.")
        return Turn(t, tuple(said), tuple(told), answers, quiet, self.status_line(t))

    def partners_in(self, move_id: str, moves: dict[str, Row]) -> tuple[str, ...]:
        """The partners of joint move ``move_id`` that played it this turn (empty: not joint).

        Two or more are needed for one joint act; partners in the scenario's order.
        """
        partners = self.s.moves[move_id].partners or []
        group = tuple(p for p in partners if p in moves and moves[p]["move"] == move_id)
        return group if len(group) > 1 else ()

    def joint_line(self, group: tuple[str, ...], row: Row, rows: list[Row]) -> Line:
        """A joint move as one act: "**A and B** hold ... together, hosted by B (rung ...)"."""
        move = self.s.moves[row["move"]]
        voices = [(self.voice[p],) for p in group]
        voices[0] = (cap_data(self.voice[group[0]]),)
        parts: list[str | Line | Data | Strong] = [
            Strong(join_and(voices, ", ", " and ")),
            " ",
            verb_spans(move.label, plural=True),
            " together",
        ]
        if move.host is not None:
            parts += [", hosted by ", self.name[move.host]]
        parts += [" (", self.rung_text(int(row["rung"])), ")"]
        if md(move.framing):
            parts += [', framed as "', Data(move.framing), '"']
        if move.shows:
            shown = join_and([(Data(item),) for item in move.shows], ", ", ", ")
            parts += [" (shown: ", shown, ")"]
        kinds = [str(r["source"]).split(":", 1)[0] for r in rows]
        notes = [SOURCE_NOTES[k] for k in kinds if k in SOURCE_NOTES]
        if notes:
            parts.append(f" — {notes[0]}")
        return _sentence(parts)

    def plays(self, aid: str, row: Row) -> list[str | Line | Data | Strong]:
        """The start of a move's sentence: "**Voice** holds a drill (rung 3: ...)"."""
        return [
            Strong((cap_data(self.voice[aid]),)),
            " ",
            verb_spans(self.s.moves[row["move"]].label, plural=self.plural[aid]),
            " (",
            self.rung_text(int(row["rung"])),
            ")",
        ]

    def move_line(self, aid: str, row: Row, *, repeat: bool = False) -> Line:
        """One narrated move; ``repeat``: the same move was already narrated this turn."""
        move = self.s.moves[row["move"]]
        parts = self.plays(aid, row)
        if md(move.framing) and repeat:
            parts.append(f", {SAME_FRAMING}")
        elif md(move.framing):
            parts += [', framed as "', Data(move.framing), '"']
        if move.shows and not repeat:
            shown = join_and([(Data(item),) for item in move.shows], ", ", ", ")
            parts += [" (shown: ", shown, ")"]
        kind = str(row["source"]).split(":", 1)[0]
        if kind in SOURCE_NOTES:
            parts.append(f" — {SOURCE_NOTES[kind]}")
        return _sentence(parts)

    def played_line(self, aid: str, row: Row, who: PlayedMove) -> Line:
        """A move people chose, told in their words and marked as theirs.

        An instructor's event: its own text and rung, and the move whose mechanics
        it was played with. A team's move: as :meth:`move_line`, with the team's
        own framing wording in place of the move's.
        """
        voice = self.voice[aid]
        move = self.s.moves[row["move"]]
        if who.by == "instructor":
            rung = int(row["rung"]) if who.rung is None else who.rung
            parts: list[str | Line | Data | Strong] = [
                Strong((cap_data(voice),)),
                ': "',
                Data(who.text or ""),
                '" (',
                self.rung_text(rung),
                "; played as ",
                self.noun(row["move"]),
                ") — the instructor's event",
            ]
        else:
            parts = self.plays(aid, row)
            if who.framing is not None:
                parts += [', framed as "', Data(who.framing), '"']
            elif md(move.framing):
                parts += [', framed as "', Data(move.framing), '"']
            parts.append(" — played by a team")
        return line(*parts, ".")

    def readings(self, rows: list[Row], part_of: str | None = None) -> tuple[Reading, ...]:
        """The readings of one move: largest absolute gap first, then observer order.

        ``part_of``: the partner whose part of a joint move was read ("reads Nordport's
        part as ..."); each part's readings are capped and ordered on their own.
        """
        seen = [row for row in rows if bool(row["observed"])]
        seen.sort(key=lambda r: (-abs(float(r["gap"])), self.index[r["observer"]]))
        out = []
        for row in seen[: self.max_readings]:
            observer = self.voice[row["observer"]]
            what = line("it")
            if part_of is not None:
                what = line(possessive_spans(self.voice[part_of]), " part")
            text = line(
                cap_data(observer),
                f" {agree('reads', observer, self.plural[row['observer']])} ",
                what,
                f" as {reading_phrase(row['perceived'], row['gap'])} "
                f"(perceived {num(row['perceived'])} vs meant {num(_meant(row))}, "
                f"gap {signed(row['gap'])}).",
            )
            perceived, gap = float(row["perceived"]), float(row["gap"])
            out.append(Reading(row["observer"], perceived, _meant(row), gap, text, part_of))
        return tuple(out)

    def answer(self, row: Row) -> Answer:
        """One counter-action, made in turn ``row['turn']``."""
        resp, cause = self.voice[row["responder"]], self.voice[row["cause_sender"]]
        label = self.move_label(row["response_move"])
        i = self.index[row["responder"]]
        t = int(row["turn"])
        notes: list[Line] = []
        if row["response_move"] == row["cause_move"]:
            answer = line(IN_KIND)
        elif label.as_markdown().startswith("no "):
            # a "no ..." move more hostile than the last (e.g. back to routine from
            # accommodation); a counter-action may stay on the same rung
            now = float(self.a.hostility[t - 1, i])
            if t > 1:
                prev = float(self.a.hostility[t - 2, i])
                answer = line(f"with a more hostile move ({num(prev)} → {num(now)})")
            else:
                answer = line(f"with a more hostile move ({num(now)})")
            notes.append((label,))
        else:
            noun = self.noun(row["response_move"])
            a = article(to_markdown(noun))
            answer = line(f"with {a} ", noun) if a else line("with ", noun)
        depth = int(row["chain_depth"])
        if depth > 1:
            notes.append(line(f"chain of {depth}"))
        extra = line(" (", join_and(notes, "; ", "; "), ")") if notes else ()
        text = line(
            cap_data(resp),
            f" {agree('counter-acts', resp, self.plural[row['responder']])} ",
            possessive_spans(cause),
            " ",
            self.noun(row["cause_move"]),
            f" from turn {int(row['cause_turn'])} ",
            answer,
            extra,
        )
        miscalculation = bool(row["miscalculation"])
        if miscalculation:
            text = line(
                Strong(line("Miscalculation:")),
                " ",
                text,
                f", reading it at {num(row['perceived'])} though it was meant at "
                f"{num(row['intended'])} (gap {signed(row['gap'])})",
            )
        return Answer(
            row["responder"],
            row["cause_sender"],
            int(row["cause_turn"]),
            miscalculation,
            depth,
            line(f"{ARROW} ", text, "."),
        )

    def status_line(self, t: int) -> Line:
        delta = self.mean[t] - self.mean[t - 1]
        d = round(float(delta), 2)
        change = f"{UP}{num(d)}" if d > 0 else f"{DOWN}{num(-d)}" if d < 0 else "steady"
        return line("Tension: highest ", self.highest(t), f", mean {num(self.mean[t])} ({change}).")

    # --------------------------------------------------------- ending

    def ending(self) -> tuple[EndingRow, ...]:
        tension = self.a.tension
        final, start = tension[-1], tension[0]
        order = sorted(range(len(self.ids)), key=lambda i: (-float(final[i]), i))
        rows = []
        for i in order:
            aid = self.ids[i]
            if self.r.turns:
                move_id = self.r.compiled.move_ids[int(self.a.move[-1, i])]
                rung = int(self.a.rung[-1, i])
                last = line(self.move_label(move_id), f" (rung {rung})")
            else:
                last = line("—")
            change = signed(final[i] - start[i])
            rows.append(EndingRow(aid, (self.name[aid],), num(final[i]), change, last))
        return tuple(rows)
