"""Untrusted text made safe for each output format.

Scenario files and players supply free text (titles, names, move labels,
framings, notes, inject texts, debrief questions, what an instructor types in
play). That text is *data*: it must come out as the same visible characters
in every output, never as markup, terminal commands or spreadsheet formulas.
This module holds the small pure functions that make it so, one per format:

* :func:`find_controls` / :func:`strip_controls`: control characters and
  bidirectional overrides, which can rewrite a terminal or make text display
  in an order other than the one it is stored in. Scenario files are refused
  when they hold any (the loader reports each one); text typed in play has
  them removed.
* :func:`escape_markdown`: backslash escapes so that a CommonMark + GitHub
  Flavoured Markdown renderer shows the text as plain text (no HTML, links,
  images, emphasis, code, headings, lists, tables or bare-URL autolinks).
  The escaping is minimal: a character is escaped only where Markdown could
  give it a meaning, so ordinary prose (letters, digits, spaces, commas,
  apostrophes, quotes, parentheses, hyphens and dashes) is unchanged.
* :func:`spreadsheet_safe`: OWASP's neutralisation of CSV formula injection.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "Control",
    "control_name",
    "escape_markdown",
    "find_controls",
    "spreadsheet_safe",
    "strip_controls",
    "visible_controls",
]

# ---------------------------------------------------------------- control characters

#: C0 controls except tab (U+0009) and line feed (U+000A), DEL, C1 controls,
#: and the invisible marks and overrides that change the display order of
#: text: ARABIC LETTER MARK (U+061C), LEFT-TO-RIGHT / RIGHT-TO-LEFT MARK
#: (U+200E, U+200F), the embeddings and overrides U+202A-U+202E and the
#: isolates U+2066-U+2069. Carriage return (U+000D) is included: YAML turns
#: the line ends of a file into line feeds, so a CR in a value was written on
#: purpose (``"\r"``) and would move a terminal's cursor back over the line.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_C0_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
}


class Control(NamedTuple):
    r"""One control character found in a text (see :func:`find_controls`).

    Attributes:
        offset: 0-based position in the text.
        line: 1-based line of the text it is on (lines end at ``\n``).
        column: 1-based column on that line.
        char: The character itself.
    """

    offset: int
    line: int
    column: int
    char: str


def control_name(char: str) -> str:
    """Name a character for a message: ``'U+001B ESCAPE'``, ``'U+202E RIGHT-TO-LEFT OVERRIDE'``."""
    code = ord(char)
    name = _C0_NAMES.get(code) or unicodedata.name(char, "")
    if not name:
        name = "C1 CONTROL" if 0x80 <= code <= 0x9F else "CONTROL"
    return f"U+{code:04X} {name}"


def find_controls(text: str) -> list[Control]:
    """Every control character or bidirectional mark in ``text``, in order.

    Found: C0 controls except tab and line feed (so carriage return *is*
    found), DEL, C1 controls (U+0080-U+009F), and the bidirectional marks,
    embeddings, overrides and isolates U+061C, U+200E, U+200F, U+202A-U+202E,
    U+2066-U+2069. Lines and columns count from 1 within ``text`` itself;
    the caller adds the position of the text in its file.
    """
    found: list[Control] = []
    for match in _CONTROL.finditer(text):
        at = match.start()
        line_start = text.rfind("\n", 0, at) + 1
        found.append(Control(at, text.count("\n", 0, at) + 1, at - line_start + 1, match.group()))
    return found


def strip_controls(text: str) -> str:
    """``text`` without the characters :func:`find_controls` finds (for typed input).

    Windows and old Mac line ends (CR LF, lone CR) become line feeds first,
    so pasted text keeps its line breaks; tabs and line feeds stay.
    """
    if not _CONTROL.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def visible_controls(text: str) -> str:
    r"""``text`` with control characters, tabs and line breaks written as escapes.

    For quoting untrusted text in a one-line message (``'a\x1bb'`` rather
    than a raw ESC that would act on the terminal): every character
    :func:`find_controls` finds, and tab and line feed, becomes a Python-style
    escape such as ``\x1b``, ``\t``, ``\n`` or ``\u202e``.
    """
    return _SHOWN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_SHOWN = re.compile(f"[\t\n{_CONTROL.pattern[1:-1]}]")


# ---------------------------------------------------------------- Markdown

# Escaped wherever they appear: backslash (escapes), backtick (code), asterisk
# (emphasis), bar (table cells), tilde (strikethrough, fences), at (e-mail links).
_ALWAYS = frozenset("\\`*|~@")
# Line ends, with the spaces and tabs around them (collapsed in inline text).
_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")
# An HTML entity or character reference, complete or completed by what follows.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31})(?:;|$)")
# A line that could be a setext underline, a thematic break or a table's
# delimiter row: only these characters, with at least one - or =.
_RULE_LINE = re.compile(r"^[-=:|+ \t]*[-=][-=:|+ \t]*$")
_ORDERED = re.compile(r"([0-9]{1,9})([.)])(?=[ \t]|$)")  # used with match(line, pos)
_CLOSING_HASHES = re.compile(r"(?<=[ \t])#+[ \t]*$")
# What may follow the "." before a top-level domain that linkify-it (as used by
# markdown-it's linkify) or GFM's www autolinks recognise: any two letters
# (country codes), the generic names linkify-it knows, or an IDN ("xn--").
_TLD_AFTER_DOT = re.compile(
    r"(?:[^\W\d_]{2}|biz|com|edu|gov|net|org|pro|web|xxx|aero|asia|coop|info|museum|name"
    r"|shop|xn--[a-z0-9-]+)(?![^\W_])",
    re.IGNORECASE,
)
_WWW_BEFORE_DOT = re.compile(r"(?:^|[^\w.-])www$", re.IGNORECASE)


def _is_word(char: str) -> bool:
    """A letter or digit (any script): no Markdown meaning on either side of ``_``."""
    return char.isalnum()


def _escape_line(line: str, *, line_start: bool = True) -> str:
    """Escape one line of text (no line breaks in it) as Markdown."""
    out: list[str] = []
    n = len(line)
    # Where the line's content starts (-1: the caller's text comes first on the line).
    body = len(line) - len(line.lstrip(" \t")) if line_start else -1
    rule_line = line_start and bool(_RULE_LINE.match(line))
    ordered = _ORDERED.match(line, body) if line_start else None
    closing = _CLOSING_HASHES.search(line)
    for i, c in enumerate(line):
        prev = line[i - 1] if i else ""
        nxt = line[i + 1] if i + 1 < n else ""
        escape = False
        if c in _ALWAYS or (
            i == body
            and (
                c in "#>["  # heading, block quote, link reference definition
                or (c in "-+" and nxt in ("", " ", "\t"))  # bullet list item
                or (c in "-=:+" and rule_line)  # setext underline, rule, table delimiter row
            )
        ):
            escape = True
        elif c == "<":
            # HTML tags and autolinks start "<" + letter, "/", "!" or "?".
            escape = nxt != "" and nxt.isascii() and (nxt.isalpha() or nxt in "/!?")
        elif c == "]":
            escape = nxt in ("(", "[")  # inline link or image, full reference link
        elif c == "!":
            escape = nxt == "["  # image
        elif c == "_":
            # Between two letters or digits it cannot open or close emphasis.
            escape = not (_is_word(prev) and _is_word(nxt))
        elif c == "#":
            escape = closing is not None and i == closing.start()  # "Title ##" closing run
        elif c in ".)" and ordered is not None and i == ordered.end(1):
            escape = True  # "1. " / "1) " ordered list item
        elif c == ".":
            # "www.example", "example.org": break GFM's and linkify's bare-URL links.
            escape = prev not in ("", " ", "\t") and (
                bool(_TLD_AFTER_DOT.match(line, i + 1)) or bool(_WWW_BEFORE_DOT.search(line, 0, i))
            )
        elif c == "/":
            escape = nxt == "/"  # "http://", "//host": break URL autolinking
        elif c == "&":
            escape = bool(_ENTITY.match(line, i))
        if escape:
            out.append("\\")
        out.append(c)
    return "".join(out)


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape_markdown(text: str) -> str:
    r"""``text`` with CommonMark's backslash escapes removed (``\*`` -> ``*``).

    A backslash before ASCII punctuation is what :func:`escape_markdown` adds
    (and a Markdown viewer hides), so this gives back the words a person typed,
    for showing a Markdown file's text as plain text (escaped again for HTML).
    """
    return _MD_ESCAPE.sub(r"\1", text)


def escape_markdown(text: str, *, inline: bool = True, line_start: bool = True) -> str:
    r"""Escape ``text`` so that CommonMark + GFM renders it as the same plain text.

    Backslash escapes are added only where Markdown could give a character a
    meaning, so ordinary prose (letters, digits, spaces, commas, apostrophes,
    quotes, parentheses, hyphens, dashes, "e.g.", file names) is unchanged:

    * everywhere: ``\`` (escapes), `````` ` `````` (code), ``*`` (emphasis),
      ``|`` (table cells), ``~`` (strikethrough, fences), ``@`` (e-mail
      autolinks);
    * ``<`` before an ASCII letter, ``/``, ``!`` or ``?`` (HTML, autolinks);
      ``]`` before ``(`` or ``[`` and ``!`` before ``[`` (links, images);
      ``_`` unless it sits between two letters or digits (``snake_case``
      cannot start emphasis); ``&`` that starts an entity (``&amp;``, ``&#58;``);
    * bare-URL autolinks: the first ``/`` of ``//`` (``http://``), the ``.``
      after ``www``, and the ``.`` before a top-level domain (two letters,
      ``com``, ``org`` ...), so neither GFM nor a linkify extension makes a link;
    * at the start of a line (after spaces): ``#`` (heading), ``>`` (quote),
      ``[`` (link reference definition, task box), ``-``/``+`` before a space
      (list item), the ``.``/``)`` of ``1.``/``1)`` (ordered list item), and the
      first character of a line of only ``-``, ``=``, ``:``, ``|``, ``+`` and
      spaces (setext underline, rule, table delimiter row); and a closing run
      of ``#`` at the end of a line.

    Every escaped character is ASCII punctuation, so any CommonMark renderer
    shows it without the backslash. The caller's own Markdown must not put
    ``(``, ``[`` or a letter directly after the escaped text (a space or other
    punctuation is fine), as the escaping looks only inside ``text``.

    Args:
        text: Untrusted text.
        inline: True (the default) for text that sits inside a line (a title,
            a table cell, a list item): line breaks and the spaces around them
            become one space, and spaces at either end are dropped, so the text
            cannot start a new block. False for text set as paragraphs of its
            own: line breaks stay, each line is escaped as a line start, and
            the spaces at both ends of each line are dropped (no indented code,
            no hard breaks).
        line_start: With ``inline``: False when the caller's text always comes
            first on the line (a table cell, after a list marker of its own), so
            the line-start rules are not needed.

    Returns:
        Markdown source that renders as ``text``.
    """
    if inline:
        return _escape_line(_LINE_BREAK.sub(" ", text).strip(" \t"), line_start=line_start)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_escape_line(line.strip(" \t")) for line in lines)


# ---------------------------------------------------------------- spreadsheets

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


def spreadsheet_safe(value: str) -> str:
    """Neutralise a CSV text cell that a spreadsheet would run as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
    gets a leading ``'`` (OWASP's advice), so Excel, LibreOffice and Google
    Sheets show it as text. Plain numbers written as text (``-0.5``, ``+3``,
    ``-1e-3``) are left as they are, as is every other value; applying the
    function twice changes nothing more.
    """
    if not value or not value.startswith(FORMULA_STARTS) or _PLAIN_NUMBER.match(value):
        return value
    return "'" + value
