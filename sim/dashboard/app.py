"""The dashboard page (a Solara component) and :func:`serve`, which runs it.

Start it with ``sim dashboard [SCENARIO] [--port N]``, or from Python::

    from sim.dashboard.app import serve
    serve("jervis_spiral")          # blocks; open http://127.0.0.1:8765/

The page keeps one :class:`~sim.dashboard.session.Session` per browser tab: play
mode's game object (:class:`sim.play.core.PlaySession`, the one ``sim play`` plays)
with a choice of scenarios and posture sliders around it.
Controls sit in the side bar (scenario, seed, Step / Play / Reset, posture
sliders, a human-played state's move, an inject to fire); the main area shows
the turn counter, what every actor did last turn and the live figures.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Importing this module runs sim/dashboard/__init__.py first, which turns Solara's
# telemetry off before Solara is imported.
import solara as _solara  # type: ignore[import-not-found, unused-ignore]

from sim.dashboard.guard import HostGuard, allowed_hosts, url_host
from sim.dashboard.listening import listen, loopback
from sim.dashboard.session import POSTURE_FIELDS, Session
from sim.errors import SimError, UsageError
from sim.outputs.grammar import form, is_plural_actor
from sim.outputs.wording import cap
from sim.paths import FLAGSHIP, bundled, resolve_scenario
from sim.play.figures import live_figures, png_data_url
from sim.play.shapes import ChosenBy, TurnSummary
from sim.scenario.loader import read_scenario

solara: Any = _solara
"""Solara, typed loosely: its own annotations are partial (many components are untyped)."""


def _component[**P](func: Callable[P, None]) -> Callable[P, Any]:
    """``solara.component``, with a type mypy can follow."""
    made: Callable[P, Any] = solara.component(func)
    return made


__all__ = ["PLAY_DELAY", "Page", "scenario_choices", "serve"]

ENV_SCENARIO = "SIM_DASHBOARD_SCENARIO"
"""Environment variable through which :func:`serve` tells the page its starting scenario."""

PLAY_DELAY = 0.8
"""Seconds between turns while playing."""

NO_MOVE = "(the model decides)"

CHOSEN_BY: dict[ChosenBy, tuple[str, str]] = {
    "player": ("you", "chosen by you"),
    "instructor": ("instructor", "instructor's event"),
    "scenario": ("inject", "inject"),
    "computer": ("model", ""),
}
"""How a move's decider shows on the page: (CSS class suffix, note after the move)."""

CSS = """
.sim-turn { font-size: 2.4rem; font-weight: 700; line-height: 1.1; }
.sim-subtitle { font-size: 1.05rem; color: #444; }
.sim-last-turn { font-size: 1.05rem; }
.sim-actor { font-weight: 600; }
.sim-move-line { break-inside: avoid; padding: 1px 0; }
.sim-move-line .sim-source { color: #666; font-size: 0.9rem; }
.sim-move-line.sim-you { font-weight: 700; }
.sim-inject-line { font-weight: 600; color: #8a4b00; margin-bottom: 4px; }
.sim-figure { width: 100%; height: auto; display: block; }
.sim-pending { color: #8a4b00; font-size: 0.95rem; }
.sim-note { color: #555; font-size: 0.9rem; }
"""


def scenario_choices(scenario: str | None = None) -> tuple[dict[str, Path], str]:
    """The scenarios the page offers, by name, and the one to start with.

    The bundled files, plus ``scenario`` when it is a file outside them (given
    by whoever started the server). The browser only ever picks a name.

    Raises:
        UsageError: ``scenario`` names no file or bundled scenario.
    """
    choices = {p.stem: p.resolve() for p in bundled()}
    if scenario is None:
        flagship = Path(FLAGSHIP).stem
        if flagship in choices:
            return choices, flagship
        if not choices:
            raise UsageError("no bundled scenarios found; pass a scenario file")
        return choices, next(iter(choices))
    path = resolve_scenario(scenario).resolve()
    for name, p in choices.items():
        if p == path:
            return choices, name
    name = path.stem if path.stem not in choices else f"{path.stem} ({path.parent.name})"
    return {name: path, **choices}, name


def _new_session() -> Session | SimError:
    # serve() checked the scenario, but its file may have changed since: show the
    # problem in the page, never a traceback.
    try:
        choices, start = scenario_choices(os.environ.get(ENV_SCENARIO) or None)
        return Session(choices, start, seed=None)
    except SimError as exc:
        return exc


