"""The figure catalogue: one entry per figure, found in the figure modules of this package.

A figure is one module of :mod:`sim.outputs.figures` whose name does not start
with an underscore. It holds the draw function and, at module level, one
:class:`FigureSpec` named ``FIGURE``::

    # sim/outputs/figures/norms.py
    from sim.outputs.figures._catalogue import FigureSpec

    def norms_figure(result):
        from matplotlib.figure import Figure   # imported when drawing, not with the module
        ...

    FIGURE = FigureSpec(
        name="norms",
        title="Strength of the norms regime",
        caption="How strong the regime of shared norms and transparency is after each turn.",
        look_for="Look for the turns where it drops.",
        draw=norms_figure,
    )

A figure module imports Matplotlib inside its draw function (and under
``TYPE_CHECKING`` for annotations), never at module level: the catalogue is
read whole, for the report's captions and ``sim.figure``'s names, without
importing the drawing library (a test checks every figure module).

That is the whole of registering a figure: :func:`discover` imports every
figure module when the package is imported, and the run folder
(:data:`sim.outputs.figures.FIGURES`), the report (:func:`figure_notes`) and
the live dashboard (:func:`figures_for`) all read the catalogue. A module
without ``FIGURE``, an entry without a callable draw function, an unknown
output or a name used twice stops the import with :class:`CatalogueError`;
nothing is skipped quietly.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult

RUN_FOLDER = "run_folder"
"""Output: drawn into every run folder's ``figures/`` (PNG and SVG)."""
REPORT = "report"
"""Output: shown in ``report.html`` with its title and what to look for."""
DASHBOARD = "dashboard"
"""Output: redrawn after every turn in the browser dashboard."""
OUTPUTS: frozenset[str] = frozenset({RUN_FOLDER, REPORT, DASHBOARD})
"""Every output a figure can appear in."""

_STEM = re.compile(r"[a-z][a-z0-9_]*")


class CatalogueError(RuntimeError):
    """The figure catalogue and the figure modules are out of step (a contributor's mistake)."""


@dataclass(frozen=True, slots=True)
class FigureSpec:
    """One figure of a run: what it is called, what it shows, how it is drawn, where it appears.

    Attributes:
        name: The figure's name (``sim.figure(result, name)``), lower case
            with underscores.
        title: Its heading in the report (a few words).
        caption: One sentence a student understands: what the figure shows.
        look_for: What to look for in it (the report prints it under the figure).
        draw: ``draw(result) -> matplotlib Figure``; any further parameters
            need defaults.
        outputs: Where it appears: any of :data:`RUN_FOLDER`, :data:`REPORT`,
            :data:`DASHBOARD` (the report shows what the run folder holds, so
            ``report`` needs ``run_folder``).
        order: Position among the figures (smaller first; ties by name).
        stem: File name without extension (default: ``name``).
        alt: Short text for a screen reader (default: ``title``).
        every_turn: Whether it draws matrices of beliefs, credibility or readings
            from turns other than the first and the last. A run that summarises
            its readings (:mod:`sim.model.lean`) does not keep those, so such a
            figure is left out of its folder (see :func:`drawable`).
    """

    name: str
    title: str
    caption: str
    look_for: str
    draw: Callable[[RunResult], Figure]
    outputs: frozenset[str] = frozenset({RUN_FOLDER, REPORT})
    order: int = 1000
    stem: str = ""
    alt: str = ""
    every_turn: bool = False
    module: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "outputs", frozenset(self.outputs))
        if not self.stem:
            object.__setattr__(self, "stem", self.name)
        if not self.alt:
            object.__setattr__(self, "alt", self.title)


def check_spec(spec: Any, module: str) -> FigureSpec:
    """``spec`` if it is a complete catalogue entry.

    Raises:
        CatalogueError: naming the module and what is missing or wrong.
    """
    where = f"{module}: FIGURE"
    if not isinstance(spec, FigureSpec):
        raise CatalogueError(f"{where} must be a FigureSpec, not {type(spec).__name__}")
    if not callable(spec.draw):
        raise CatalogueError(
            f"{where} {spec.name!r} has no draw function: set draw= to the function "
            "that draws it (result -> matplotlib Figure)"
        )
    for what, value in (("name", spec.name), ("stem", spec.stem)):
        if not _STEM.fullmatch(value):
            raise CatalogueError(
                f"{where} {what} {value!r} must be lower case letters, digits and underscores"
            )
    for what, value in (("title", spec.title), ("caption", spec.caption)):
        if not value.strip():
            raise CatalogueError(f"{where} {spec.name!r} needs a {what}")
    unknown = spec.outputs - OUTPUTS
    if unknown:
        raise CatalogueError(
            f"{where} {spec.name!r}: unknown outputs {sorted(unknown)}; "
            f"use {', '.join(sorted(OUTPUTS))}"
        )
    if REPORT in spec.outputs and RUN_FOLDER not in spec.outputs:
        raise CatalogueError(
            f"{where} {spec.name!r}: the report shows the run folder's figures, "
            f"so outputs with {REPORT!r} need {RUN_FOLDER!r} too"
        )
    return spec


def discover(package: str, path: Iterable[str]) -> tuple[FigureSpec, ...]:
    """Import every figure module of ``package`` and return its entries, in catalogue order.

    Args:
        package: The package's dotted name (``sim.outputs.figures``).
        path: The package's ``__path__``.

    Raises:
        CatalogueError: a figure module without ``FIGURE``, an incomplete
            entry, or two entries with the same name or file stem.
    """
    specs: list[FigureSpec] = []
    for info in sorted(pkgutil.iter_modules(list(path)), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        if not hasattr(module, "FIGURE"):
            raise CatalogueError(
                f"{module.__name__} is a figure module without a catalogue entry: define "
                "FIGURE = FigureSpec(...) in it (or start the module's name with '_' "
                "if it draws no figure of its own)"
            )
        spec = check_spec(module.FIGURE, module.__name__)
        for name in _unlisted_draws(module, spec):
            raise CatalogueError(
                f"{module.__name__}.{name} draws a figure that has no catalogue entry: "
                "put it in a module of its own with FIGURE = FigureSpec(..., "
                f"draw={name}), or make it private (_{name})"
            )
        specs.append(replace(spec, module=module.__name__))
    return check_catalogue(specs)


def _unlisted_draws(module: ModuleType, spec: FigureSpec) -> list[str]:
    """Public functions of ``module`` returning a Figure, other than the entry's draw."""
    out = []
    for name, value in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(value) or value is spec.draw:
            continue
        if value.__module__ != module.__name__:
            continue  # imported, not defined here
        returns = value.__annotations__.get("return")
        if getattr(returns, "__name__", returns) in ("Figure", "matplotlib.figure.Figure"):
            out.append(name)
    return out


def check_catalogue(specs: Iterable[FigureSpec]) -> tuple[FigureSpec, ...]:
    """The entries sorted by ``(order, name)``, after checking names and stems are unique.

    Raises:
        CatalogueError: two entries share a name or a file stem.
    """
    ordered = sorted(specs, key=lambda s: (s.order, s.name))
    for attr in ("name", "stem"):
        seen: dict[str, str] = {}
        for spec in ordered:
            key = getattr(spec, attr)
            if key in seen:
                raise CatalogueError(
                    f"figure {attr} {key!r} is used twice: in {seen[key]} and {spec.module}"
                )
            seen[key] = spec.module
    return tuple(ordered)
