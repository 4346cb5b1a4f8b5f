"""Play mode: people play some states, the model plays the rest, turn by turn.

One game object, two faces. The core (no input or output of its own, no face
and no plotting library imported):

* :mod:`sim.play.core`: the game, :class:`~sim.play.core.PlaySession`: what
  each human-played state perceives, which moves it may choose (with a team's
  own framing), hand-fired injects (within their ``repeat:``/``limit:``) and
  instructor events (with their own text, rung and intended hostility),
  resolving a turn; and :func:`~sim.play.core.play_seed`, the one rule for a
  game's seed;
* :mod:`sim.play.rules`: the checks behind those decisions (a typed move or
  inject, whether an inject may fire, people's texts and values);
* :mod:`sim.play.shapes`: what a screen gets: the situation, the menu, and the
  one turn summary (:class:`~sim.play.shapes.TurnSummary`); and
  :class:`~sim.play.shapes.PlayError`;
* :mod:`sim.play.summary`: builds the situation and the turn summary;
* :mod:`sim.play.save` and :mod:`sim.play.savefile`: the save file
  (``sim-play/3``), written atomically and checked before it is replayed;
* :mod:`sim.play.script`: the ``--moves`` file of scripted turns;
* :mod:`sim.play.figures`: the live figures (drawn by :mod:`sim.outputs.figures`);
* :mod:`sim.play.folder`: the run folder a game ends with (``play.json``, and
  the transcript and debrief telling people's moves in their own words);
* :mod:`sim.play.where`: positions in a file, and matching a typed name.

The faces only arrange calls on the game:

* :mod:`sim.play.terminal` (with :mod:`sim.play.screens`,
  :mod:`sim.play.helptext` and :mod:`sim.play.arguments`): ``sim play``,
  hot-seat, through ``input()``, the screen cleared between players and
  meant-vs-read shown only at the instructor's reveal;
* :mod:`sim.dashboard`: ``sim dashboard``, in the browser.

:mod:`sim.play.session` keeps the old import path of these names. This package
imports nothing heavy; the model is loaded when a game starts.
"""
