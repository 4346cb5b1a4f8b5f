"""``sim seminar``: a live classroom server over the one play core.

Every team plays its state from its own device and sees only what that state
perceives; the instructor runs the room from a console; a projector shows the
public record and, when the instructor reveals it, what each move meant and
how every state read it.

* :mod:`sim.seminar.room`: :class:`~sim.seminar.room.Room`, the game, the teams,
  one secret link token per role, this turn's submissions (plain Python);
* :mod:`sim.seminar.views`: what each role's page receives (one function per role);
* :mod:`sim.seminar.actions`: which role may do what, and checking a request's body;
* :mod:`sim.seminar.store`: the session folder: saved after every change, resumed
  with the same links, and the class folder written at the end (run folder with
  report and handout, one brief per team);
* :mod:`sim.seminar.server`: HTTP (standard library only): pages, long polling,
  the Host and Origin checks and the security headers;
* ``static/``: the one page, its script, chart code and style sheet.
"""
