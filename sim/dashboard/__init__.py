"""A browser dashboard for live play: ``sim dashboard [SCENARIO] [--port N]``.

A Solara page (served on the loopback address only) that steps a scenario turn
by turn, lets a person choose one state's move and fire injects by hand, and
redraws the run's figures after every turn. It loads nothing from outside the
machine (Solara's browser assets come from the ``solara-assets`` package) and
sends no telemetry.

* :mod:`sim.dashboard.session`: one tab's game: play mode's game object
  (:class:`sim.play.core.PlaySession`, the one ``sim play`` plays in the
  terminal) with a choice of scenarios and posture sliders around it; plain
  Python with no web dependency;
* :mod:`sim.dashboard.app`: the Solara page and :func:`~sim.dashboard.app.serve`;
* :mod:`sim.dashboard.guard`: the ASGI wrapper that refuses requests addressed to
  another host name (DNS rebinding) or sent from another site.

Needs the ``dashboard`` extra (``pip install -e '.[dashboard]'``).
"""

from __future__ import annotations

import os

# Solara reads its settings when it is first imported; turn its usage telemetry
# off before that happens, whatever the environment says.
os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
