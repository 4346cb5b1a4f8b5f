"""Write a parameter sweep's folder (``sim sweep``): the table and the response figure.

The sweep is computed by :func:`sim.running.sweep.run_sweep`; this writes::

    <out>/
      sweep.csv             one row per grid point and replicate, a column per parameter
      response.png/.svg     one parameter: median with 50% and 90% bands; two: a heat map
      manifest.json
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.files import output_folder
from sim.outputs.tables import write_csv
from sim.running.sweep import Axis


def write_sweep_folder(
    table: pd.DataFrame,
    axes: Sequence[Axis],
    outcome: str,
    folder: Path,
    *,
    manifest: dict[str, Any],
    force: bool = False,
) -> Path:
    """Write the sweep's table and response figure into ``folder`` atomically; return it."""
    from sim.outputs.figures import save_figure

    with output_folder(folder, force=force) as stage:
        write_csv(table, stage.path / "sweep.csv")
        save_figure(response_figure(table, axes, outcome), stage.path, "response")
        stage.manifest = manifest
    return folder


def response_figure(table: pd.DataFrame, axes: Sequence[Axis], outcome: str) -> Any:
    """One parameter: median line with 50% and 90% bands; two: a heat map of the mean."""
    from sim.outputs import style

    fig, ax = style.chart()
    if len(axes) == 1:
        name = axes[0].path
        grouped = table.groupby(name)[outcome]
        x = np.array(sorted(table[name].unique()))
        q = list(np.array([style.quantiles(grouped.get_group(v)) for v in x]).T)  # rows
        style.bands(ax, x, q)
        style.median(ax, x, q, markers=True)
        style.labels(ax, name, outcome)
        style.legend(ax, "best")
        style.grid(ax)
    else:
        a, b = axes[0].path, axes[1].path
        pivot = table.groupby([a, b])[outcome].mean().unstack(b)
        image = ax.imshow(pivot.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(len(pivot.columns)), [f"{v:g}" for v in pivot.columns])
        ax.set_yticks(range(len(pivot.index)), [f"{v:g}" for v in pivot.index])
        style.labels(ax, b, a)
        fig.colorbar(image, ax=ax, label=f"mean {outcome}")
        if len(axes) > 2:
            ax.text(0.01, 1.01, "averaged over the other parameters", transform=ax.transAxes)
    runs = int(table["replicate"].max()) + 1
    style.title(ax, f"{outcome} across the sweep ({runs} runs per point)")
    return fig
