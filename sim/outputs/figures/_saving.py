"""Saving a figure reproducibly: the same run gives byte-identical files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sim.outputs.figures._common import DPI, METADATA

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def save_figure(
    fig: Figure, folder: Path, name: str, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Save ``fig`` as ``folder/name.<format>`` for each format, reproducibly.

    Files are written at 150 dpi with a tight bounding box and without the
    date or software version, and SVG ids come from a fixed hash salt, so two
    saves of the same figure give byte-identical files. The figure's layout
    engine runs for the first format only; the others reuse its layout (the
    engine is restored afterwards).

    Args:
        fig: The figure.
        folder: Where to write (created if missing).
        name: File name without extension (no folders).
        formats: Matplotlib output formats, e.g. ``("png", "svg")``.

    Returns:
        The paths written, in the order of ``formats``.

    Raises:
        ValueError: If ``name`` is empty or contains a folder.

    """
    import matplotlib

    if not name or Path(name).name != name or name in (".", ".."):
        raise ValueError(f"figure name must be a plain file name, not {name!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    engine = fig.get_layout_engine()
    try:
        with matplotlib.rc_context({"svg.hashsalt": "sim", "svg.fonttype": "path"}):
            for k, fmt in enumerate(formats):
                ext = fmt.lower().lstrip(".")
                path = folder / f"{name}.{ext}"
                fig.savefig(
                    path,
                    format=ext,
                    dpi=DPI,
                    bbox_inches="tight",
                    metadata=METADATA.get(ext),
                )
                paths.append(path)
                if k == 0 and engine is not None and len(formats) > 1:
                    # laid out once: the other formats reuse it (the layout is the slow part)
                    fig.set_layout_engine("none")
    finally:
        if engine is not None and fig.get_layout_engine() is not engine:
            fig.set_layout_engine(engine)
    return paths