@_component
def MoveLines(last: TurnSummary | None) -> None:
    """What every actor did last turn, and the injects that fired."""
    if last is None:
        solara.Text("No turn played yet: press Step or Play.", classes=["sim-note"])
        return
    for inj in last["injects"]:
        solara.Div(
            children=[f"Inject fired: {inj['label']}"],
            classes=["sim-inject-line", f"sim-inject-{inj['inject']}"],
        )
    with solara.Div(classes=["sim-last-turn"]):
        for line in last["moves"]:
            css, note = CHOSEN_BY[line["by"]]
            parts: list[object] = [
                solara.Text(line["name"], classes=["sim-actor"]),
                f": {line['label']} (rung {line['rung']})",
            ]
            if note:
                parts.append(solara.Text(f"  [{note}]", classes=["sim-source"]))
            classes = ["sim-move-line", f"sim-actor-{line['actor']}", f"sim-{css}"]
            solara.Div(children=parts, classes=classes)


def _figure(pngs: dict[str, bytes], key: str, turn: int) -> None:
    solara.HTML(
        tag="img",
        classes=["sim-figure", f"sim-figure-{key}"],
        attributes={"src": png_data_url(pngs[key]), "alt": f"{live_figures()[key]} (turn {turn})"},
    )


@_component
def Page() -> None:
    """The dashboard: one session per browser tab."""
    made: Session | SimError = solara.use_memo(_new_session, [])
    if isinstance(made, SimError):
        solara.Title("Strategy dialogue: live play")
        solara.Error(f"The scenario cannot be played: {made}")
        return
    LivePlay(made)


