"""sim.text: untrusted text made safe for Markdown, terminals and spreadsheets."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.text import (
    Control,
    control_name,
    escape_markdown,
    find_controls,
    spreadsheet_safe,
    strip_controls,
    unescape_markdown,
    visible_controls,
)

# ---------------------------------------------------------------- Markdown

ORDINARY = [
    "Moscow announces snap readiness checks",
    "United States' joint missile-defence drill (with Japan)",
    "routine and defensive — not aimed at any country",
    "a 2016–2017 drill, framed as \"routine\"; 'no comment'",
    "e.g. the U.S. and i.e. China, 3.5 per cent, 50%",
    "See axelrod_noise.yaml and docs/teaching/notes",
    "tension < 0.3 and belief >= 0.6, R&D spending",
    "snake_case_name, #1 priority, 1. in a sentence, a - b + c",
    "Wait! Really? Yes: (a) and (b)",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_prose_is_unchanged(text: str) -> None:
    assert escape_markdown(text) == text
    assert escape_markdown(text, line_start=False) == text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", r"\<script>alert(1)\</script>"),
        ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
        ("![i](http://e.x/a.png)", r"\![i\](http:\//e.x/a.png)"),
        ("<http://evil.example>", r"\<http:\//evil.example>"),
        ("www.evil.example", r"www\.evil.example"),
        ("a@b.example", r"a\@b.example"),
        ("evil.com/x", r"evil\.com/x"),
        ("| a | b |\n|---|---|", r"\| a \| b \| \|---\|---\|"),
        ("# heading", r"\# heading"),
        ("Title ##", r"Title \##"),
        ("**bold** and a*b*c", r"\*\*bold\*\* and a\*b\*c"),
        ("`code`", r"\`code\`"),
        ("---", r"\---"),
        ("- item", r"\- item"),
        ("+ item", r"\+ item"),
        ("12. item", r"12\. item"),
        ("3) item", r"3\) item"),
        ("> quote", r"\> quote"),
        ("[ref]: http://x", r"\[ref]: http:\//x"),
        ("~~struck~~", r"\~\~struck\~\~"),
        ("_em_ but snake_case", r"\_em\_ but snake_case"),
        ("&amp; &#60; &#x3C; AT&T", r"\&amp; \&#60; \&#x3C; AT\&T"),
        ("back\\slash", r"back\\slash"),
        ("two\nlines", "two lines"),
        ("  padded  \n  ", "padded"),
    ],
)
def test_markup_is_escaped(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def test_line_start_rules_only_apply_at_a_line_start() -> None:
    assert escape_markdown("> 0.5", line_start=False) == "> 0.5"
    assert escape_markdown("- 1", line_start=False) == "- 1"
    assert escape_markdown("# x", line_start=False) == "# x"
    assert escape_markdown("[a]: b", line_start=False) == "[a]: b"
    assert escape_markdown("| x", line_start=False) == r"\| x"  # a cell still ends at |


def test_block_text_keeps_its_lines_and_escapes_each_start() -> None:
    text = "First line\n# not a heading\n    not code\n===\n- not a list  \nlast\\"
    assert escape_markdown(text, inline=False) == (
        "First line\n\\# not a heading\nnot code\n\\===\n\\- not a list\nlast\\\\"
    )


markdown_it = pytest.importorskip("markdown_it")
pytest.importorskip("linkify_it")


def _gfm() -> object:
    md = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    md.enable("linkify")
    md.options["linkify"] = True
    return md


GFM = _gfm()


def _render(text: str) -> str:
    return str(GFM.render(text))  # type: ignore[attr-defined]


def _tags(markup: str) -> list[str]:
    return sorted(re.findall(r"<([a-z][a-z0-9]*)", markup))


def _visible(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())


PIECES = [
    *"ab1 _*`[]()<>!#&;|~@:/.=+-\\'\"\t",
    "\n",
    "www.",
    "http://",
    "ftp://",
    ".org",
    ".de",
    ".com/x",
    "&amp;",
    "&#x3C;",
    "1. ",
    "- ",
    "  ",
    "xn--p1ai",
    ".рф",
    "é",
]
MARKDOWNISH = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)

# Markdown around the escaped text, as the outputs use it ({} is the text).
CONTEXTS = [
    ("{}", True),
    ('- **{}** holds a drill, framed as "{}".', True),
    ("# {} — transcript", True),
    ("1. In turn 3, {} read {}'s move.", True),
    ("**Event:** {} — {}", True),
    ("| h | v |\n|---|---:|\n| {} | {} |", False),
]


@settings(max_examples=400, deadline=None)
@given(a=MARKDOWNISH, b=MARKDOWNISH, where=st.sampled_from(CONTEXTS))
def test_gfm_with_linkify_renders_escaped_text_as_the_text(
    a: str, b: str, where: tuple[str, bool]
) -> None:
    template, line_start = where
    count = template.count("{}")
    texts = [a, b][:count]
    doc = template.format(*(escape_markdown(t, line_start=line_start) for t in texts))
    plain = template.format(*(["x"] * count))
    rendered = _render(doc)
    # Only the elements the template makes (fewer if a text is empty, never more).
    extra = set(_tags(rendered)) - set(_tags(_render(plain)))
    assert not extra, (doc, rendered)
    assert _tags(rendered).count("a") == 0 and _tags(rendered).count("code") == 0
    for text in texts:
        assert " ".join(text.split()) in _visible(rendered), (doc, rendered)


@settings(max_examples=300, deadline=None)
@given(text=MARKDOWNISH)
def test_block_text_renders_as_paragraphs_of_the_text(text: str) -> None:
    rendered = _render(escape_markdown(text, inline=False))
    assert set(_tags(rendered)) <= {"p"}, rendered
    assert _visible(rendered) == " ".join(text.split())


# ---------------------------------------------------------------- control characters


def test_find_controls_gives_index_line_and_column() -> None:
    text = "ab\nc\x1bd\u202e\te\r"
    assert find_controls(text) == [
        Control(4, 2, 2, "\x1b"),
        Control(6, 2, 4, "\u202e"),
        Control(9, 2, 7, "\r"),
    ]


@pytest.mark.parametrize(
    "char",
    [
        *map(chr, [*range(0, 9), *range(11, 32), 127, *range(0x80, 0xA0)]),
        "\u061c",
        "\u200e",
        "\u200f",
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
    ],
)
def test_every_control_and_bidi_mark_is_found_and_stripped(char: str) -> None:
    assert [c.char for c in find_controls(f"a{char}b")] == [char]
    assert strip_controls(f"a{char}b") in ("ab", "a\nb")


def test_tab_newline_and_ordinary_text_are_not_controls() -> None:
    text = "tab\there\nnew line, émigré — 中文 עברית"
    assert find_controls(text) == []
    assert strip_controls(text) is text


def test_strip_controls_keeps_line_breaks_of_pasted_text() -> None:
    assert strip_controls("one\r\ntwo\rthree\x1b[31m\u202e") == "one\ntwo\nthree[31m"


def test_control_names_and_visible_form() -> None:
    assert control_name("\x1b") == "U+001B ESCAPE"
    assert control_name("\x9b") == "U+009B CONTROL SEQUENCE INTRODUCER"
    assert control_name("\x01") == "U+0001 CONTROL"
    assert control_name("\x90") == "U+0090 C1 CONTROL"
    assert control_name("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert visible_controls("a\x1bb\u202ec\td\n") == "a\\x1bb\\u202ec\\td\\n"
    assert visible_controls("plain — text") == "plain — text"


# ---------------------------------------------------------------- spreadsheets


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "'-"),
        ("-inf", "'-inf"),
        ("-0.5", "-0.5"),
        ("+3", "+3"),
        ("1e-3", "1e-3"),
        ("-1.5E+10", "-1.5E+10"),
        ("-.5", "-.5"),
        ("joint drill", "joint drill"),
        ("", ""),
        ("'=already", "'=already"),
    ],
)
def test_spreadsheet_safe(value: str, written: str) -> None:
    assert spreadsheet_safe(value) == written
    assert spreadsheet_safe(spreadsheet_safe(value)) == written  # idempotent


@given(text=MARKDOWNISH)
@settings(max_examples=300)
def test_unescaping_gives_back_the_words_typed(text: str) -> None:
    # inline escaping joins lines and trims the ends; the words come back as that
    shown = " ".join(text.split())
    for line_start in (True, False):
        back = unescape_markdown(escape_markdown(text, line_start=line_start))
        assert " ".join(back.split()) == shown


def test_unescaping_removes_only_backslashes_before_punctuation() -> None:
    assert unescape_markdown(r"\<b> \* \\ a\b \1") == r"<b> * \ a\b \1"
