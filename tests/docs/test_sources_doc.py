"""Checks on docs/sources.md, the map from the two source articles to the scenario library.

What is checked:

* every scenario file the page names (``something.yaml``) exists in ``scenarios/``; files
  of the planned library that have not landed yet make the test skip with their names,
  any other missing name fails;
* every field path written as ``<file>.yaml: <dotted.path>`` (in backticks) resolves in
  the loaded scenario (``sim.load_scenario``, so ``extends`` and default moves apply) or,
  for ``default_library.yaml``, in the core library, and for a domain library's file name
  (``missile_defence.yaml``), in that file of ``sim/scenario/libraries/``; a ``= number``
  after the path must match the value; ``actors.<a>.posture.<field>`` paths get their
  own, clearer check;
* no run of eight words from either article appears verbatim in the page (case and
  punctuation ignored): we paraphrase, we never copy;
* both source keys are named, every row of the mapping table cites one of them, and the
  article column stays within twenty words;
* every row's part reads `` `key` · ¶N: digest `` (several as ``¶N, ¶M``), and every ¶ it
  names, and every ¶ in the article columns of section 3, exists in that article;
* each stylised fact of the flagship is named (``expectations.<id>``) in a row citing the
  same article and a paragraph the fact's basis cites.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

import sim

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "sources.md"
SCENARIOS = REPO / "scenarios"
LIBRARY = REPO / "sim" / "scenario" / "default_library.yaml"
DOMAIN_LIBRARIES = {p.stem: p for p in (REPO / "sim" / "scenario" / "libraries").glob("*.yaml")}
SOURCES_DIR = Path(os.environ.get("SIM_SOURCES_DIR", REPO.parent / "shared" / "sources"))

SOURCE_FILES = {
    "drill-alignment-2025": "000_91cebcb05fee15cb.txt",
    "paradigm-shift-2025": "001_7432101ca3a02546.txt",
}

# The scenario ids of the planned library. A file named here that is not there yet is
# reported as a skip (the team sees the list); any other missing name is an error.
PLANNED = frozenset(
    {
        "dec2025_joint_drill",
        "golden_dome",
        "new_start_lapse",
        "transparency",
        "live_fire",
        "multilateral_future",
        "india_balancing",
        "drills_2016_2017",
        "richardson_stable",
        "richardson_runaway",
        "jervis_spiral",
        "jervis_deterrence",
        "axelrod_noise",
        "axelrod_generous",
        "axelrod_contrite",
    }
)

NGRAM = 8
MAX_DESCRIBE_WORDS = 20

FILE_NAME = re.compile(r"(?<![\w./-])([a-z0-9_]+)\.yaml\b")
FIELD_REF = re.compile(
    r"`(?P<file>[a-z0-9_]+)\.yaml: (?P<path>[A-Za-z0-9_.\-]+)`"
    r"(?:\s*=\s*(?P<value>-?\d+(?:\.\d+)?))?"
)


@cache
def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def field_refs() -> list[tuple[str, str, str | None]]:
    return [(m["file"], m["path"], m["value"]) for m in FIELD_REF.finditer(doc_text())]


def files_with_refs() -> list[str]:
    return sorted(
        {f for f, _, _ in field_refs() if f != "default_library" and f not in DOMAIN_LIBRARIES}
    )


@cache
def scenario_data(name: str) -> dict[str, Any]:
    scenario = sim.load_scenario(SCENARIOS / f"{name}.yaml")
    data: dict[str, Any] = scenario.model_dump(mode="json")
    return data


@cache
def library_data(path: Path = LIBRARY) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def resolve(data: Any, path: str) -> Any:
    """Follow a dotted path through nested mappings; KeyError names the missing step."""
    here = data
    walked: list[str] = []
    for step in path.split("."):
        if not isinstance(here, dict) or step not in here:
            options = sorted(here) if isinstance(here, dict) else []
            shown = ".".join(walked) or "(top level)"
            raise KeyError(f"no {step!r} under {shown}; there is: {options}")
        here = here[step]
        walked.append(step)
    return here


def check_refs(file: str, data: dict[str, Any]) -> list[str]:
    problems = []
    for f, path, value in field_refs():
        if f != file:
            continue
        try:
            found = resolve(data, path)
        except KeyError as exc:
            problems.append(f"{f}.yaml: {path}: {exc.args[0]}")
            continue
        if value is None:
            continue
        number = found["value"] if isinstance(found, dict) and "value" in found else found
        if not isinstance(number, int | float) or abs(float(number) - float(value)) > 1e-9:
            problems.append(f"{f}.yaml: {path}: the page says {value}, the file has {number!r}")
    return problems


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"[a-z0-9]+", text)


def ngrams(tokens: list[str], n: int = NGRAM) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def table_rows(start: str, end: str, header: str) -> list[list[str]]:
    """Body rows of the tables between headings ``start`` and ``end``, split into cells."""
    section = doc_text().split(f"\n## {start}", 1)[1].split(f"\n## {end}", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|") or set(line) <= set("|-: "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == header:
            continue
        rows.append(cells)
    return rows


def mapping_rows() -> list[list[str]]:
    """Body rows of the mapping tables (section 2), split into cells."""
    return table_rows("2", "3", "#")


# ---------------------------------------------------------------- tests


def test_doc_names_both_source_keys() -> None:
    for key in SOURCE_FILES:
        assert f"`{key}`" in doc_text(), f"docs/sources.md does not name the source key {key}"


def test_named_scenarios_exist() -> None:
    named = set(FILE_NAME.findall(doc_text()))
    assert "dec2025_joint_drill" in named, "the page should name the flagship scenario"
    if "default_library" in named:
        assert LIBRARY.is_file(), f"{LIBRARY} is missing"
        named.discard("default_library")
    named -= set(DOMAIN_LIBRARIES)
    missing = sorted(n for n in named if not (SCENARIOS / f"{n}.yaml").is_file())
    unknown = [n for n in missing if n not in PLANNED]
    assert not unknown, (
        f"docs/sources.md names scenario files that are neither in scenarios/ nor in the "
        f"planned library: {', '.join(u + '.yaml' for u in unknown)}"
    )
    if missing:
        pytest.skip(
            "planned library files named in docs/sources.md but not yet in scenarios/: "
            + ", ".join(m + ".yaml" for m in missing)
        )


def test_doc_has_field_paths() -> None:
    refs = field_refs()
    assert any(p.startswith("actors.") and ".posture." in p for _, p, _ in refs)
    assert any(f == "default_library" for f, _, _ in refs)


@pytest.mark.parametrize("name", files_with_refs())
def test_posture_paths_exist(name: str) -> None:
    if not (SCENARIOS / f"{name}.yaml").is_file():
        pytest.skip(f"{name}.yaml is not in scenarios/ yet; its paths cannot be checked")
    scenario = sim.load_scenario(SCENARIOS / f"{name}.yaml")
    fields = set(type(next(iter(scenario.actors.values())).posture).model_fields)
    problems = []
    for f, path, _ in field_refs():
        parts = path.split(".")
        if f != name or parts[0] != "actors" or len(parts) < 3 or parts[2] != "posture":
            continue
        if parts[1] not in scenario.actors:
            problems.append(f"{path}: no actor {parts[1]!r} (actors: {sorted(scenario.actors)})")
        elif len(parts) != 4 or parts[3] not in fields:
            problems.append(f"{path}: not a posture field (fields: {sorted(fields)})")
    assert not problems, f"{name}.yaml:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", files_with_refs())
def test_field_paths_resolve(name: str) -> None:
    if not (SCENARIOS / f"{name}.yaml").is_file():
        pytest.skip(f"{name}.yaml is not in scenarios/ yet; its paths cannot be checked")
    problems = check_refs(name, scenario_data(name))
    assert not problems, "\n".join(problems)


def test_library_paths_resolve() -> None:
    problems = check_refs("default_library", library_data())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(DOMAIN_LIBRARIES))
def test_domain_library_paths_resolve(name: str) -> None:
    problems = check_refs(name, library_data(DOMAIN_LIBRARIES[name]))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("key", sorted(SOURCE_FILES))
def test_no_eight_words_copied(key: str) -> None:
    article = SOURCES_DIR / SOURCE_FILES[key]
    if not article.is_file():
        pytest.skip(f"source article {article} not available (set SIM_SOURCES_DIR)")
    source_grams = ngrams(words(article.read_text(encoding="utf-8")))
    doc_tokens = words(doc_text())
    copied = sorted(
        {" ".join(g) for g in (tuple(doc_tokens[i : i + NGRAM]) for i in range(len(doc_tokens)))}
        & {" ".join(g) for g in source_grams}
    )
    assert not copied, f"docs/sources.md copies {NGRAM}-word runs from {key}: {copied}"


def test_mapping_rows_cite_a_source_and_stay_short() -> None:
    rows = mapping_rows()
    assert len(rows) >= 60, f"the mapping table looks incomplete ({len(rows)} rows)"
    problems = []
    for cells in rows:
        if len(cells) != 5:
            problems.append(f"row {cells[0]!r}: {len(cells)} cells, expected 5")
            continue
        if not any(key in cells[2] for key in SOURCE_FILES):
            problems.append(f"row {cells[0]}: no source key in {cells[2]!r}")
        n = len(cells[1].split())
        if n > MAX_DESCRIBE_WORDS:
            problems.append(f"row {cells[0]}: article column has {n} words")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- anchors into the articles
#
# A basis that cites an article names the paragraphs it rests on: ``part`` reads
# ``¶N: <digest in our words>`` (several as ``¶N, ¶M: …``). Paragraphs are counted as the
# non-empty lines of the source file, from 1 (article 000 has one paragraph per line with
# blank lines between; article 001 has its section headings on lines of their own, and they
# count too). docs/sources.md, section 1, says the same.

ANCHOR = re.compile(r"¶(\d+)")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a source text: its non-empty lines, in order (¶1 is the first)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def bundled_bases() -> list[tuple[str, str, dict[str, Any]]]:
    """(file, dotted path, basis) of every basis in every bundled scenario file."""
    found: list[tuple[str, str, dict[str, Any]]] = []

    def walk(node: Any, path: str, name: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                here = f"{path}.{key}" if path else str(key)
                if key == "basis" and isinstance(value, dict):
                    found.append((name, path, value))
                else:
                    walk(value, here, name)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}.{i}", name)

    for file in sorted(SCENARIOS.glob("*.yaml")):
        walk(yaml.safe_load(file.read_text(encoding="utf-8")), "", file.name)
    return found


Bases = list[tuple[str, str, dict[str, Any]]]


def anchor_problems(bases: Bases, counts: dict[str, int]) -> list[str]:
    """Bases citing an article whose part names no paragraph, or one the article lacks."""
    problems = []
    for name, path, basis in bases:
        key = basis.get("source")
        if key not in SOURCE_FILES:
            continue
        part = str(basis.get("part", ""))
        numbers = [int(n) for n in ANCHOR.findall(part.split(":", 1)[0])]
        if not part.startswith("¶") or not numbers:
            problems.append(f"{name}: {path}: part {part!r} names no paragraph (¶N: digest)")
            continue
        if key in counts:
            missing = [n for n in numbers if not 1 <= n <= counts[key]]
            if missing:
                problems.append(
                    f"{name}: {path}: {key} has {counts[key]} paragraphs, no ¶{missing[0]}"
                )
    return problems


def test_every_basis_citing_an_article_names_its_paragraphs() -> None:
    bases = bundled_bases()
    assert any(b.get("source") in SOURCE_FILES for _, _, b in bases)
    problems = anchor_problems(bases, {})
    assert not problems, "\n".join(problems)


def test_every_basis_anchor_exists_in_its_article() -> None:
    counts = {}
    for key, file in SOURCE_FILES.items():
        article = SOURCES_DIR / file
        if not article.is_file():
            pytest.skip(f"source article {article} not available (set SIM_SOURCES_DIR)")
        counts[key] = len(paragraphs(article.read_text(encoding="utf-8")))
    problems = anchor_problems(bundled_bases(), counts)
    assert not problems, "\n".join(problems)


def test_the_anchor_check_notices_a_missing_or_unknown_paragraph() -> None:
    assert paragraphs("Title\n\nOne.\nTwo.\n\n  \nThree.\n") == ["Title", "One.", "Two.", "Three."]
    bases = [
        ("x.yaml", "a", {"source": "drill-alignment-2025", "part": "¶3: fine"}),
        ("x.yaml", "b", {"source": "drill-alignment-2025", "part": "¶3, ¶40: too far"}),
        ("x.yaml", "c", {"source": "paradigm-shift-2025", "part": "Introduction"}),
        ("x.yaml", "d", {"source": "assumption", "part": "Not covered by either article"}),
    ]
    problems = anchor_problems(bases, {"drill-alignment-2025": 27, "paradigm-shift-2025": 32})
    assert [p.split(":")[1].strip() for p in problems] == ["b", "c"]


# ---------------------------------------------------------------- the page maps only set values


@cache
def raw_chain(name: str) -> list[dict[str, Any]]:
    """The raw YAML of a scenario file and of each file it extends, nearest first."""
    chain: list[dict[str, Any]] = []
    file = SCENARIOS / f"{name}.yaml"
    while True:
        raw: dict[str, Any] = yaml.safe_load(file.read_text(encoding="utf-8"))
        chain.append(raw)
        parent = raw.get("extends")
        if not parent:
            return chain
        file = (file.parent / parent).resolve()


def set_in_file(chain: list[dict[str, Any]], path: str) -> bool:
    """True if a file of the chain writes the path itself (not only the library or defaults)."""
    for raw in chain:
        try:
            resolve(raw, path)
        except KeyError:
            continue
        return True
    return False


@pytest.mark.parametrize("name", files_with_refs())
def test_page_maps_passages_only_to_values_the_scenario_sets(name: str) -> None:
    if not (SCENARIOS / f"{name}.yaml").is_file():
        pytest.skip(f"{name}.yaml is not in scenarios/ yet")
    chain = raw_chain(name)
    unset = sorted(
        {path for f, path, _ in field_refs() if f == name and not set_in_file(chain, path)}
    )
    assert not unset, (
        f"docs/sources.md maps article passages to {name}.yaml values the file (and the files "
        f"it extends) never set, i.e. model or library defaults: {unset}"
    )


# ---------------------------------------------------------------- the page's own anchors
#
# The part column of each mapping row reads `` `key` · ¶N: digest `` (several as ``¶N, ¶M``),
# and the article columns of the disagreements table (section 3) cite ¶N of their article.

PART = re.compile(r"^`(?P<key>[a-z0-9-]+)` · (?P<anchors>¶\d+(?:, ¶\d+)*): (?P<digest>\S.*)$")
MAX_DIGEST_WORDS = 12


def paragraph_counts() -> dict[str, int]:
    counts = {}
    for key, file in SOURCE_FILES.items():
        article = SOURCES_DIR / file
        if not article.is_file():
            pytest.skip(f"source article {article} not available (set SIM_SOURCES_DIR)")
        counts[key] = len(paragraphs(article.read_text(encoding="utf-8")))
    return counts


def part_problems(rows: list[list[str]], counts: dict[str, int]) -> list[str]:
    """Rows whose part does not parse as `key` · ¶N: digest, or names a ¶ the article lacks."""
    problems = []
    for cells in rows:
        if len(cells) != 5:
            continue  # reported by test_mapping_rows_cite_a_source_and_stay_short
        m = PART.match(cells[2])
        if not m or m["key"] not in SOURCE_FILES:
            problems.append(f"row {cells[0]}: part {cells[2]!r} is not `key` · ¶N: digest")
            continue
        if len(m["digest"].split()) > MAX_DIGEST_WORDS:
            problems.append(f"row {cells[0]}: digest longer than {MAX_DIGEST_WORDS} words")
        if m["key"] in counts:
            n = counts[m["key"]]
            missing = [a for a in map(int, ANCHOR.findall(m["anchors"])) if not 1 <= a <= n]
            if missing:
                problems.append(f"row {cells[0]}: {m['key']} has {n} paragraphs, no ¶{missing[0]}")
    return problems


def disagreement_rows() -> list[list[str]]:
    """Body rows of the table of section 3, split into cells."""
    return table_rows("3", "4", "point")


def test_every_row_part_is_an_anchor_that_exists() -> None:
    rows = mapping_rows()
    problems = part_problems(rows, paragraph_counts())
    assert not problems, "\n".join(problems)
    # every paragraph with content is mapped somewhere (titles and headings may be left out)
    cited: dict[str, set[int]] = {key: set() for key in SOURCE_FILES}
    for cells in rows:
        m = PART.match(cells[2])
        assert m is not None
        cited[m["key"]].update(int(a) for a in ANCHOR.findall(m["anchors"]))
    assert cited["drill-alignment-2025"] >= set(range(3, 27))


def test_section_3_cites_paragraphs_that_exist() -> None:
    counts = paragraph_counts()
    rows = disagreement_rows()
    assert len(rows) >= 8, f"the disagreements table looks incomplete ({len(rows)} rows)"
    keys = ["drill-alignment-2025", "paradigm-shift-2025"]
    problems, cited = [], 0
    for cells in rows:
        for key, cell in zip(keys, cells[1:3], strict=True):
            for a in map(int, ANCHOR.findall(cell)):
                cited += 1
                if not 1 <= a <= counts[key]:
                    problems.append(f"{cells[0]}: {key} has {counts[key]} paragraphs, no ¶{a}")
    assert cited, "section 3 cites no paragraph"
    assert not problems, "\n".join(problems)


def test_the_part_check_notices_a_wrong_or_malformed_anchor() -> None:
    rows = [
        ["A1", "x", "`drill-alignment-2025` · ¶3: fine", "none", "x"],
        ["A2", "x", "`drill-alignment-2025` · ¶3, ¶28: one too far", "none", "x"],
        ["B1", "x", "`paradigm-shift-2025` · Introduction", "none", "x"],
        ["B2", "x", "`paradigm-shift-2025` · ¶33: too far", "none", "x"],
        ["B3", "x", "`paradigm-shift-2025` · ¶32:", "none", "x"],
        ["B4", "x", "`paradigm-shift-2025` · ¶32: footer", "none", "x"],
    ]
    problems = part_problems(rows, {"drill-alignment-2025": 27, "paradigm-shift-2025": 32})
    assert [p.split(":")[0] for p in problems] == ["row A2", "row B1", "row B2", "row B3"]


# ---------------------------------------------------------------- the flagship's facts


def test_every_flagship_fact_is_named_where_its_passage_is_mapped() -> None:
    raw = raw_chain("dec2025_joint_drill")[0]
    facts = raw.get("expectations") or {}
    assert facts, "the flagship states no expectations"
    rows = [c for c in mapping_rows() if len(c) == 5]
    problems = []
    for fact_id, fact in facts.items():
        ref = f"`dec2025_joint_drill.yaml: expectations.{fact_id}`"
        naming = [c for c in rows if ref in c[3] or ref in c[4]]
        if not naming:
            problems.append(f"{fact_id}: no row names {ref}")
            continue
        basis = fact["basis"]
        wanted = {int(a) for a in ANCHOR.findall(str(basis["part"]).split(":", 1)[0])}
        matching = [
            c
            for c in naming
            if (m := PART.match(c[2]))
            and m["key"] == basis["source"]
            and wanted & {int(a) for a in ANCHOR.findall(m["anchors"])}
        ]
        if not matching:
            rows_named = ", ".join(c[0] for c in naming)
            problems.append(
                f"{fact_id}: rows {rows_named} name it, but none cites {basis['source']} "
                f"{sorted(wanted)} as the fact's basis does"
            )
    assert not problems, "\n".join(problems)
