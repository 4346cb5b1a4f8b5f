"""The run folder's figures as the report shows them: ``<img>`` elements with ``data:`` URIs.

Each figure is embedded as the file the run wrote, base64-encoded in an
``<img src="data:...">``: the SVG when there is one (sharp in print), else the
bitmap. An SVG shown through ``<img>`` is an image, not part of the page:
browsers run no script in it and load nothing it links to, so the report
needs no SVG sanitiser of its own. Titles and what to look for come from the
figure catalogue (:func:`sim.outputs.figures.figure_notes`); a figure the
catalogue does not know follows the known ones, alphabetically.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

from sim import files

__all__ = ["FigureView", "figure_id", "figure_views", "find_figures", "report_figure_notes"]

_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}

UNKNOWN_LOOK = "A further figure of this run; see the run folder's documentation for what it shows."


@dataclass(frozen=True)
class Figure:
    """One figure of the run folder: its name and files (relative paths)."""

    name: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class FigureView:
    """One figure as the page shows it.

    Attributes:
        id: The ``<figure>`` element's id (:func:`figure_id`).
        label: "Figure N: title" (also the image's alternative text).
        title: The figure's title.
        look: What to look for in it.
        src: A ``data:`` URI of the file shown, or "" if none could be read.
        shown: The file shown (relative path), or "".
        also: The figure's other files (the same figure in other formats).
        files: All its files.
    """

    id: str
    label: str
    title: str
    look: str
    src: str
    shown: str
    also: tuple[str, ...]
    files: tuple[str, ...]


def slugify(text: str) -> str:
    """GitHub-style anchor of a heading's plain text (``'Turn 18'`` -> ``'turn-18'``)."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def figure_id(name: str) -> str:
    """The HTML id of a figure's ``<figure>`` element."""
    return "fig-" + (slugify(name.replace("_", "-")) or "figure")


def report_figure_notes() -> dict[str, tuple[str, str]]:
    """``{file stem: (title, what to look for)}`` from the figure catalogue, in order."""
    from sim.outputs.figures import figure_notes

    return figure_notes()


def find_figures(run_dir: Path, known: list[str] | None = None) -> list[Figure]:
    """Figures in ``run_dir/figures``, grouped by name, ``known`` ones first (in that order)."""
    folder = run_dir / "figures"
    if not folder.is_dir():
        return []
    groups: dict[str, list[str]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in _TYPES:
            groups.setdefault(path.stem, []).append(f"figures/{path.name}")
    order = list(report_figure_notes()) if known is None else known
    first = [name for name in order if name in groups]
    others = sorted(name for name in groups if name not in order)
    return [Figure(name, tuple(groups[name])) for name in [*first, *others]]


def _data_uri(run_dir: Path, rel: str) -> str:
    """The file as a ``data:`` URI, or "" if it cannot be read or is not what it says."""
    try:
        data = files.read_inside(run_dir, rel)
    except files.FileProblem:
        return ""
    suffix = Path(rel).suffix.lower()
    if suffix == ".svg" and b"<svg" not in data[:4096]:
        return ""
    return f"data:{_TYPES[suffix]};base64,{base64.b64encode(data).decode('ascii')}"


def figure_views(run_dir: Path) -> list[FigureView]:
    """Every figure of the run folder, numbered from 1, ready for the page."""
    notes = report_figure_notes()
    views = []
    for number, figure in enumerate(find_figures(run_dir, list(notes)), start=1):
        title, look = notes.get(figure.name, (figure.name.replace("_", " ").capitalize(), ""))
        # SVG first (sharp at any size), then the bitmaps
        ordered = sorted(figure.files, key=lambda f: not f.lower().endswith(".svg"))
        src, shown = "", ""
        for rel in ordered:
            src = _data_uri(run_dir, rel)
            if src:
                shown = rel
                break
        views.append(
            FigureView(
                id=figure_id(figure.name),
                label=f"Figure {number}: {title}",
                title=title,
                look=look or UNKNOWN_LOOK,
                src=src,
                shown=shown,
                also=tuple(f for f in figure.files if f != shown),
                files=figure.files,
            )
        )
    return views
