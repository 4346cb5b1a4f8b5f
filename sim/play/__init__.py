"""Play mode: people play some states, the model plays the rest, turn by turn.

* :mod:`sim.play.session`: the game itself (:class:`~sim.play.session.PlaySession`):
  what each human-played state perceives, which moves it may choose, hand-fired
  injects and instructor events, resolving a turn, saving and resuming. No
  input or output, so a browser dashboard can drive it as well as a terminal.
* :mod:`sim.play.terminal`: the text interface behind ``sim play``
  (:func:`~sim.play.terminal.run_play`), hot-seat, through ``input()``.

This package imports nothing heavy; the model is loaded when a game starts.
"""
