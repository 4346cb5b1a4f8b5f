"""One self-contained HTML report of a run folder.

:func:`write_report` reads the files of a finished run folder (never a live
model) and writes ``report.html`` beside them:

* the scenario's title and summary, the seed and headline numbers computed
  from ``metrics.csv`` and ``links.csv``;
* every figure in ``figures/``, inline (SVG when there is one, else the
  bitmap as a ``data:`` URI), with a caption saying what to look for;
* ``transcript.md`` and ``debrief.md`` rendered to HTML by a small, safe
  Markdown-subset renderer (:func:`markdown_to_html`) that escapes all text;
* the scenario's sources, where they disagree, every actor's posture value
  with its basis, and the manifest (seed, command, versions, file hashes).

The page makes no external requests: no scripts, no web fonts, no remote
images, only in-page ``#anchors`` and ``data:`` URIs. It has print CSS, and
the same run folder always gives the same bytes. The report is written to a
temporary file beside ``report.html`` and renamed into place.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim import files
from sim.errors import RunFolderError
from sim.scenario import yamlsafe

__all__ = ["REPORT_NAME", "markdown_to_html", "render_report", "write_report"]

REPORT_NAME = "report.html"

NO_WEAPONS = (
    "This simulator models how states signal, how others perceive the signals and how "
    "action and counter-action escalate or calm a crisis. It models no weapons "
    "performance: no ranges, interception rates, yields or damage. Systems named in a "
    "move only label what a signal shows."
)

#: Known figures, in the order a run folder's ``FIGURES`` draws them: title and
#: what to look for. Any other figure in ``figures/`` follows, alphabetically.
FIGURE_NOTES: dict[str, tuple[str, str]] = {
    "tension": (
        "Tension per actor",
        "One line per actor from turn 0 (the starting state) to the last turn; dotted "
        "vertical lines mark the injects. Look for who rises first after an inject, "
        "whose line keeps climbing when others level off, and whether any line falls.",
    ),
    "rungs": (
        "Escalation rung of each move",
        "Rows are actors, columns are turns; brighter cells are higher rungs of the "
        "escalation ladder. Look for bands of bright cells spreading from one row to "
        "others (action and counter-action) and for actors who stay low throughout.",
    ),
    "perception_gap": (
        "Mean perception gap, observer by sender",
        "Each cell is how much more hostile an observer (row) read a sender's (column) "
        "moves than they were meant, averaged over the run. Red: read as more hostile "
        "than meant; blue: less; grey: never seen. Look for red rows (suspicious "
        "observers) and red columns (senders whose signals are misread).",
    ),
    "timeline": (
        "Action–counteraction timeline",
        "One lane per actor, one column per turn; bigger, brighter circles are higher "
        "rungs, and each arrow runs from a move to the climb that answered it. Thick "
        "vermillion arrows are miscalculations (answers to a reading well above what "
        "was meant). Look for chains of arrows hopping between lanes, and where they "
        "start.",
    ),
    "network": (
        "Alignment and trust network",
        "The actors on a circle at a few turns (start, middle, end). Edge colour is "
        "alignment (blue partners, red rivals), edge width is mutual trust and dot size "
        "is tension. Look for edges that thin out or turn red, and for blocs that "
        "tighten as the crisis goes on.",
    ),
    "beliefs": (
        "One observer's beliefs and the credibility it gives others",
        "Top: how hostile the observer (named in the title) believes each other actor "
        "is; bottom, dashed: how far it believes their public framing. Look for beliefs "
        "that ratchet up after injects and for framings that stop being believed.",
    ),
}

_BITMAP_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}

# --------------------------------------------------------------------------------------
# Markdown subset
# --------------------------------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_HEADING_EMPTY = re.compile(r"^ {0,3}(#{1,6})[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_TABLE_SEP = re.compile(r"^ *\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$")
_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\(\s*([^()\s]*)\s*\)")
# CommonMark: a backslash before any ASCII punctuation character makes it literal
# (sim.text.escape_markdown relies on this for scenario text in the Markdown files).
_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def slugify(text: str) -> str:
    """GitHub-style anchor of a heading's plain text (``'Turn 18'`` -> ``'turn-18'``)."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@dataclass
class _ListNode:
    ordered: bool
    start: int
    indent: int
    items: list[_Item] = field(default_factory=list)


@dataclass
class _Item:
    text: str
    children: list[_ListNode] = field(default_factory=list)


@dataclass(frozen=True)
class Heading:
    """A heading the renderer wrote: level (after the offset), id and plain text."""

    level: int
    id: str
    text: str


