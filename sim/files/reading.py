"""Bounded reads: regular files only, capped while reading, strict JSON, no link out of a folder."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from sim.files.problems import JSON_DEPTH, RUN_INPUT_LIMIT, FileProblem, _problem, explain, shown


def _open_regular(path: str | Path, what: str, *, follow: bool = True) -> int:
    """Open ``path`` for reading without blocking and return the descriptor of a regular file."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except ValueError:  # an embedded NUL byte
        raise _problem(str(path).replace("\0", "\\0"), "the name holds a NUL character") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise _problem(path, f"the {what} is a symbolic link; it is not followed") from None
        if exc.errno == errno.ENOENT:
            raise _problem(path, "no such file: check the path") from None
        raise _problem(path, f"cannot read the {what}: {explain(exc)}") from None
    try:
        info = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise _problem(path, f"cannot read the {what}: {explain(exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
        raise _problem(path, f"is {kind}, not a file: give the path of a {what}")
    return fd


def read_bytes(path: str | Path, *, limit: int, what: str = "file", follow: bool = True) -> bytes:
    """The bytes of a regular file, reading at most ``limit`` bytes.

    Args:
        path: The file.
        limit: Largest size accepted, in bytes.
        what: What the file is, for messages ("scenario file", "save file"...).
        follow: Follow a symbolic link in the last component.

    Raises:
        FileProblem: not a regular file, larger than ``limit``, a pseudo-file
            (``/proc``, ``/sys``: it reports size 0 but has content), or unreadable.
    """
    fd = _open_regular(path, what, follow=follow)
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise _problem(path, _too_large(what, limit, size))
        chunks: list[bytes] = []
        total = 0
        try:
            while total <= limit:
                chunk = fh.read(min(1 << 20, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        except OSError as exc:
            raise _problem(path, f"cannot read the {what}: {explain(exc)}") from None
    data = b"".join(chunks)
    if len(data) > limit:
        raise _problem(path, _too_large(what, limit))
    if size == 0 and data:
        raise _problem(
            path, f"is a system pseudo-file (such as /proc or /sys), not a {what}: give a file"
        )
    return data


def _too_large(what: str, limit: int, size: int | None = None) -> str:
    got = f"{size:,} bytes" if size is not None else "larger than that"
    return f"the {what} is {got}; the limit is {limit:,} bytes: check that it is the right file"


def read_text(path: str | Path, *, limit: int, what: str = "file", follow: bool = True) -> str:
    """A regular file's UTF-8 text (a leading BOM dropped), reading at most ``limit`` bytes.

    Raises:
        FileProblem: as :func:`read_bytes`, or the bytes are not UTF-8.
    """
    return decode(read_bytes(path, limit=limit, what=what, follow=follow), path, what)


def decode(data: bytes, path: str | Path, what: str = "file") -> str:
    """UTF-8 text of ``data`` (BOM dropped), or a FileProblem naming the bad byte's line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(
            path, f"line {line}: the {what} is not UTF-8 text: save it as UTF-8"
        ) from None


_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(text: str) -> int:
    """Deepest nesting of arrays and objects in JSON text (strings ignored)."""
    import numpy as np

    bare = _JSON_STRING.sub(b"", text.encode("utf-8"))
    codes = np.frombuffer(bare, dtype=np.uint8)
    steps = np.zeros(codes.shape, dtype=np.int32)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    return int(np.cumsum(steps).max()) if len(steps) else 0


def parse_json(text: str, path: str | Path, what: str = "JSON file") -> Any:
    """Parse JSON strictly: depth, duplicate keys, NaN and huge integers are problems.

    Raises:
        FileProblem: ``path:line:column: why: what to do``.
    """
    depth = json_depth(text)
    if depth > JSON_DEPTH:
        raise _problem(path, f"nesting deeper than {JSON_DEPTH} levels: this is not a {what}")

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise _Duplicate(key)
            out[key] = value
        return out

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a number JSON allows")

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except _Duplicate as dup:
        raise _problem(
            path, f"the key '{dup.key}' is given twice: keep one (this is not a {what})"
        ) from None
    except json.JSONDecodeError as exc:
        where = f"{shown(path)}:{exc.lineno}:{exc.colno}"
        why = f"not valid JSON ({exc.msg}): check that this is the right {what}"
        raise FileProblem(f"{where}: {why}", where, why) from None
    except (ValueError, RecursionError) as exc:
        raise _problem(path, f"not a {what}: {exc}") from None


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def read_json(path: str | Path, *, limit: int, what: str = "JSON file") -> Any:
    """A regular file's JSON, read with a bound and parsed strictly (see :func:`parse_json`)."""
    return parse_json(read_text(path, limit=limit, what=what), path, what)


def inside(folder: str | Path, relative: str | Path) -> Path:
    """``folder/relative``, refusing a path (or a link) that leads out of ``folder``.

    Raises:
        FileProblem: the real path of ``folder/relative`` is not inside ``folder``.
    """
    base = Path(os.path.realpath(folder))
    target = Path(os.path.realpath(Path(folder) / relative))
    if target != base and base not in target.parents:
        raise _problem(
            Path(folder) / relative,
            "leads out of its folder (a symbolic link, or '..'): it is not followed",
        )
    return target


def read_inside(
    folder: str | Path, relative: str | Path, *, limit: int = RUN_INPUT_LIMIT, what: str = "file"
) -> bytes:
    """Bytes of ``folder/relative``, a regular file that really lies inside ``folder``."""
    return read_bytes(inside(folder, relative), limit=limit, what=what, follow=False)