@_component
def LivePlay(session: Session) -> None:
    """The controls, the last turn and the figures of one session."""
    version = solara.use_reactive(0)
    _ = version.value  # re-render after every change to the session
    playing = solara.use_reactive(False)
    error = solara.use_reactive("")
    seed = solara.use_reactive(session.seed)
    actors = session.actors()
    names = {a: n for a, n in actors}
    by_name = {n: a for a, n in actors}
    first = actors[0][0]
    posture_actor = solara.use_reactive(first)
    human_actor = solara.use_reactive(first)
    inject_choice = solara.use_reactive("")
    if posture_actor.value not in names:
        posture_actor.value = first
    if human_actor.value not in names:
        human_actor.value = first

    def changed() -> None:
        version.value += 1

    def guarded(action: object) -> None:
        try:
            if callable(action):
                action()
            error.value = ""
        except SimError as exc:
            error.value = str(exc)
        changed()

    def step() -> None:
        guarded(session.step)

    def reset() -> None:
        playing.value = False
        guarded(lambda: session.reset(seed.value))

    def select(name: str) -> None:
        playing.value = False
        guarded(lambda: session.select(name))

    def auto_play(cancel: threading.Event) -> None:
        # One turn per thread: the new turn re-renders the page, which starts the next.
        if not playing.value:
            return
        if session.finished:
            playing.value = False
            return
        if cancel.wait(PLAY_DELAY) or not playing.value:
            return
        session.step()
        if session.finished:
            playing.value = False
        changed()

    solara.use_thread(
        auto_play, dependencies=[playing.value, session.turn, session.seed], intrusive_cancel=False
    )

    solara.Title("Strategy dialogue: live play")
    solara.Style(CSS)
    with solara.AppBarTitle():
        solara.Text("Strategy-dialogue simulator: live play")

    with solara.Sidebar():
        with solara.Card("Run", margin=0):
            solara.Select(
                "Scenario",
                values=list(session.choices),
                value=session.scenario_name,
                on_value=select,
                classes=["sim-scenario"],
            )
            solara.InputInt("Seed (applies on Reset)", value=seed, classes=["sim-seed"])
            with solara.Row(gap="8px"):
                solara.Button(
                    "Step",
                    on_click=step,
                    color="primary",
                    disabled=session.finished or playing.value,
                    classes=["sim-step"],
                )
                solara.Button(
                    "Pause" if playing.value else "Play",
                    on_click=lambda: playing.set(not playing.value),
                    disabled=session.finished and not playing.value,
                    classes=["sim-play"],
                )
                solara.Button("Reset", on_click=reset, outlined=True, classes=["sim-reset"])

        with solara.Card("Posture (applies on Reset)", margin=0):
            solara.Select(
                "Actor",
                values=[n for _, n in actors],
                value=names[posture_actor.value],
                on_value=lambda n: posture_actor.set(by_name[n]),
                classes=["sim-posture-actor"],
            )
            values = session.posture(posture_actor.value)
            for field in POSTURE_FIELDS:

                def set_field(v: float, f: str = field) -> None:
                    session.set_posture(posture_actor.value, f, v)
                    changed()

                solara.SliderFloat(
                    f"{field.replace('_', ' ')} {values[field]:.2f}",
                    value=values[field],
                    min=0.0,
                    max=1.0,
                    step=0.05,
                    on_value=set_field,
                )
            if session.changes_pending:
                solara.Text("Changed: press Reset to apply.", classes=["sim-pending"])
            solara.Button(
                "Scenario's values",
                on_click=lambda: guarded(lambda: session.clear_posture(posture_actor.value)),
                text=True,
            )

        with solara.Card("Human player", margin=0):
            solara.Select(
                "State played by a person",
                values=[n for _, n in actors],
                value=names[human_actor.value],
                on_value=lambda n: human_actor.set(by_name[n]),
                classes=["sim-human-actor"],
            )
            moves = session.allowed_moves(human_actor.value)
            move_by_label = {label: m for m, label in moves}
            label_by_move = {m: label for m, label in moves}
            chosen = session.pending_moves.get(human_actor.value)
            its = form("its", is_plural_actor(session.spec.actors[human_actor.value]))
            solara.Select(
                f"{cap(its)} move next turn",
                values=[NO_MOVE, *move_by_label],
                value=label_by_move.get(chosen or "", NO_MOVE),
                on_value=lambda label: guarded(
                    lambda: session.choose_move(human_actor.value, move_by_label.get(label))
                ),
                classes=["sim-human-move"],
            )

        with solara.Card("Inject", margin=0):
            injects = session.injects()
            if injects:
                inject_labels = {label: k for k, label in injects}
                current = inject_choice.value if inject_choice.value in inject_labels else None
                solara.Select(
                    "Inject",
                    values=list(inject_labels),
                    value=current or injects[0][1],
                    on_value=inject_choice.set,
                    classes=["sim-inject"],
                )
                chosen = inject_labels[current or injects[0][1]]
                why_not = session.why_not_fire(chosen)

                def fire() -> None:
                    sentence = session.fire_inject(chosen)
                    error.value = sentence or ""
                    changed()

                # a disabled button gets no pointer events: the tooltip sits on a wrapper
                hint = why_not or "Fire this inject at the start of the next turn"
                with solara.Tooltip(hint), solara.Row(classes=["sim-fire-wrap"]):
                    solara.Button(
                        "Fire on next turn",
                        on_click=fire,
                        outlined=True,
                        disabled=session.finished or why_not is not None,
                        classes=["sim-fire"],
                    )
                if why_not is not None:
                    solara.Text(why_not, classes=["sim-note", "sim-inject-why"])
            else:
                solara.Text("This scenario has no injects.", classes=["sim-note"])

    with solara.Column(gap="10px"):
        if error.value:
            solara.Error(error.value)
        with solara.Row(gap="24px", style={"align-items": "baseline", "flex-wrap": "wrap"}):
            solara.Text(f"Turn {session.turn} of {session.turns}", classes=["sim-turn"])
            solara.Text(
                f"{session.title} - seed {session.seed}"
                + (" - posture changed" if session.applied else ""),
                classes=["sim-subtitle"],
            )
        pending = [
            f"{session.game.voice(a)} will play {dict(session.allowed_moves(a))[m]}"
            for a, m in session.pending_moves.items()
        ] + [f"inject '{dict(session.injects())[k]}' fires" for k in session.pending_injects]
        if pending:
            solara.Text("Next turn: " + "; ".join(pending) + ".", classes=["sim-pending"])
        pngs = session.figures_png()
        first, *rest = pngs  # the catalogue's order: the first figure beside the last turn
        with solara.Columns([3, 2]):
            with solara.Card(margin=0):
                _figure(pngs, first, session.turn)
            with solara.Card(
                f"Last turn (turn {session.last['turn']})" if session.last else "Last turn",
                margin=0,
                classes=["sim-last-turn-card"],
            ):
                MoveLines(session.last)
        for row in range(0, len(rest), 2):
            with solara.Columns([3, 2]):
                for key in rest[row : row + 2]:
                    with solara.Card(margin=0):
                        _figure(pngs, key, session.turn)