class MarkdownRenderer:
    """A small, safe renderer for the Markdown the run folder's files use.

    Supported: ATX headings (with ids), paragraphs, hard breaks (two trailing
    spaces), bullet and numbered lists (nested by indentation), pipe tables
    with alignment, block quotes, fenced code, rules, and inline code,
    ``**bold**``, ``*italic*``/``_italic_``, backslash escapes and links.
    Only links to in-page anchors (``#...``) become links; any other target
    is shown as plain text, so the output never points outside the page.
    Raw HTML is never passed through: every character of text is escaped.

    Args:
        id_prefix: Put before every heading id (and before links to them).
        heading_offset: Added to every heading level (capped at 6).
        drop_title: Leave out a level-1 heading that opens the document.
        reserved: Ids already used on the page; headings avoid them.
    """

    def __init__(
        self,
        *,
        id_prefix: str = "",
        heading_offset: int = 0,
        drop_title: bool = False,
        reserved: Iterable[str] = (),
    ) -> None:
        self.id_prefix = id_prefix
        self.heading_offset = heading_offset
        self.drop_title = drop_title
        self.used: set[str] = set(reserved)
        self.headings: list[Heading] = []
        self._slugs: dict[str, str] = {}

    # -- blocks ------------------------------------------------------------------------

    def render(self, text: str) -> str:
        """Render a Markdown document to an HTML fragment."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n")
        self._heading_index = 0
        blocks = self._blocks(lines)
        if self.drop_title and blocks and blocks[0][0] == "heading" and blocks[0][1] == 1:
            blocks = blocks[1:]
        # First pass: heading ids, so links can point forwards as well as back.
        for block in blocks:
            self._collect_headings(block)
        return "\n".join(self._render_block(b) for b in blocks)

    def _collect_headings(self, block: tuple[Any, ...]) -> None:
        if block[0] == "heading":
            plain = _plain(self._inline(block[2], links=False))
            slug = slugify(plain) or "section"
            key = slug
            n = 0
            while self.id_prefix + key in self.used:
                n += 1
                key = f"{slug}-{n}"
            self.used.add(self.id_prefix + key)
            self._slugs.setdefault(slug, key)
            self._slugs.setdefault(key, key)
            level = min(6, max(1, block[1] + self.heading_offset))
            self.headings.append(Heading(level, self.id_prefix + key, plain))
        elif block[0] == "quote":
            for sub in block[1]:
                self._collect_headings(sub)

    def _blocks(self, lines: list[str]) -> list[tuple[Any, ...]]:
        blocks: list[tuple[Any, ...]] = []
        i, n = 0, len(lines)
        while i < n:
            line = lines[i]
            if not line.strip():
                i += 1
                continue
            fence = _FENCE.match(line)
            if fence and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
                mark = fence.group(1)
                body: list[str] = []
                i += 1
                while i < n and not (
                    lines[i].strip().startswith(mark) and not lines[i].strip().strip(mark[0])
                ):
                    body.append(lines[i])
                    i += 1
                i += 1
                blocks.append(("code", body))
                continue
            heading = _HEADING.match(line)
            if heading:
                blocks.append(("heading", len(heading.group(1)), heading.group(2)))
                i += 1
                continue
            if _HEADING_EMPTY.match(line):
                i += 1
                continue
            if _HR.match(line):
                blocks.append(("hr",))
                i += 1
                continue
            if _QUOTE.match(line):
                inner: list[str] = []
                while i < n and lines[i].strip():
                    q = _QUOTE.match(lines[i])
                    inner.append(q.group(1) if q else lines[i])
                    i += 1
                blocks.append(("quote", self._blocks(inner)))
                continue
            if self._table_starts(lines, i):
                rows = [lines[i]]
                sep = lines[i + 1]
                i += 2
                while i < n and lines[i].strip().startswith("|"):
                    rows.append(lines[i])
                    i += 1
                blocks.append(("table", rows[0], sep, rows[1:]))
                continue
            if _ITEM.match(line):
                i = self._list_block(lines, i, blocks)
                continue
            para: list[str] = []
            while i < n and lines[i].strip() and not self._interrupts(lines, i):
                para.append(lines[i])
                i += 1
            if not para:  # a line that interrupts nothing but matched nothing: keep it
                para.append(lines[i])
                i += 1
            blocks.append(("para", para))
        return blocks

    @staticmethod
    def _table_starts(lines: list[str], i: int) -> bool:
        return (
            lines[i].strip().startswith("|")
            and i + 1 < len(lines)
            and "-" in lines[i + 1]
            and bool(_TABLE_SEP.match(lines[i + 1]))
        )

    def _interrupts(self, lines: list[str], i: int) -> bool:
        line = lines[i]
        return bool(
            _HEADING.match(line)
            or _FENCE.match(line)
            or _HR.match(line)
            or _QUOTE.match(line)
            or self._table_starts(lines, i)
            or (_ITEM.match(line) and len(line) - len(line.lstrip(" ")) < 4)
        )

    def _list_block(self, lines: list[str], i: int, blocks: list[tuple[Any, ...]]) -> int:
        entries: list[tuple[int, bool, int, str]] = []
        n = len(lines)
        while i < n:
            line = lines[i]
            item = _ITEM.match(line)
            if item:
                marker = item.group(2)
                ordered = marker[0].isdigit()
                start = int(marker[:-1]) if ordered else 1
                entries.append((len(item.group(1)), ordered, start, item.group(3) or ""))
                i += 1
                continue
            if not line.strip():
                # A blank line continues the list only if more of it follows.
                j = i
                while j < n and not lines[j].strip():
                    j += 1
                if j < n and (_ITEM.match(lines[j]) or lines[j].startswith("  ")) and entries:
                    i = j
                    continue
                break
            if entries and (line.startswith(" ") or not self._interrupts(lines, i)):
                indent, ordered, start, text = entries[-1]
                entries[-1] = (indent, ordered, start, f"{text}\n{line.strip()}")
                i += 1
                continue
            break
        blocks.append(("list", _build_lists(entries)))
        return i

    def _render_block(self, block: tuple[Any, ...]) -> str:
        kind = block[0]
        if kind == "heading":
            heading = self.headings[self._heading_index]
            self._heading_index += 1
            return (
                f'<h{heading.level} id="{_attr(heading.id)}">'
                f"{self._inline(block[2])}</h{heading.level}>"
            )
        if kind == "para":
            parts: list[str] = []
            for k, line in enumerate(block[1]):
                last = k == len(block[1]) - 1
                hard = not last and (line.endswith("  ") or line.endswith("\\"))
                text = line.strip()
                if hard and text.endswith("\\"):
                    text = text[:-1]
                parts.append(self._inline(text) + ("<br>" if hard else ""))
            return "<p>" + "\n".join(parts) + "</p>"
        if kind == "hr":
            return "<hr>"
        if kind == "code":
            return "<pre><code>" + html.escape("\n".join(block[1])) + "</code></pre>"
        if kind == "quote":
            inner = "\n".join(self._render_block(b) for b in block[1])
            return f"<blockquote>\n{inner}\n</blockquote>"
        if kind == "table":
            return self._table(block[1], block[2], block[3])
        if kind == "list":
            return "\n".join(self._list(node) for node in block[1])
        raise AssertionError(kind)  # pragma: no cover

    _heading_index = 0

    def _list(self, node: _ListNode) -> str:
        if node.ordered:
            tag = "ol"
            open_tag = "<ol>" if node.start == 1 else f'<ol start="{node.start}">'
        else:
            tag, open_tag = "ul", "<ul>"
        out = [open_tag]
        for item in node.items:
            body = self._inline(item.text)
            children = "".join("\n" + self._list(c) for c in item.children)
            out.append(f"<li>{body}{children}</li>")
        out.append(f"</{tag}>")
        return "\n".join(out)

    def _table(self, head: str, sep: str, rows: list[str]) -> str:
        header = _cells(head)
        aligns = []
        for spec in _cells(sep):
            spec = spec.strip()
            if spec.startswith(":") and spec.endswith(":"):
                aligns.append("center")
            elif spec.endswith(":"):
                aligns.append("right")
            else:
                aligns.append("")
        width = len(header)
        aligns = (aligns + [""] * width)[:width]

        def cell(tag: str, text: str, align: str) -> str:
            cls = f' class="{align}"' if align else ""
            return f"<{tag}{cls}>{self._inline(text)}</{tag}>"

        out = ['<div class="table-wrap"><table>', "<thead><tr>"]
        out += [cell("th", h, a) for h, a in zip(header, aligns, strict=True)]
        out.append("</tr></thead>")
        out.append("<tbody>")
        for row in rows:
            values = (_cells(row) + [""] * width)[:width]
            out.append(
                "<tr>"
                + "".join(cell("td", v, a) for v, a in zip(values, aligns, strict=True))
                + "</tr>"
            )
        out.append("</tbody></table></div>")
        return "\n".join(out)

    # -- inline ------------------------------------------------------------------------

    def _inline(self, text: str, *, links: bool = True) -> str:
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
                out.append(html.escape(text[i + 1]))
                i += 2
                continue
            if c == "\n":
                out.append("\n")
                i += 1
                continue
            if c == "`":
                run = _run(text, i, "`")
                close = text.find("`" * run, i + run)
                while close != -1 and _run(text, close, "`") != run:
                    close = text.find("`" * run, close + _run(text, close, "`"))
                if close != -1:
                    code = text[i + run : close]
                    if code.strip() and code[0] == " " and code[-1] == " ":
                        code = code[1:-1]
                    out.append(f"<code>{html.escape(code)}</code>")
                    i = close + run
                    continue
                out.append(html.escape("`" * run))
                i += run
                continue
            if c == "[":
                m = _LINK.match(text, i)
                if m:
                    out.append(self._link(m.group(1), m.group(2), links=links))
                    i = m.end()
                    continue
            if c in "*_":
                done = self._emphasis(text, i, out, links=links)
                if done:
                    i = done
                    continue
                run = _run(text, i, c)
                out.append(c * run)
                i += run
                continue
            out.append(html.escape(c))
            i += 1
        return "".join(out)

    def _emphasis(self, text: str, i: int, out: list[str], *, links: bool) -> int:
        """Emit ``<strong>``/``<em>`` opening at ``i``; return the index after it, or 0."""
        c = text[i]
        run = _run(text, i, c)
        prev = text[i - 1] if i > 0 else " "
        after = text[i + run] if i + run < len(text) else " "
        if after.isspace():
            return 0
        if c == "_" and prev.isalnum():
            return 0
        for width in (2, 1) if run >= 2 else (1,):
            close = _find_closer(text, i + width, c, width)
            if close == -1:
                continue
            inner = text[i + width : close]
            tag = "strong" if width == 2 else "em"
            out.append(f"<{tag}>{self._inline(inner, links=links)}</{tag}>")
            return close + width
        return 0

    def _link(self, label: str, target: str, *, links: bool) -> str:
        inner = self._inline(label, links=False)
        if not links:
            return inner
        if target.startswith("#") and len(target) > 1:
            slug = target[1:]
            resolved = self._slugs.get(slug)
            anchor = self.id_prefix + resolved if resolved is not None else slug
            return f'<a href="#{_attr(anchor)}">{inner}</a>'
        if not target:
            return inner
        return f'{inner} <span class="url">({html.escape(target)})</span>'


def _run(text: str, i: int, c: str) -> int:
    """Length of the run of ``c`` starting at ``i``."""
    j = i
    while j < len(text) and text[j] == c:
        j += 1
    return j - i


def _find_closer(text: str, start: int, c: str, width: int) -> int:
    """Index of the delimiter run closing an emphasis of ``width`` ``c``s, or -1."""
    j, n = start, len(text)
    while j < n:
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == "`":
            run = _run(text, j, "`")
            close = text.find("`" * run, j + run)
            j = close + run if close != -1 else j + run
            continue
        if ch == c:
            run = _run(text, j, c)
            before = text[j - 1]
            nxt = text[j + run] if j + run < n else " "
            closes = j > start and not before.isspace() and not (c == "_" and nxt.isalnum())
            if closes and run >= width:
                if width == 1 and run == 2:
                    # ``**`` inside an ``*...*``: a nested bold, skip over it.
                    inner = _find_closer(text, j + 2, c, 2)
                    if inner != -1:
                        j = inner + 2
                        continue
                # In a longer run the closer is its last ``width`` characters.
                return j + run - width
            if run == 2 and width == 1:
                inner = _find_closer(text, j + 2, c, 2)
                if inner != -1:
                    j = inner + 2
                    continue
            j += run
            continue
        j += 1
    return -1


def _cells(row: str) -> list[str]:
    """Split a pipe-table row into cells (a bar after a backslash is literal)."""
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    cells = re.split(r"(?<!\\)\|", row)
    return [cell.strip() for cell in cells]


def _build_lists(entries: Sequence[tuple[int, bool, int, str]]) -> list[_ListNode]:
    """Nest list entries ``(indent, ordered, start, text)`` by their indentation."""
    top: list[_ListNode] = []
    stack: list[_ListNode] = []
    for indent, ordered, start, text in entries:
        item = _Item(text)
        while stack and indent < stack[-1].indent - 1:
            stack.pop()
        if stack and indent < stack[-1].indent + 2:
            node = stack[-1]
            if node.ordered != ordered:
                stack.pop()
                fresh = _ListNode(ordered, start, node.indent, [item])
                (stack[-1].items[-1].children if stack else top).append(fresh)
                stack.append(fresh)
            else:
                node.items.append(item)
            continue
        fresh = _ListNode(ordered, start, indent, [item])
        (stack[-1].items[-1].children if stack else top).append(fresh)
        stack.append(fresh)
    return top


def _plain(fragment: str) -> str:
    """Text of an HTML fragment produced by the renderer."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def markdown_to_html(
    text: str,
    *,
    id_prefix: str = "",
    heading_offset: int = 0,
    drop_title: bool = False,
    reserved: Iterable[str] = (),
) -> str:
    """Render a Markdown subset to a safe HTML fragment (see :class:`MarkdownRenderer`)."""
    renderer = MarkdownRenderer(
        id_prefix=id_prefix,
        heading_offset=heading_offset,
        drop_title=drop_title,
        reserved=reserved,
    )
    return renderer.render(text)


