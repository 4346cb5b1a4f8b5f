"""Atomic writes: a temporary sibling, fsync, rename; never over a link, a folder or a device."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sim.files.problems import FILE_MODE, _problem, explain

#: The names :func:`_temp_beside` gives: ``.<name>.<8 random characters>.tmp<suffix>``.
_TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp(\.[^./]+)?")


def temporaries(folder: Path) -> list[Path]:
    """The temporary files an interrupted write of this module left in ``folder``.

    Only regular files named as :func:`writing` names its temporaries; a
    user's own ``.notes.tmp`` does not match.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    return [
        Path(e.path)
        for e in entries
        if _TEMP_NAME.fullmatch(e.name) and e.is_file(follow_symlinks=False)
    ]


def _temp_beside(path: Path) -> tuple[int, Path]:
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name[:80]}.", suffix=f".tmp{path.suffix}", dir=path.parent
        )
    except OSError as exc:
        raise _problem(path, f"cannot write: {explain(exc)}") from None
    return fd, Path(name)


def write_atomic(path: str | Path, data: bytes | str, *, replace: bool = True) -> Path:
    """Write ``data`` to ``path`` whole or not at all (temporary sibling, fsync, rename).

    Args:
        path: The file. Its folder must exist.
        data: Bytes, or text written as UTF-8 with Unix line ends.
        replace: Allow replacing an existing regular file at ``path``. Never
            replaces a folder, a link or a special file.

    Raises:
        FileProblem: the file exists (and ``replace`` is false) or is not a
            regular file, or the write failed (disk full, read-only, ...).
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with writing(path, replace=replace) as tmp, tmp.open("wb") as fh:
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)


def _check_replace_file(path: Path, replace: bool) -> None:
    try:
        info = path.lstat()
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise _problem(path.parent, "no such folder: create it first") from None
        return
    except OSError as exc:
        raise _problem(path, f"cannot write: {explain(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise _problem(path, "is a symbolic link: it is never replaced; choose another name")
    if stat.S_ISDIR(info.st_mode):
        raise _problem(path, "is a folder: give a file name inside it")
    if not stat.S_ISREG(info.st_mode):
        raise _problem(path, "is a device, FIFO or socket: it is never replaced")
    if not replace:
        raise _problem(path, "already exists: choose another name")


@contextlib.contextmanager
def writing(path: str | Path, *, replace: bool = True) -> Iterator[Path]:
    """A temporary sibling to write (directly, or with numpy or pandas), renamed over ``path``.

    The same rules as :func:`write_atomic`: never over a link, a folder or a
    device, and over an existing file only with ``replace``. The temporary
    file is removed if the block fails.
    """
    path = Path(path)
    _check_replace_file(path, replace)
    fd, tmp = _temp_beside(path)
    os.fchmod(fd, FILE_MODE)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _problem(path, f"cannot write: {explain(exc)}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