def _refuse_fetch(url: str) -> bytes:
    """Stands in for Solara's CDN fetch: a missing asset is a 404, never a download."""
    raise OSError(f"not fetched (the dashboard loads nothing from outside): {url}")


def _solara_app(hosts: frozenset[str]) -> HostGuard:
    """Configure Solara to serve :func:`Page` offline, and return its guarded ASGI app.

    Solara reads ``SOLARA_APP`` when its server modules are first imported, and
    builds its routes from the settings then; everything here happens before.
    """
    os.environ["SOLARA_APP"] = "sim.dashboard.app:Page"
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    os.environ.setdefault("MPLBACKEND", "Agg")
    import solara.server.settings as server_settings
    import solara.settings as main_settings

    server_settings.telemetry.mixpanel_enable = False
    server_settings.main.mode = "production"
    server_settings.theme.loader = "plain"
    # The page's JavaScript and CSS come from the solara-assets package, which
    # installs them into proxy_cache_dir; Solara serves that folder at
    # /_solara/cdn/ when assets.proxy is on (off, the page would load them from
    # assets.cdn, on the internet). What is not there must be a 404, not a
    # download: the fetch is replaced below, and assets.cdn points nowhere.
    cache = Path(server_settings.assets.proxy_cache_dir)
    if not (cache / "@widgetti").is_dir():
        raise UsageError(
            f"the dashboard's browser assets are missing from {cache}: "
            "pip install -e '.[dashboard]' (it installs solara-assets)"
        )
    main_settings.assets.proxy = True
    main_settings.assets.cdn = "http://127.0.0.1:9/no-cdn/"
    import solara.server.cdn_helper as cdn_helper

    cdn_helper.fetch_from_cdn = _refuse_fetch
    import solara.server.starlette as solara_starlette

    return HostGuard(solara_starlette.app, hosts)


def serve(scenario: str | None, host: str = "127.0.0.1", port: int = 8765) -> int:
    """Serve the dashboard on ``host:port`` (loopback only) until interrupted.

    The scenario is loaded and validated before anything is served. The server
    answers only requests addressed to ``host:port`` or ``localhost:port`` (see
    :mod:`sim.dashboard.guard`) and loads nothing from outside the machine.

    Args:
        scenario: Scenario to start with (bundled id or file); None: the flagship.
        host: Loopback address to listen on.
        port: Port (0: any free one; the one chosen is printed).

    Returns:
        The exit status (0).

    Raises:
        UsageError: ``host`` is not a loopback address, the port is taken, or
            ``scenario`` is unknown.
        ScenarioError: the scenario is not valid (every problem, with file:line:column).
    """
    if not loopback(host):
        raise UsageError(f"the dashboard listens on the loopback address only, not {host!r}")
    if not 0 <= port <= 65535:
        raise UsageError(f"port must be between 0 and 65535, got {port}")
    # The loader reads the file first (bounded, regular files only) and refuses a
    # broken scenario here, on the command line, rather than in the page.
    read_scenario(resolve_scenario(scenario))
    choices, start = scenario_choices(scenario)
    sock = listen(host, port)
    try:
        port = int(sock.getsockname()[1])
        os.environ[ENV_SCENARIO] = str(choices[start])
        app = _solara_app(allowed_hosts(host, port))
        import uvicorn

        # Solara warns on every page load that plain http on 127.0.0.1 gets a samesite=lax
        # cookie; that is what a loopback-only server wants.
        warnings.filterwarnings(
            "ignore", message="Cookies with samesite=none", category=UserWarning
        )
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        print(f"sim dashboard: http://{url_host(host)}:{port}/ (Ctrl-C to stop)", flush=True)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
    return 0


def _main() -> int:  # pragma: no cover - manual use: python -m sim.dashboard.app [SCENARIO] [PORT]
    import sys

    args = sys.argv[1:]
    return serve(args[0] if args else None, port=int(args[1]) if len(args) > 1 else 8765)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
