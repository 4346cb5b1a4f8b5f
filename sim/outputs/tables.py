"""Tables as CSV text: byte-stable formatting, fast for wide numeric tables.

Every text cell is written through :func:`sim.text.spreadsheet_safe`: a cell
a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return, and not a plain number) gets a leading ``'``.
Numeric, boolean and other non-text columns are never touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sim.text import spreadsheet_safe

FLOAT_FORMAT = "%.6f"


def _unsafe(value: Any) -> bool:
    return isinstance(value, str) and spreadsheet_safe(value) != value


def spreadsheet_safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell passed through :func:`~sim.text.spreadsheet_safe`.

    Only columns holding Python objects (text, or text mixed with other
    values) are looked at, and only text cells change; numeric and boolean
    columns, and non-text cells, stay as they are. Returns ``df`` itself when
    nothing needs neutralising (the usual case), else a shallow copy.
    """
    out = df
    for k in range(df.shape[1]):
        values = df.iloc[:, k].to_numpy()
        if values.dtype.kind != "O":
            continue
        try:
            distinct = pd.unique(values)
        except TypeError:  # unhashable cells (lists ...): look at each
            distinct = values
        if not any(_unsafe(v) for v in distinct):
            continue
        safe = values.copy()
        for i, v in enumerate(safe):
            if isinstance(v, str):
                safe[i] = spreadsheet_safe(v)
        if out is df:
            out = df.copy(deep=False)
        out.isetitem(k, safe)
    return out


def csv_text(df: pd.DataFrame, float_format: str = FLOAT_FORMAT) -> str | None:
    """The bytes ``df.to_csv(index=False, float_format=...)`` writes, built column by column.

    pandas formats every float through Python-level code; formatting whole
    columns at once is several times faster for the wide numeric tables that
    ensembles and runs write. Returns None when a value would need quoting
    (commas, quotes, line breaks) or a column has an unusual type: the caller
    then lets pandas write it. Tested equal to pandas' output.
    """
    columns: list[list[str]] = []
    for name in df.columns:
        if not isinstance(name, str) or any(c in name for c in ',"\n\r'):
            return None
        values = df[name].to_numpy()
        kind = values.dtype.kind
        if kind == "f":
            cells = [float_format % v if v == v else "" for v in values.tolist()]
        elif kind in "iu":
            cells = [str(v) for v in values.tolist()]
        elif kind == "b":
            cells = ["True" if v else "False" for v in values.tolist()]
        elif kind == "O" and all(type(v) is str for v in values):
            if any(c in v for v in values for c in ',"\n\r') or "" in values:
                return None
            cells = values.tolist()
        else:
            return None
        columns.append(cells)
    header = ",".join(df.columns)
    if not columns or df.empty:
        return None
    if len(columns) == 1 and "" in columns[0]:
        return None  # csv quotes an empty field when it is a row's only one
    return header + "\n" + "\n".join(",".join(row) for row in zip(*columns, strict=True)) + "\n"


def write_csv(df: pd.DataFrame, path: Path, float_format: str = FLOAT_FORMAT) -> None:
    """Write a table as CSV with fixed float formatting (byte-stable).

    Text cells are neutralised first (:func:`spreadsheet_safe_frame`), whichever
    way the text is then built (:func:`csv_text`, or pandas for cells that need
    quoting).
    """
    df = spreadsheet_safe_frame(df)
    text = csv_text(df, float_format)
    if text is None:
        df.to_csv(path, index=False, float_format=float_format, lineterminator="\n")
    else:
        path.write_text(text, encoding="utf-8", newline="")
