"""The live figures of a game: the catalogue's dashboard figures, redrawn after a turn.

Which figures a game shows live, in which order and with which alt text, is
the figure catalogue's word (:func:`sim.outputs.figures.figures_for` with
``DASHBOARD``); play mode keeps no list of its own. :func:`live_figures` names
them and :func:`live_pngs` draws them as PNG bytes with the catalogue's draw
functions. Matplotlib is imported only when they are first asked for.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.model.results import RunResult

LIVE_DPI = 90
"""Resolution of the live figures."""


def live_figures() -> dict[str, str]:
    """The figures a game shows live, ``{name: alt text}``, in catalogue order."""
    from sim.outputs.figures import DASHBOARD, figures_for

    return {spec.name: spec.alt for spec in figures_for(DASHBOARD)}


def live_pngs(result: RunResult, dpi: int = LIVE_DPI) -> dict[str, bytes]:
    """Every figure of :func:`live_figures` for ``result``, as PNG bytes by name."""
    from sim.outputs.figures import DASHBOARD, figures_for

    out: dict[str, bytes] = {}
    for spec in figures_for(DASHBOARD):
        fig = spec.draw(result)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
        out[spec.name] = buf.getvalue()
    return out


def png_data_url(png: bytes) -> str:
    """A ``data:`` URL for PNG bytes (a page then loads nothing else)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