# --------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_DROP_ELEMENTS = {"script", "foreignObject", "style", "metadata", "iframe", "object", "embed"}
_URL_REF = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)['\"]?\s*\)")
_URL_ANY = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def inline_svg(data: bytes, *, id_prefix: str, label: str) -> str:
    """A Matplotlib-style SVG file as a safe inline ``<svg>`` element.

    Scripts, styles, metadata and event handlers are removed, links are kept
    only to ``#ids`` and ``data:image/`` URIs, every id gets ``id_prefix`` (so
    several figures on one page cannot clash) and the size follows the page.

    Raises:
        ValueError: the file is not an SVG document this function can read.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"not readable SVG: {exc}") from None
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise ValueError("not an SVG document")

    def prune(parent: ET.Element) -> None:
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if not tag.startswith(f"{{{_SVG_NS}}}") or _local(tag) in _DROP_ELEMENTS:
                parent.remove(child)
            else:
                prune(child)

    prune(root)
    elements = list(root.iter())
    ids = {str(el.get("id")) for el in elements if el.get("id")}
    seen: dict[str, int] = {}
    for el in elements:
        for name, value in list(el.attrib.items()):
            local = _local(name)
            if local.lower().startswith("on"):
                del el.attrib[name]
            elif local == "href":
                if value.startswith("#"):
                    if value[1:] in ids:
                        el.set(name, "#" + id_prefix + value[1:])
                elif not value.startswith("data:image/"):
                    del el.attrib[name]
            elif local == "id":
                # Ids must be unique on the page; references go to the first one.
                count = seen.get(value, 0)
                seen[value] = count + 1
                el.set(name, id_prefix + value + (f"-{count + 1}" if count else ""))
            elif "url(" in value or "@import" in value.lower():
                if _URL_ANY.search(value) or "@import" in value.lower():
                    del el.attrib[name]
                else:
                    el.set(
                        name,
                        _URL_REF.sub(
                            lambda m: (
                                f"url(#{id_prefix}{m.group(1)})"
                                if m.group(1) in ids
                                else m.group(0)
                            ),
                            value,
                        ),
                    )
    width, height = root.get("width"), root.get("height")
    if root.get("viewBox") is None and width and height:
        w, h = _length(width), _length(height)
        if w and h:
            root.set("viewBox", f"0 0 {w:g} {h:g}")
    for name in ("width", "height", "x", "y"):
        root.attrib.pop(name, None)
    root.set("class", "figure-svg")
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("preserveAspectRatio", "xMidYMid meet")
    root.set("xmlns", _SVG_NS)
    out: list[str] = []
    _serialize(root, out)
    return "".join(out)


def _serialize(el: ET.Element, out: list[str]) -> None:
    """Write an SVG element (all in the SVG namespace) as HTML-embeddable markup."""
    tag = _local(el.tag)
    out.append(f"<{tag}")
    for name, value in el.attrib.items():
        if name.startswith(f"{{{_XLINK_NS}}}"):
            name = "xlink:" + _local(name)
        elif name.startswith("{"):
            continue
        out.append(f' {name}="{html.escape(value, quote=True)}"')
    if len(el) == 0 and not el.text:
        out.append("/>")
    else:
        out.append(">")
        if el.text:
            out.append(html.escape(el.text, quote=False))
        for child in el:
            _serialize(child, out)
        out.append(f"</{tag}>")
    if el.tail:
        out.append(html.escape(el.tail, quote=False))


def _length(text: str) -> float:
    m = re.match(r"\s*([0-9.]+)", text)
    try:
        return float(m.group(1)) if m else 0.0
    except ValueError:
        return 0.0


@dataclass(frozen=True)
class Figure:
    """One figure of the run folder: its name and files (relative paths)."""

    name: str
    files: tuple[str, ...]


def find_figures(run_dir: Path) -> list[Figure]:
    """Figures in ``run_dir/figures``, grouped by name, known ones first."""
    folder = run_dir / "figures"
    if not folder.is_dir():
        return []
    groups: dict[str, list[str]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            suffix = path.suffix.lower()
            if suffix == ".svg" or suffix in _BITMAP_TYPES:
                groups.setdefault(path.stem, []).append(f"figures/{path.name}")
    known = [name for name in FIGURE_NOTES if name in groups]
    others = sorted(name for name in groups if name not in FIGURE_NOTES)
    return [Figure(name, tuple(groups[name])) for name in [*known, *others]]


def figure_id(name: str) -> str:
    """The HTML id of a figure's ``<figure>`` element."""
    return "fig-" + (slugify(name.replace("_", "-")) or "figure")


def _figure_html(run_dir: Path, figure: Figure, number: int) -> str:
    title, look = FIGURE_NOTES.get(
        figure.name,
        (
            figure.name.replace("_", " ").capitalize(),
            "A further figure of this run; see the run folder's documentation for what it shows.",
        ),
    )
    fid = figure_id(figure.name)
    label = f"Figure {number}: {title}"
    body = ""
    svgs = [f for f in figure.files if f.lower().endswith(".svg")]
    bitmaps = [f for f in figure.files if not f.lower().endswith(".svg")]
    shown = ""
    for rel in svgs:
        try:
            body = inline_svg(files.read_inside(run_dir, rel), id_prefix=f"{fid}-", label=label)
            shown = rel
            break
        except (files.FileProblem, ValueError):
            continue
    if not body:
        for rel in bitmaps:
            try:
                data = files.read_inside(run_dir, rel)
            except files.FileProblem:
                continue
            mime = _BITMAP_TYPES[Path(rel).suffix.lower()]
            encoded = base64.b64encode(data).decode("ascii")
            body = f'<img src="data:{mime};base64,{encoded}" alt="{_attr(label)}">'
            shown = rel
            break
    if not body:
        body = '<p class="missing">This figure could not be read.</p>'
    also = [f for f in figure.files if f != shown]
    names = f"<code>{html.escape(shown)}</code>" if shown else ""
    if also:
        names += "; also " + ", ".join(f"<code>{html.escape(f)}</code>" for f in also)
    return (
        f'<figure id="{_attr(fid)}" data-files="{_attr(" ".join(figure.files))}">\n'
        f"{body}\n"
        f"<figcaption><strong>{html.escape(label)}.</strong> {html.escape(look)} "
        f'<span class="files">({names})</span></figcaption>\n'
        "</figure>"
    )


# --------------------------------------------------------------------------------------
# Run folder contents
# --------------------------------------------------------------------------------------


def _read_text(run_dir: Path, name: str) -> str | None:
    """A run folder file's text; None if it is absent.

    Raises:
        FileProblem: it is a link out of the folder, not a regular file, too
            large, or not UTF-8 (never followed, never read whole if too large).
    """
    try:
        (run_dir / name).lstat()
    except OSError:
        return None
    data = files.read_inside(run_dir, name, what=f"run folder's {name}")
    return files.decode(data, run_dir / name, f"run folder's {name}")


def _read_csv(run_dir: Path, name: str) -> list[dict[str, str]]:
    text = _read_text(run_dir, name)
    if text is None:
        return []
    return list(csv.DictReader(text.splitlines()))


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


@dataclass
class Headline:
    """Headline numbers of a run, from ``metrics.csv`` and ``links.csv``."""

    peak_tension: float | None = None
    peak_actor: str = ""
    peak_turn: int | None = None
    start_mean_tension: float | None = None
    final_mean_tension: float | None = None
    peak_mean_tension: float | None = None
    peak_mean_turn: int | None = None
    mean_abs_gap: float | None = None
    links: int = 0
    miscalculations: int = 0
    longest_chain: int = 0
    longest_chain_turn: int | None = None
    norms_start: float | None = None
    norms_end: float | None = None
    final_turn: int | None = None


def headline(run_dir: Path, actor_order: Sequence[str]) -> Headline:
    """Compute the headline numbers from the run folder's tables."""
    h = Headline()
    rank = {a: k for k, a in enumerate(actor_order)}
    tension: dict[int, dict[str, float]] = {}
    gaps: list[float] = []
    norms: dict[int, float] = {}
    for row in _read_csv(run_dir, "metrics.csv"):
        metric, value = row.get("metric"), _float(row.get("value"))
        turn = int(row.get("turn") or 0)
        if value is None:
            continue
        if metric == "tension" and not row.get("other"):
            tension.setdefault(turn, {})[row.get("actor", "")] = value
        elif metric == "perception_gap_mean":
            gaps.append(value)
        elif metric == "norms":
            norms[turn] = value
    if tension:
        best: tuple[float, int, int, str] | None = None
        for turn in sorted(tension):
            for actor, value in tension[turn].items():
                key = (-value, turn, rank.get(actor, len(rank)), actor)
                if best is None or key < best:
                    best = key
        assert best is not None
        h.peak_tension, h.peak_turn, h.peak_actor = -best[0], best[1], best[3]
        means = {t: sum(v.values()) / len(v) for t, v in tension.items() if v}
        first, last = min(means), max(means)
        h.start_mean_tension, h.final_mean_tension, h.final_turn = means[first], means[last], last
        h.peak_mean_turn = min(means, key=lambda t: (-means[t], t))
        h.peak_mean_tension = means[h.peak_mean_turn]
    if gaps:
        h.mean_abs_gap = sum(gaps) / len(gaps)
    if norms:
        h.norms_start, h.norms_end = norms[min(norms)], norms[max(norms)]
    for row in _read_csv(run_dir, "links.csv"):
        h.links += 1
        if row.get("miscalculation", "").strip().lower() in ("true", "1"):
            h.miscalculations += 1
        depth = int(_float(row.get("chain_depth")) or 0)
        turn = int(row.get("turn") or 0)
        if depth > h.longest_chain:
            h.longest_chain, h.longest_chain_turn = depth, turn
    return h


def _sha256(run_dir: Path, rel: str) -> str:
    """SHA-256 of a run folder file, or why it cannot be read."""
    try:
        (run_dir / rel).lstat()
    except OSError:
        return "missing"
    try:
        return hashlib.sha256(files.read_inside(run_dir, rel)).hexdigest()
    except files.FileProblem:
        return "not read (a link out of the folder, or not a regular file)"


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _esc(value: Any) -> str:
    return html.escape(_text(value))


# --------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------

CSS = """
:root { --ink: #1b1f24; --muted: #59636e; --rule: #d0d7de; --soft: #f4f6f8;
  --accent: #0b5cad; }
* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.55;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif; }
.page { display: grid; grid-template-columns: minmax(0, 1fr); max-width: 56rem;
  margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
@media screen and (min-width: 78rem) {
  .page { grid-template-columns: 17rem minmax(0, 56rem); column-gap: 2.5rem; max-width: 78rem; }
  header.title { grid-column: 2; }
  nav.toc { grid-column: 1; grid-row: 1 / span 2; }
  main { grid-column: 2; }
  nav.toc { position: sticky; top: 1rem; align-self: start; max-height: calc(100vh - 2rem);
    overflow-y: auto; }
}
header.title h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .4rem; }
header.title .subtitle { color: var(--muted); margin: 0 0 1rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .8rem; padding-bottom: .25rem;
  border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; }
h4 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
h5, h6 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
a { color: var(--accent); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono",
  monospace; font-size: .88em; background: var(--soft); padding: .05em .3em;
  border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--soft); padding: .75rem; overflow-x: auto; }
pre code { background: none; padding: 0; }
blockquote { margin: 1rem 0; padding: .2rem 1rem; border-left: 4px solid var(--rule);
  color: var(--muted); }
.notice { border: 1px solid var(--rule); border-left: 5px solid #8a6d00; background: #fffbea;
  padding: .7rem 1rem; margin: 1rem 0; }
nav.toc { font-size: .92rem; border: 1px solid var(--rule); border-radius: 6px;
  padding: .8rem 1rem; background: var(--soft); margin-bottom: 1.5rem; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .4rem; border: 0; padding: 0; }
nav.toc ol { margin: 0; padding-left: 1.2rem; }
nav.toc ol ol { padding-left: 1rem; }
nav.toc li { margin: .15rem 0; }
nav.toc .turns { line-height: 1.9; }
nav.toc .turns a { display: inline-block; min-width: 1.6rem; }
dl.numbers { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem;
  margin: 1rem 0; }
dl.numbers dt { font-weight: 600; }
dl.numbers dd { margin: 0; }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: .9rem; width: 100%; }
th, td { border: 1px solid var(--rule); padding: .3rem .5rem; vertical-align: top;
  text-align: left; }
th { background: var(--soft); }
td.right, th.right { text-align: right; font-variant-numeric: tabular-nums; }
td.center, th.center { text-align: center; }
td.src { white-space: nowrap; }
tr.group th { background: #e6ebf0; font-size: .95rem; padding-top: .45rem; }
td.hash { font-family: ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  font-size: .78rem; overflow-wrap: anywhere; }
figure { margin: 1.5rem 0 2rem; break-inside: avoid; page-break-inside: avoid; }
figure .figure-svg, figure img { display: block; width: 100%; height: auto; max-height: 85vh;
  margin: 0 auto; }
.figure-svg * { stroke-linejoin: round; stroke-linecap: butt; }
figcaption { font-size: .92rem; color: var(--muted); margin-top: .5rem; }
figcaption .files { white-space: nowrap; }
.url { color: var(--muted); overflow-wrap: anywhere; }
.markdown li { margin: .2rem 0; }
.markdown ul ul { margin: .2rem 0; }
footer { margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--rule);
  color: var(--muted); font-size: .9rem; }
.missing { color: #8a1c1c; }

@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  html { font-size: 10.5pt; }
  body { background: #fff !important; color: #000;
    font-family: Georgia, "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; }
  h1, h2, h3, h4, h5, h6, nav.toc, figcaption, th, dl.numbers dt {
    font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
  .page { display: block; max-width: none; padding: 0; }
  nav.toc { background: #fff; border: 1px solid #999; position: static; max-height: none;
    overflow: visible; }
  .notice, th, code, pre, nav.toc { background: #fff !important; }
  .notice { border-left-color: #000; }
  a { color: inherit; text-decoration: none; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  figcaption { color: #222; }
  tr.group { break-after: avoid; page-break-after: avoid; }
  tr.group th { background: #fff !important; border-bottom: 2px solid #000; }
  figure, tr, dl.numbers, blockquote, pre { break-inside: avoid; page-break-inside: avoid; }
  figure .figure-svg, figure img { max-height: 21cm; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  table { font-size: 8.5pt; }
  section.major { break-before: page; page-break-before: always; }
  p, li { orphans: 3; widows: 3; }
}
"""


@dataclass
class _Section:
    id: str
    title: str
    body: str
    sub: list[tuple[str, str]] = field(default_factory=list)
    turns: list[tuple[str, str]] = field(default_factory=list)
    major: bool = False


_RESERVED = {
    "top",
    "toc",
    "summary",
    "figures",
    "transcript",
    "debrief",
    "sources",
    "sources-list",
    "disagreements",
    "posture",
    "other-values",
    "dynamics",
    "reproducibility",
}


def render_report(run_dir: Path) -> str:
    """The report of ``run_dir`` as one HTML document (a string).

    Raises:
        RunFolderError: ``run_dir`` is not a run folder (no ``manifest.json`` or
            ``scenario.resolved.yaml`` that can be read).
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir} is not a folder; give a run folder made by 'sim run'")
    manifest_text = _read_text(run_dir, "manifest.json")
    scenario_text = _read_text(run_dir, "scenario.resolved.yaml")
    if manifest_text is None or scenario_text is None:
        raise RunFolderError(
            f"{run_dir} is not a run folder: it needs manifest.json and "
            "scenario.resolved.yaml (made by 'sim run')"
        )
    manifest = files.parse_json(manifest_text, run_dir / "manifest.json", "run manifest")
    try:
        scenario = yamlsafe.parse(scenario_text, str(run_dir / "scenario.resolved.yaml")).data
    except yamlsafe.YamlProblem as exc:
        raise RunFolderError(
            f"{run_dir / 'scenario.resolved.yaml'}:{exc.line}:{exc.column}: {exc.message}: "
            "this run folder's scenario is damaged; run the scenario again"
        ) from None
    if not isinstance(manifest, dict) or not isinstance(scenario, dict):
        raise RunFolderError(f"{run_dir}: manifest.json or scenario.resolved.yaml is malformed")

    meta = scenario.get("metadata") or {}
    actors = scenario.get("actors") or {}
    actor_ids = list(actors) if isinstance(actors, dict) else []
    names = {
        a: str(_dig(actors, a, "name") or a) for a in actor_ids if isinstance(actors.get(a), dict)
    }
    title = str(meta.get("title") or _dig(manifest, "scenario", "title") or run_dir.name)
    seed = manifest.get("seed", scenario.get("seed"))
    turns = manifest.get("turns", scenario.get("turns"))

    sections: list[_Section] = [
        _summary_section(
            run_dir, meta, manifest, actor_ids, names, seed, turns, _inject_labels(scenario)
        ),
    ]
    figures = find_figures(run_dir)
    if figures:
        body = "\n".join(_figure_html(run_dir, f, k) for k, f in enumerate(figures, 1))
    else:
        body = "<p>This run folder has no figures (it was made with <code>--no-figures</code>).</p>"
    sections.append(
        _Section(
            "figures",
            "Figures",
            body,
            sub=[(figure_id(f.name), _figure_title(f.name)) for f in figures],
        )
    )
    used = set(_RESERVED) | {figure_id(f.name) for f in figures}
    for key, name, prefix in (
        ("transcript", "Transcript", ""),
        ("debrief", "Debrief", "debrief-"),
    ):
        text = _read_text(run_dir, f"{key}.md")
        if text is None:
            sections.append(
                _Section(key, name, f"<p>No <code>{key}.md</code> in this run folder.</p>")
            )
            continue
        renderer = MarkdownRenderer(
            id_prefix=prefix, heading_offset=1, drop_title=True, reserved=used
        )
        body = f'<div class="markdown">\n{renderer.render(text)}\n</div>'
        used |= renderer.used
        sub = [(h.id, h.text) for h in renderer.headings if h.level == 3]
        turn_links = [
            (h.id, h.text.removeprefix("Turn ").strip())
            for h in renderer.headings
            if h.level == 4 and re.fullmatch(r"Turn \d+", h.text)
        ]
        sections.append(_Section(key, name, body, sub=sub, turns=turn_links, major=True))
    sections.append(_sources_section(scenario, names))
    sections.append(_reproducibility_section(run_dir, manifest))
    return _page(title, seed, turns, meta, sections)


def _figure_title(name: str) -> str:
    return FIGURE_NOTES.get(name, (name.replace("_", " ").capitalize(), ""))[0]


def _inject_labels(scenario: dict[str, Any]) -> dict[str, str]:
    """Inject labels by id, from the resolved scenario.

    injects.csv holds them too, but with a ``'`` before any that a spreadsheet
    would read as a formula (see :func:`sim.text.spreadsheet_safe`).
    """
    injects = scenario.get("injects")
    if not isinstance(injects, dict):
        return {}
    return {
        str(key): str(spec["label"])
        for key, spec in injects.items()
        if isinstance(spec, dict) and isinstance(spec.get("label"), str)
    }


def _summary_section(
    run_dir: Path,
    meta: dict[str, Any],
    manifest: dict[str, Any],
    actor_ids: list[str],
    names: dict[str, str],
    seed: Any,
    turns: Any,
    inject_labels: dict[str, str] | None = None,
) -> _Section:
    h = headline(run_dir, actor_ids)
    out: list[str] = []
    if meta.get("summary"):
        out.append(f"<p>{_esc(meta['summary'])}</p>")
    objectives = meta.get("learning_objectives")
    if isinstance(objectives, list) and objectives:
        out.append("<h3>Learning objectives</h3>")
        out.append("<ul>" + "".join(f"<li>{_esc(o)}</li>" for o in objectives) + "</ul>")
    out.append("<h3>This run</h3>")
    rows: list[tuple[str, str]] = [
        ("Seed", f"{_esc(seed)} ({_esc(manifest.get('seed_source', 'recorded'))})"),
        ("Turns", _esc(turns)),
    ]
    if meta.get("turn_meaning"):
        rows.append(("One turn", _esc(meta["turn_meaning"])))
    rows.append(("Actors", _esc(", ".join(names.get(a, a) for a in actor_ids))))
    if h.peak_tension is not None:
        who = names.get(h.peak_actor, h.peak_actor)
        rows.append(
            (
                "Peak tension",
                f"{_num(h.peak_tension)} ({_esc(who)}, "
                f'<a href="#turn-{h.peak_turn}">turn {h.peak_turn}</a>)'
                if h.peak_turn
                else f"{_num(h.peak_tension)} ({_esc(who)}, at the start)",
            )
        )
        rows.append(
            (
                "Mean tension",
                f"{_num(h.start_mean_tension)} at the start, {_num(h.final_mean_tension)} "
                f"at the end; highest {_num(h.peak_mean_tension)} in turn {h.peak_mean_turn}",
            )
        )
    if h.mean_abs_gap is not None:
        rows.append(("Mean perception gap", _num(h.mean_abs_gap)))
    rows.append(("Action–counteraction links", str(h.links)))
    rows.append(("Miscalculations", str(h.miscalculations)))
    chain = str(h.longest_chain)
    if h.longest_chain_turn is not None:
        chain += f" links, first reached in turn {h.longest_chain_turn}"
    rows.append(("Longest chain", chain))
    if h.norms_start is not None:
        rows.append(
            ("Arms-control regime", f"{_num(h.norms_start)} after turn 1 → {_num(h.norms_end)}")
        )
    out.append(
        '<dl class="numbers">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"
    )
    injects = _read_csv(run_dir, "injects.csv")
    labels = inject_labels or {}
    if injects:
        out.append("<h3>Events injected by the scenario</h3><ul>")
        for row in injects:
            turn = row.get("turn", "")
            label = labels.get(row.get("inject") or "") or row.get("label") or row.get("inject")
            out.append(
                f'<li><a href="#turn-{_attr(turn)}">Turn {_esc(turn)}</a>: {_esc(label)}</li>'
            )
        out.append("</ul>")
    out.append(
        "<p>A <em>miscalculation</em> is a counter-move to a move read at least the "
        "scenario's miscalculation threshold more hostile than it was meant; a "
        "<em>chain</em> is a run of moves each answering the one before.</p>"
    )
    return _Section("summary", "Summary", "\n".join(out))


def _basis_cells(basis: Any, sources: dict[str, str]) -> str:
    if not isinstance(basis, dict):
        return '<td colspan="3" class="muted">no basis given</td>'
    source = str(basis.get("source", ""))
    if source in sources:
        src = f'<a href="#source-{_attr(slugify(source))}">{html.escape(source)}</a>'
    else:
        src = html.escape(source)
    part, reasoning = _esc(basis.get("part")), _esc(basis.get("reasoning"))
    return f'<td class="src">{src}</td><td>{part}</td><td>{reasoning}</td>'


def _sources_section(scenario: dict[str, Any], names: dict[str, str]) -> _Section:
    meta = scenario.get("metadata") or {}
    out: list[str] = []
    sources = meta.get("sources") or []
    keys: dict[str, str] = {}
    out.append('<h3 id="sources-list">Sources</h3>')
    if sources:
        out.append("<ol>")
        for src in sources:
            if not isinstance(src, dict):
                out.append(f"<li>{_esc(src)}</li>")
                continue
            key = str(src.get("key", ""))
            keys[key] = str(src.get("title", key))
            bits = [f"<strong>{_esc(src.get('title') or key)}</strong>"]
            bits.append(f"<code>{_esc(key)}</code>")
            for extra in ("author", "date", "publisher", "file"):
                if src.get(extra):
                    bits.append(f"{extra}: {_esc(src[extra])}")
            if src.get("url"):
                bits.append(f'address: <span class="url">{_esc(src["url"])}</span>')
            note = f"<br>{_esc(src['note'])}" if src.get("note") else ""
            out.append(
                f'<li id="source-{_attr(slugify(key))}">' + " · ".join(bits) + note + "</li>"
            )
        out.append("</ol>")
    else:
        out.append("<p>The scenario lists no sources.</p>")

    out.append('<h3 id="disagreements">Where the sources disagree</h3>')
    notes = meta.get("notes")
    if notes:
        paragraphs = [p for p in re.split(r"\n\s*\n", _text(notes)) if p.strip()]
        out += [f"<p>{_esc(p.strip())}</p>" for p in paragraphs]
    else:
        out.append("<p>The scenario records no disagreements between its sources.</p>")

    out.append('<h3 id="posture">Actor postures and their basis</h3>')
    out.append(
        "<p>Every posture value of every actor (each between 0 and 1), with the source, "
        "the part of it and the reasoning the scenario gives.</p>"
    )
    head = (
        '<div class="table-wrap"><table class="posture"><thead><tr><th>Parameter</th>'
        '<th class="right">Value</th><th>Source</th><th>Part</th><th>Reasoning</th>'
        "</tr></thead><tbody>"
    )
    rows: list[str] = []
    actors = scenario.get("actors") or {}
    for actor, spec in actors.items() if isinstance(actors, dict) else []:
        if not isinstance(spec, dict):
            continue
        entries: list[tuple[str, Any, Any]] = []
        posture = spec.get("posture") or {}
        for param, val in posture.items() if isinstance(posture, dict) else []:
            if isinstance(val, dict):
                entries.append((param, val.get("value"), val.get("basis")))
            else:
                entries.append((param, val, None))
        for param, val in spec.items():
            if param != "posture" and isinstance(val, dict) and "value" in val:
                entries.append((param, val.get("value"), val.get("basis")))
        if entries:
            rows.append(
                f'<tr class="group"><th colspan="5" id="posture-{_attr(slugify(actor))}">'
                f"{_esc(names.get(actor, actor))}</th></tr>"
            )
        for param, value, basis in entries:
            rows.append(
                f"<tr><td>{_esc(param.replace('_', ' '))}</td>"
                f'<td class="right">{_esc(value)}</td>{_basis_cells(basis, keys)}</tr>'
            )
    out.append(head + "\n".join(rows) + "</tbody></table></div>")

    others: list[str] = []

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, dict):
            if "basis" in node and path and path[0] != "actors":
                if "value" in node:
                    value = _text(node["value"])
                else:
                    # Show a short label and the numbers beside the basis, not long prose.
                    label = node.get("label")
                    bits = [str(label)] if isinstance(label, str) and len(label) <= 60 else []
                    bits += [
                        f"{k.replace('_', ' ')} {_text(v)}"
                        for k, v in node.items()
                        if isinstance(v, (int, float)) and not isinstance(v, bool)
                    ]
                    value = "; ".join(bits)
                where = " › ".join(
                    names.get(p, p) if k in (1, 2) and path[0] == "relationships" else p
                    for k, p in enumerate(path)
                )
                others.append(
                    f"<tr><td>{_esc(where)}</td><td>{_esc(value)}</td>"
                    f"{_basis_cells(node['basis'], keys)}</tr>"
                )
            for k, v in node.items():
                if k != "basis":
                    walk(v, [*path, str(k)])
        elif isinstance(node, list):
            for k, v in enumerate(node):
                walk(v, [*path, str(k)])

    for key, value in scenario.items():
        if key not in ("actors", "metadata"):
            walk(value, [key])
    if others:
        out.append('<h3 id="other-values">Other sourced values</h3>')
        out.append(
            "<p>Relationships, channels, the arms-control regime and any other value the "
            "scenario gives a basis for.</p>"
        )
        out.append(
            '<div class="table-wrap"><table><thead><tr><th>Where</th><th>Value</th>'
            "<th>Source</th><th>Part</th><th>Reasoning</th></tr></thead><tbody>"
            + "\n".join(others)
            + "</tbody></table></div>"
        )
    dynamics = scenario.get("dynamics")
    if isinstance(dynamics, dict) and dynamics:
        out.append('<h3 id="dynamics">Model dynamics</h3>')
        out.append(
            "<p>The run's model settings (<code>dynamics</code> in the resolved scenario).</p>"
        )
        out.append(
            '<div class="table-wrap"><table><thead><tr><th>Setting</th><th>Value</th>'
            "</tr></thead><tbody>"
            + "".join(
                f"<tr><td><code>{_esc(k)}</code></td><td>{_esc(v)}</td></tr>"
                for k, v in dynamics.items()
            )
            + "</tbody></table></div>"
        )
    return _Section(
        "sources",
        "Sources and parameters",
        "\n".join(out),
        sub=[
            ("sources-list", "Sources"),
            ("disagreements", "Where the sources disagree"),
            ("posture", "Actor postures and their basis"),
            *([("other-values", "Other sourced values")] if others else []),
            *([("dynamics", "Model dynamics")] if isinstance(dynamics, dict) and dynamics else []),
        ],
        major=True,
    )


def _reproducibility_section(run_dir: Path, manifest: dict[str, Any]) -> _Section:
    out: list[str] = []
    rows: list[tuple[str, str]] = [
        ("Seed", f"{_esc(manifest.get('seed'))} ({_esc(manifest.get('seed_source'))})"),
    ]
    if manifest.get("reproduce"):
        rows.append(("Reproduce with", f"<code>{_esc(manifest['reproduce'])}</code>"))
    command = manifest.get("command")
    if isinstance(command, list) and command:
        rows.append(("Command run", f"<code>{_esc(' '.join(str(c) for c in command))}</code>"))
    overrides = manifest.get("overrides")
    if isinstance(overrides, list):
        rows.append(
            (
                "Overrides",
                ", ".join(f"<code>{_esc(o)}</code>" for o in overrides) if overrides else "none",
            )
        )
    if manifest.get("created_utc"):
        rows.append(("Run folder written", f"{_esc(manifest['created_utc'])} (UTC)"))
    resolved = _dig(manifest, "scenario", "resolved_sha256")
    if resolved:
        rows.append(("Resolved scenario SHA-256", f"<code>{_esc(resolved)}</code>"))
    out.append(
        '<dl class="numbers">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"
    )
    scenario_files = _dig(manifest, "scenario", "files")
    if isinstance(scenario_files, list) and scenario_files:
        out.append("<h3>Scenario files read</h3>")
        out.append(
            '<div class="table-wrap"><table><thead><tr><th>File</th><th>SHA-256</th></tr>'
            "</thead><tbody>"
            + "".join(
                f'<tr><td><code>{_esc(f.get("path"))}</code></td><td class="hash">'
                f"{_esc(f.get('sha256'))}</td></tr>"
                for f in scenario_files
                if isinstance(f, dict)
            )
            + "</tbody></table></div>"
        )
    versions = manifest.get("versions")
    if isinstance(versions, dict) and versions:
        out.append("<h3>Versions</h3>")
        out.append(
            '<div class="table-wrap"><table><thead><tr><th>Component</th><th>Version</th>'
            "</tr></thead><tbody>"
            + "".join(f"<tr><td>{_esc(k)}</td><td>{_esc(v)}</td></tr>" for k, v in versions.items())
            + "</tbody></table></div>"
        )
    outputs = manifest.get("outputs")
    if isinstance(outputs, list) and outputs:
        out.append("<h3>Run folder files</h3>")
        out.append(
            "<p>SHA-256 of each file the run wrote, computed when this report was made; "
            "a changed hash means the file was edited after the run.</p>"
        )
        rows_html = []
        for rel in outputs:
            if rel in (files.MANIFEST, REPORT_NAME):  # they change as reports are added
                continue
            digest = _sha256(run_dir, str(rel))
            rows_html.append(
                f'<tr><td><code>{_esc(rel)}</code></td><td class="hash">{_esc(digest)}</td></tr>'
            )
        out.append(
            '<div class="table-wrap"><table><thead><tr><th>File</th><th>SHA-256</th></tr>'
            "</thead><tbody>" + "".join(rows_html) + "</tbody></table></div>"
        )
    return _Section("reproducibility", "Reproducibility", "\n".join(out))


def _page(title: str, seed: Any, turns: Any, meta: dict[str, Any], sections: list[_Section]) -> str:
    toc = ['<nav class="toc" id="toc" aria-label="Contents"><h2>Contents</h2><ol>']
    for s in sections:
        entry = f'<li><a href="#{_attr(s.id)}">{html.escape(s.title)}</a>'
        if s.sub:
            entry += (
                "<ol>"
                + "".join(f'<li><a href="#{_attr(i)}">{html.escape(t)}</a></li>' for i, t in s.sub)
                + "</ol>"
            )
        if s.turns:
            entry += (
                '<div class="turns">Turns: '
                + " ".join(f'<a href="#{_attr(i)}">{html.escape(t)}</a>' for i, t in s.turns)
                + "</div>"
            )
        toc.append(entry + "</li>")
    toc.append("</ol></nav>")
    parts = []
    for s in sections:
        cls = ' class="major"' if s.major else ""
        parts.append(
            f'<section id="{_attr(s.id)}"{cls}>\n'
            f"<h2>{html.escape(s.title)}</h2>\n{s.body}\n</section>"
        )
    body = "\n".join(parts)
    subtitle = f"Run report · seed {_text(seed)} · {_text(turns)} turns"
    if meta.get("turn_meaning"):
        subtitle += f" · one turn is {_text(meta['turn_meaning'])}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">\n"
        '<meta name="generator" content="strategy-dialogue-sim report">\n'
        f"<title>{html.escape(title)} — run report (seed {html.escape(_text(seed))})</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        '<div class="page">\n<header class="title" id="top">\n'
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="subtitle">{html.escape(subtitle)}</p>\n'
        '<p class="notice"><strong>No weapons performance.</strong> '
        f"{html.escape(NO_WEAPONS)}</p>\n"
        "</header>\n" + "\n".join(toc) + f"\n<main>\n{body}\n"
        f"<footer><p>{html.escape(NO_WEAPONS)}</p>"
        "<p>Made from the run folder's files by <code>sim.outputs.report</code>; "
        "the page loads nothing from outside itself.</p></footer>\n"
        "</main>\n</div>\n</body>\n</html>\n"
    )


def write_report(run_dir: Path) -> Path:
    """Write ``run_dir/report.html`` from the run folder's files and return its path.

    The file is written to a temporary file beside it and renamed into place,
    so a reader never sees half a report. The same run folder always gives
    the same bytes.

    Raises:
        RunFolderError: ``run_dir`` is not a readable run folder, or the report
            cannot be written there.
    """
    run_dir = Path(run_dir)
    text = render_report(run_dir)
    target = files.add_to_folder(run_dir, REPORT_NAME, text)
    return target
