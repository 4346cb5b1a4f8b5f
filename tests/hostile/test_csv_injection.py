"""CSV injection: text cells a spreadsheet would run as formulas are written as text.

Inject labels and move labels that start with ``=``, ``+``, ``-`` or ``@``
reach ``injects.csv`` and ``input_diff.csv``; there they must start with
``'``. Numbers, also negative ones such as perception gaps, stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

from sim.cli.main import main
from sim.outputs.tables import FLOAT_FORMAT, csv_text, spreadsheet_safe_frame, write_csv
from sim.text import FORMULA_STARTS
from tests.outputs.test_csv import frames

from .scenario_text import base_data, write_yaml

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0", "-1+2", "@SUM(1)"]
#: Labels that are plain numbers: a spreadsheet reads them as the number they are.
NUMBERS = ["+1", "-0.5"]


def formula_cells(rows: list[dict[str, str]]) -> list[str]:
    """Cells a spreadsheet would run as a formula: a formula start, and not a number."""
    out = []
    for row in rows:
        for value in row.values():
            if value and value.startswith(FORMULA_STARTS):
                try:
                    float(value)
                except ValueError:
                    out.append(value)
    return out


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_detector_flags_a_formula_and_passes_numbers_and_neutral_text() -> None:
    # Negative control: the check used below does see an un-neutralised cell.
    assert formula_cells([{"a": FORMULAS[0], "b": "-0.300000", "c": "'=1", "d": "+3"}]) == [
        FORMULAS[0]
    ]
    raw = pd.DataFrame({"label": FORMULAS}).to_csv(index=False)
    assert formula_cells(list(csv.DictReader(raw.splitlines()))) == FORMULAS


@pytest.fixture
def formula_scenario(tmp_path: Path) -> Path:
    """The hostile base scenario with formula-like inject labels and move labels."""
    data = base_data()
    injects = data["injects"]
    template = injects.pop("snap")
    for k, label in enumerate(FORMULAS + NUMBERS, start=1):
        injects[f"i{k}"] = {**template, "label": label, "when": {"turn": k}}
    moves = data["moves"]
    moves["cooperate"]["label"] = FORMULAS[0]
    moves["retaliate"]["label"] = FORMULAS[2]
    return write_yaml(tmp_path / "formulas.yaml", data)


def test_run_and_compare_write_formula_text_as_text(
    formula_scenario: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    run = tmp_path / "run"
    assert main(["run", str(formula_scenario), "--out", str(run), "--no-figures", "--quiet"]) == 0
    injects = read_rows(run / "injects.csv")
    assert [r["label"] for r in injects] == ["'" + f for f in FORMULAS] + NUMBERS
    for name in ("injects.csv", "events.csv", "links.csv", "metrics.csv"):
        assert formula_cells(read_rows(run / name)) == [], name

    # Numbers are untouched: negative gaps are written as they are and read back as floats.
    events_text = (run / "events.csv").read_text(encoding="utf-8")
    events = pd.read_csv(run / "events.csv")
    for column in ("intended", "framed", "perceived", "gap"):
        assert events[column].dtype == np.float64, column
    assert (events["gap"] < 0).any()
    negative = events.loc[events["gap"] < 0, "gap"].iloc[0]
    assert f",{FLOAT_FORMAT % negative}," in events_text.replace("\n", ",")
    assert "'-" not in events_text

    plain = write_yaml(tmp_path / "plain.yaml", base_data())
    out = tmp_path / "compare"
    assert (
        main(["compare", str(formula_scenario), str(plain), "--turns", "4", "--out", str(out)]) == 0
    )
    capsys.readouterr()
    diff = {r["field"]: r for r in read_rows(out / "input_diff.csv")}
    assert diff["moves.cooperate.label"]["A"] == "'" + FORMULAS[0]
    assert diff["moves.retaliate.label"]["A"] == "'" + FORMULAS[2]
    assert formula_cells(list(diff.values())) == []
    assert formula_cells(read_rows(out / "outcomes.csv")) == []


def test_numeric_columns_and_plain_numbers_are_never_touched(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "gap": [-0.3, 0.25, -1e-3],
            "turn": [-1, 2, 3],
            "ok": [True, False, True],
            "text": ["-0.5", "+3", "1e-3"],
            "label": ["=1+1", "-1+2", "@SUM(1)"],
            "mixed": ["\tx", 1.5, None],
        }
    )
    safe = spreadsheet_safe_frame(df)
    for column in ("gap", "turn", "ok", "text"):
        pd.testing.assert_series_equal(safe[column], df[column])
    assert list(safe["label"]) == ["'=1+1", "'-1+2", "'@SUM(1)"]
    assert safe["mixed"].iloc[0] == "'\tx" and safe["mixed"].iloc[1] == 1.5
    assert df["label"].iloc[0] == "=1+1"  # the caller's frame is left alone
    path = tmp_path / "t.csv"
    write_csv(df, path)
    back = pd.read_csv(path)
    assert list(back["gap"]) == [-0.3, 0.25, -0.001] and back["gap"].dtype == np.float64
    assert list(back["turn"]) == [-1, 2, 3]
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("-0.300000,-1,True,-0.5,")


def test_a_frame_with_nothing_to_neutralise_is_returned_as_it_is() -> None:
    df = pd.DataFrame({"who": ["red", "blue"], "x": [-0.5, 0.5]})
    assert spreadsheet_safe_frame(df) is df


def test_carriage_return_and_tab_starts_are_neutralised_on_the_pandas_path(tmp_path: Path) -> None:
    df = pd.DataFrame({"label": ["\rx", "\ty", "a,b"]})
    assert csv_text(spreadsheet_safe_frame(df)) is None  # needs quoting: pandas writes it
    path = tmp_path / "q.csv"
    write_csv(df, path)
    assert [r["label"] for r in read_rows(path)] == ["'\rx", "'\ty", "a,b"]


@settings(max_examples=200, deadline=None)
@given(df=frames())
def test_both_writers_give_pandas_bytes_of_the_neutralised_table(
    tmp_path_factory: pytest.TempPathFactory, df: pd.DataFrame
) -> None:
    safe = spreadsheet_safe_frame(df)
    expected = safe.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_csv(df, path)
    assert path.read_bytes() == expected.encode("utf-8")
    fast = csv_text(safe)
    assert fast is None or fast == expected
    for k in range(safe.shape[1]):
        for value in safe.iloc[:, k].tolist():
            if isinstance(value, str) and value[:1] in FORMULA_STARTS:
                try:
                    float(value)
                except ValueError:
                    pytest.fail(f"formula cell written: {value!r}")
