"""The fast CSV writer writes exactly the bytes pandas would."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.outputs.tables import FLOAT_FORMAT, csv_text, spreadsheet_safe_frame, write_csv

floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(0, 6))
    columns: dict[str, object] = {}
    for k in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["float", "int", "bool", "str", "mixed"]))
        name = draw(st.sampled_from([f"c{k}", f"col {k}", f"c,{k}", f'q"{k}']))
        if kind == "float":
            columns[name] = np.array(draw(st.lists(floats, min_size=rows, max_size=rows)))
        elif kind == "int":
            ints = st.integers(-(2**63), 2**63 - 1)
            columns[name] = np.array(draw(st.lists(ints, min_size=rows, max_size=rows)), np.int64)
        elif kind == "bool":
            columns[name] = np.array(draw(st.lists(st.booleans(), min_size=rows, max_size=rows)))
        elif kind == "str":
            columns[name] = draw(st.lists(texts, min_size=rows, max_size=rows))
        else:
            cells = st.one_of(texts, floats, st.none())
            columns[name] = draw(st.lists(cells, min_size=rows, max_size=rows))
    return pd.DataFrame(columns)


@settings(max_examples=300, deadline=None)
@given(df=frames())
def test_fast_csv_equals_pandas(tmp_path_factory: pytest.TempPathFactory, df: pd.DataFrame) -> None:
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_csv(df, path)
    expected = spreadsheet_safe_frame(df).to_csv(
        index=False, float_format=FLOAT_FORMAT, lineterminator="\n"
    )
    assert path.read_bytes() == expected.encode("utf-8")


def test_numeric_tables_take_the_fast_path(tmp_path: Path) -> None:
    df = pd.DataFrame({"seed": [1, 2], "x": [0.5, -0.0], "ok": [True, False], "who": ["a", "b"]})
    assert csv_text(df) == "seed,x,ok,who\n1,0.500000,True,a\n2,-0.000000,False,b\n"
    assert csv_text(pd.DataFrame({"who": ["a,b"]})) is None  # needs quoting: pandas writes it
