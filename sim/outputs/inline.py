r"""Inline text of the transcript and the debrief, as data both faces read.

A line of the transcript is a tuple of spans: the tool's own :class:`Words`,
scenario text as :class:`Data`, :class:`Strong` and :class:`Emphasis`, and a
:class:`TurnLink` to a turn. :func:`to_markdown` writes a line as Markdown
(scenario text escaped by :func:`sim.text.escape_markdown`, so it always reads
as the text it is); the report's templates write the same spans as HTML, with
Jinja2 autoescaping every piece of text (see ``templates/macros.html.j2``).

Example:
    >>> print(to_markdown(line(Strong(line("Event:")), " ", Data("a <b> & c*"))))
    **Event:** a \<b> & c\*
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sim.text import escape_markdown

__all__ = [
    "Code",
    "Data",
    "Emphasis",
    "Line",
    "Span",
    "Strong",
    "TurnLink",
    "Words",
    "line",
    "to_markdown",
]


def md(text: str) -> str:
    """Scenario text as Markdown that renders as that text, on one line."""
    return escape_markdown(text, inline=True)


@dataclass(frozen=True)
class Words:
    """The tool's own words: written as they are (they hold no Markdown syntax)."""

    text: str
    kind: ClassVar[str] = "words"


@dataclass(frozen=True)
class Data:
    """Scenario text (a title, a voice, a move's label...): data, never markup.

    Attributes:
        text: The text as a reader sees it (the HTML shows it autoescaped).
        markdown: Its Markdown form when that is not ``md(text)`` (a label
            inside a phrase, with its spaces collapsed); None: ``md(text)``.
    """

    text: str
    markdown: str | None = None
    kind: ClassVar[str] = "data"

    def as_markdown(self) -> str:
        """The text as Markdown (escaped)."""
        return self.markdown if self.markdown is not None else md(self.text)


@dataclass(frozen=True)
class Strong:
    """Bold text (``**...**``, ``<strong>``)."""

    spans: Line
    kind: ClassVar[str] = "strong"


@dataclass(frozen=True)
class Emphasis:
    """Italic text (``*...*``, ``<em>``)."""

    spans: Line
    kind: ClassVar[str] = "em"


@dataclass(frozen=True)
class TurnLink:
    """A link to a turn of the transcript (``[turn 3](#turn-3)``)."""

    turn: int
    spans: Line
    kind: ClassVar[str] = "turn"

    @property
    def anchor(self) -> str:
        """The id of the turn's heading."""
        return f"turn-{self.turn}"


@dataclass(frozen=True)
class Code:
    """Text set as code (a command, a hash, a file name): ``<code>`` in HTML."""

    text: str
    kind: ClassVar[str] = "code"


Span = Words | Data | Strong | Emphasis | TurnLink | Code
Line = tuple[Span, ...]


def line(*parts: str | Span | Line) -> Line:
    """A line from pieces: ``str`` are the tool's words, tuples are spliced in."""
    out: list[Span] = []
    for part in parts:
        if isinstance(part, str):
            if part:
                out.append(Words(part))
        elif isinstance(part, tuple):
            out.extend(line(*part))
        else:
            out.append(part)
    return tuple(out)


def to_markdown(spans: Line) -> str:
    """A line as Markdown: scenario text escaped, the tool's words as they are."""
    out: list[str] = []
    for span in spans:
        if isinstance(span, Words):
            out.append(span.text)
        elif isinstance(span, Data):
            out.append(span.as_markdown())
        elif isinstance(span, Strong):
            out.append(f"**{to_markdown(span.spans)}**")
        elif isinstance(span, Emphasis):
            out.append(f"*{to_markdown(span.spans)}*")
        elif isinstance(span, Code):
            out.append(f"`{span.text}`" if "`" not in span.text else md(span.text))
        else:
            out.append(f"[{to_markdown(span.spans)}](#{span.anchor})")
    return "".join(out)


def plain(spans: Line) -> str:
    """A line's text as a reader sees it (no markup)."""
    out: list[str] = []
    for span in spans:
        if isinstance(span, (Words, Data, Code)):
            out.append(span.text)
        else:
            out.append(plain(span.spans))
    return "".join(out)
