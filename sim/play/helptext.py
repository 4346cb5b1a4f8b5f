"""The help texts of ``sim play`` in a terminal: the players' and the instructor's.

Each says exactly what :mod:`sim.play.screens` does with a command; the
commands are read there.
"""

from __future__ import annotations

__all__ = ["HELP", "INSTRUCTOR_HELP"]

HELP = """\
How to choose
  3                  the move numbered 3 in your menu
  statement          a move by the start of its name (any case), or its id
  undo               take back the previous choice this turn (the player before you)
  show               show your situation and menu again
  frame TEXT         before choosing: your state's own public words for the move you choose
                     next (at most 280 characters); they replace only the move's framing
                     wording in the transcript, not how it is read
  frame @0.2 TEXT    the same, and your framing claims hostility 0.2 (0-1): the others'
                     readings are pulled toward it and your credibility judged against it
  ? or help          this help
  quit               save the game and stop (continue later with --resume)
  quit --finish      save, stop, and write the run folder of the turns played so far

Reading the screen
  tension            how tense your state is, 0 (calm) to 1 (crisis)
  belief             how hostile you think another state is: calm < 0.30 <= wary < 0.60 <= alarmed
  read as            how hostile another state's move looked TO YOU (0-1); you never see
                     what it meant, and the others never see what you meant: the screen is
                     cleared between players, and meant-vs-read is shown to the room only
                     when the instructor reveals it
  framing believed   how far the others believe your public framing of your moves (0-1)
  regime             strength of shared norms and transparency (0-1)
  rung               position on the escalation ladder (0 = most conciliatory)
"""

INSTRUCTOR_HELP = """\
Instructor, before the turn resolves
  Enter              resolve the turn (the computer moves the other states)
  2  or  talks_open  fire inject number 2 (or by id / start of its name) this turn, if its
                     repeat:/limit: allows (an inject without repeat: true fires once)
  event ACTOR RUNG TEXT
                     something you make up: ACTOR (a state the computer plays) acts at RUNG
                     with the mechanics of its move nearest RUNG, meant as hostile as that
                     move; TEXT stands for the move in every output, e.g.
                     event red 4 Red City announces snap readiness checks
  event ACTOR RUNG @0.8 TEXT
                     the same, meant at hostility 0.8 (0-1); every state reads it like a move
  reveal             show the room the last turn: every move, who chose it, what the moves
                     people chose meant and how each state read them (the teaching moment)
  injects            list the scenario's injects again (those that may not fire say why)
  undo               take back the last inject, event or player's choice
  quit               save the game and stop;  quit --finish also writes the run folder
"""
