"""Write a sensitivity analysis's folder (``sim sensitivity``): indices, samples, tornado chart.

The analysis is computed by :func:`sim.running.sensitivity.analyse`; this writes::

    <out>/
      indices.csv           Morris mu*, sigma or Sobol S1, ST with confidence intervals
      samples.csv           every parameter set evaluated, with its mean outcome
      sensitivity.png/.svg  the indices as bars, largest on top
      manifest.json
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.files import output_folder
from sim.outputs.tables import write_csv


def write_sensitivity_folder(
    indices: pd.DataFrame,
    evaluated: pd.DataFrame,
    method: str,
    outcome: str,
    folder: Path,
    *,
    manifest: dict[str, Any],
    force: bool = False,
) -> Path:
    """Write the indices, the samples and the tornado chart into ``folder`` atomically."""
    from sim.outputs.figures import save_figure

    with output_folder(folder, force=force) as stage:
        write_csv(indices, stage.path / "indices.csv")
        write_csv(evaluated, stage.path / "samples.csv")
        save_figure(tornado_figure(indices, method, outcome), stage.path, "sensitivity")
        stage.manifest = manifest
    return folder


def tornado_figure(indices: pd.DataFrame, method: str, outcome: str) -> Any:
    """Horizontal bars of the indices with confidence intervals, largest on top."""
    from sim.outputs import style

    rows = indices.iloc[::-1]
    fig, ax = style.chart(height=1.2 + 0.6 * len(rows))
    y = np.arange(len(rows))
    if method == "morris":
        ax.barh(
            y,
            rows["mu_star"],
            xerr=rows["mu_star_conf"],
            color=style.FIRST,
            capsize=4,
            label="mu* (effect size)",
        )
        ax.plot(rows["sigma"], y, "D", color=style.SECOND, label="sigma (interactions)")
        ax.set_xlabel(f"effect on {outcome}", fontsize=style.LABEL_SIZE)
    else:
        h = 0.38
        ax.barh(
            y + h / 2,
            rows["ST"],
            h,
            xerr=rows["ST_conf"],
            color=style.FIRST,
            capsize=4,
            label="ST (total, with interactions)",
        )
        ax.barh(
            y - h / 2,
            rows["S1"],
            h,
            xerr=rows["S1_conf"],
            color=style.THIRD,
            capsize=4,
            label="S1 (alone)",
        )
        ax.set_xlabel(f"share of the variance of {outcome}", fontsize=style.LABEL_SIZE)
    ax.set_yticks(y, rows["parameter"])
    ax.axvline(0, color="black", lw=0.8)
    style.grid(ax, "x")
    style.legend(ax, "lower right")
    style.title(ax, f"{method.capitalize()} sensitivity of {outcome}")
    return fig
