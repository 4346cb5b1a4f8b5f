"""Every read, write, replace and delete of files, in one place.

The rules this module keeps, so that no command has to remember them:

* **Reads are bounded while reading.** Only regular files are read (a device,
  a FIFO or a socket is refused before a byte is read, and opening never
  blocks); at most a limit per kind of file is read, whatever ``stat`` says
  (``/proc`` files report size 0); JSON is checked for depth and duplicate keys
  before it is parsed. Inside a run folder, no symbolic link that leads out
  of the folder is followed.
* **Writes are atomic.** A file is written to a hidden temporary sibling and
  renamed over its name; a folder is built in a hidden staging sibling and
  renamed into place whole. An interrupted write leaves no half-written
  result, and its leftovers are cleaned up the next time.
* **A delete or replace touches only what this tool wrote.** Every output
  folder carries ``manifest.json`` with this tool's marker and the list of
  files it wrote (relative paths). ``--force`` replaces a folder only when
  that manifest is there and lists every file in the folder; it never replaces
  a file, a link, a device, ``/``, the home folder, the current folder (or one
  that holds it) or the system temp folder.

Every problem is a :class:`FileProblem` (a :class:`~sim.errors.SimError`:
exit status 2 on the command line) whose message says what, why, and what to
do.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import RunFolderError

TOOL = "strategy-dialogue-sim"
"""The marker in every manifest this tool writes (its ``tool`` field)."""

MANIFEST = "manifest.json"
"""Name of the manifest in every output folder."""

STAGING_MARK = ".sim-staging"
"""File written first into every staging folder: proof that the tool made it."""

# Limits per kind of file read, in bytes. A scenario is text a person wrote; a
# run folder's tables grow with actors x turns (a 1,000-actor, 100-turn run's
# metrics.csv is a few hundred MB).
SCENARIO_LIMIT = 1_000_000
MOVES_LIMIT = 1_000_000
SAVE_LIMIT = 16_000_000
MANIFEST_LIMIT = 4_000_000
RUN_INPUT_LIMIT = 768 * 1024 * 1024
JSON_DEPTH = 64
"""Deepest nesting of JSON arrays and objects accepted (as for YAML)."""


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file: 0o666 less this process's umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()
"""Mode of every file written atomically (temporary files start private, at 0o600)."""


class FileProblem(RunFolderError):
    """A file or folder cannot be read, written or replaced (exit status 2).

    Attributes:
        path: The path as the user should read it.
        why: What is wrong and what to do, without the path.
    """

    def __init__(self, message: str, path: str = "", why: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.why = why or message


# ------------------------------------------------------------------ messages


_ADVICE = {
    errno.ENOSPC: "no space left on the device: free some space, or write somewhere else",
    errno.EDQUOT: "the disk quota is used up: free some space, or write somewhere else",
    errno.EROFS: "the file system is read-only: write somewhere else",
    errno.EACCES: "permission denied: choose a place you can write to, or fix its permissions",
    errno.EPERM: "not permitted: choose a place you can write to",
    errno.ENAMETOOLONG: "a name in the path is too long: choose a shorter one",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another path",
    errno.ELOOP: "too many levels of symbolic links: give the real path",
    errno.EISDIR: "is a folder, not a file: give a file's path",
    errno.ENOENT: "no such file or folder: check the path",
    errno.EEXIST: "already exists: choose another name",
    errno.EXDEV: "the staging folder is on another file system: choose another path",
    errno.EMFILE: "too many open files: close some programs and try again",
    errno.EIO: "input/output error from the device: check the disk",
}


def explain(exc: OSError) -> str:
    """Why an OS call failed and what to do, in one phrase (no traceback, no errno)."""
    if exc.errno in _ADVICE:
        return _ADVICE[exc.errno]
    return (exc.strerror or str(exc)).lower()


def shown(path: str | Path) -> str:
    """A path as the user should read it: relative to the current folder when inside it."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _problem(path: str | Path, why: str) -> FileProblem:
    return FileProblem(f"{shown(path)}: {why}", shown(path), why)


# ------------------------------------------------------------------- reading


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


# ------------------------------------------------------------------- writing


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
    path = Path(path)
    _check_replace_file(path, replace)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = _temp_beside(path)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _problem(path, f"cannot write: {explain(exc)}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


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
def writing(path: str | Path) -> Iterator[Path]:
    """A temporary sibling to write with a library (numpy, pandas), then renamed over ``path``.

    The temporary file is removed if the block fails.
    """
    path = Path(path)
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


# ------------------------------------------------------------ output folders


@dataclass(slots=True)
class Staging:
    """A folder being written; it becomes the output folder only when the block succeeds.

    Attributes:
        path: The hidden staging folder: write every file of the output here.
        target: Where the folder will appear.
        manifest: Content of ``manifest.json`` (this tool's marker and the list
            of files are added when the folder is committed).
    """

    path: Path
    target: Path
    manifest: dict[str, Any] = field(default_factory=dict)


def check_target(folder: str | Path, *, force: bool, option: str = "--out") -> None:
    """Refuse, before any work, a destination that may not be written.

    Raises:
        FileProblem: it exists and ``force`` is false; or ``force`` is given
            and the folder is not one this tool wrote (see :func:`owned_files`).
    """
    folder = Path(folder)
    if not _exists(folder):
        _check_parent(folder)
        return
    if not force:
        raise _problem(
            folder,
            f"already exists: choose another {option}, or add --force to replace a folder "
            "that sim wrote",
        )
    owned_files(folder)


def _exists(path: Path) -> bool:
    try:
        path.lstat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _problem(path, f"cannot use this path: {explain(exc)}") from None
    return True


def _check_parent(folder: Path) -> None:
    """The folder can be created: its parent is a folder, or can be made one."""
    if "\0" in str(folder):
        raise _problem(str(folder).replace("\0", "\\0"), "the name holds a NUL character")
    for parent in [folder.parent, *folder.parent.parents]:
        try:
            info = parent.lstat() if str(parent) else Path(".").lstat()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise _problem(parent, f"cannot use this path: {explain(exc)}") from None
        if stat.S_ISLNK(info.st_mode):
            if not parent.is_dir():
                raise _problem(parent, "is a dangling or non-folder link: choose another path")
        elif not stat.S_ISDIR(info.st_mode):
            raise _problem(parent, "is a file, not a folder: choose another path")
        return


def _protected(folder: Path) -> str | None:
    """Why ``folder`` may never be replaced, or None."""
    real = Path(os.path.realpath(folder))
    cwd = Path.cwd().resolve()
    home = Path.home().resolve()
    named = {
        Path(real.anchor): "the root folder",
        home: "your home folder",
        Path(os.path.realpath(tempfile.gettempdir())): "the system temp folder",
    }
    if real in named:
        return named[real]
    if real == cwd or real in cwd.parents:
        return "the current folder (or one that holds it)"
    if real in home.parents:
        return "a folder that holds your home folder"
    return None


def owned_files(folder: str | Path) -> list[str]:
    """The files of an output folder this tool wrote, after checking that it wrote them all.

    Returns:
        Every file's path relative to ``folder`` (POSIX), ``manifest.json`` included.

    Raises:
        FileProblem: ``folder`` is a link, not a folder, a protected folder, has
            no manifest with this tool's marker, or holds anything the manifest
            does not list (the message names it).
    """
    folder = Path(folder)
    try:
        info = folder.lstat()
    except OSError as exc:
        raise _problem(folder, f"cannot use this path: {explain(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise _problem(folder, "is a symbolic link: --force never replaces a link")
    if not stat.S_ISDIR(info.st_mode):
        raise _problem(folder, "is not a folder: --force replaces only a folder that sim wrote")
    why = _protected(folder)
    if why:
        raise _problem(folder, f"is {why}: --force never replaces it; choose another --out")
    listed = _listed(folder)
    unlisted: list[str] = []
    links: list[str] = []
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            full = Path(root) / name
            rel = full.relative_to(folder).as_posix()
            if full.is_symlink():
                links.append(rel)
                continue
            if name in dirs:
                if not any(item.startswith(rel + "/") for item in listed):
                    unlisted.append(rel + "/")
                continue
            if rel not in listed:
                unlisted.append(rel)
        dirs[:] = [d for d in dirs if not (Path(root) / d).is_symlink()]
    if links:
        raise _problem(
            folder,
            f"holds symbolic links ({_few(links)}) that sim did not write: --force refuses; "
            "remove them or choose another --out",
        )
    if unlisted:
        raise _problem(
            folder,
            f"holds files sim did not write ({_few(unlisted)}): --force refuses to replace "
            "it; move them elsewhere or choose another --out",
        )
    return sorted(item for item in listed if (folder / item).is_file())


def _few(names: list[str]) -> str:
    names = sorted(names)
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def _listed(folder: Path) -> set[str]:
    """The files ``folder``'s manifest says this tool wrote (relative, POSIX)."""
    path = folder / MANIFEST
    not_ours = (
        f"has no {MANIFEST} written by sim: --force replaces only a folder that sim wrote; "
        "choose another --out"
    )
    try:
        data = read_json(path, limit=MANIFEST_LIMIT, what="manifest")
    except FileProblem:
        raise _problem(folder, not_ours) from None
    if not isinstance(data, dict) or data.get("tool") != TOOL:
        raise _problem(folder, not_ours)
    outputs = data.get("outputs")
    if not isinstance(outputs, list) or not all(isinstance(o, str) for o in outputs):
        raise _problem(folder, not_ours)
    listed = set()
    for item in outputs:
        parts = Path(item).parts
        if not parts or Path(item).is_absolute() or ".." in parts:
            raise _problem(folder, f"its {MANIFEST} lists '{item}', outside the folder: refused")
        listed.add(Path(item).as_posix())
    listed.add(MANIFEST)
    return listed


def _remove_listed(folder: Path, files: list[str]) -> None:
    """Delete the listed files of ``folder``, then its folders that are left empty."""
    for item in files:
        with contextlib.suppress(FileNotFoundError):
            (folder / item).unlink()
    dirs = sorted(
        {
            p
            for item in files
            for p in (folder / item).parents
            if folder in p.parents or p == folder
        },
        key=lambda p: len(p.parts),
        reverse=True,
    )
    for d in dirs:
        with contextlib.suppress(OSError):
            d.rmdir()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>partial|old)-(?P<pid>\d+)$")


def clean_leftovers(parent: str | Path) -> list[str]:
    """Remove staging and replaced folders that interrupted writes left in ``parent``.

    Only entries named ``.<name>.partial-<pid>`` holding this tool's staging
    mark, or ``.<name>.old-<pid>`` holding its manifest, whose process is gone,
    are touched; of an old folder only the files its manifest lists.

    Returns:
        The names removed.
    """
    parent = Path(parent)
    removed: list[str] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(match["pid"])
        if pid != os.getpid() and _alive(pid):
            continue
        path = Path(entry.path)
        if match["kind"] == "partial":
            if not (path / STAGING_MARK).is_file():
                continue
            _remove_staging(path)
        else:
            try:
                files = sorted(_listed(path) & _walk_files(path))
            except FileProblem:
                continue
            _remove_listed(path, files)
        if not path.exists():
            removed.append(entry.name)
    return removed


def _walk_files(folder: Path) -> set[str]:
    return {
        (Path(root) / name).relative_to(folder).as_posix()
        for root, _, names in os.walk(folder)
        for name in names
    }


def _remove_staging(path: Path) -> None:
    """Delete a staging folder this process or a dead one of this tool made."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def output_folder(
    folder: str | Path, *, force: bool = False, option: str = "--out"
) -> Iterator[Staging]:
    """Build an output folder in a hidden staging sibling; put it in place if the block succeeds.

    On success ``manifest.json`` is written with :attr:`Staging.manifest`,
    this tool's marker (``tool``) and ``outputs``: every file in the folder,
    relative. With ``force``, an existing folder is replaced only if
    :func:`owned_files` accepts it, and only its listed files are deleted.
    On failure or interruption nothing appears and the staging folder is removed.

    Raises:
        FileProblem: see :func:`check_target`; or a write failed.
    """
    folder = Path(folder)
    check_target(folder, force=force, option=option)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _problem(folder.parent, f"cannot create the folder: {explain(exc)}") from None
    clean_leftovers(folder.parent)
    staging = folder.parent / f".{folder.name}.partial-{os.getpid()}"
    try:
        staging.mkdir()
        (staging / STAGING_MARK).write_bytes(b"")
    except OSError as exc:
        _remove_staging(staging)
        raise _problem(folder, f"cannot create the folder: {explain(exc)}") from None
    stage = Staging(staging, folder)
    try:
        yield stage
        (staging / STAGING_MARK).unlink()
        written = sorted(_walk_files(staging) - {MANIFEST})
        manifest = {"tool": TOOL, **stage.manifest, "outputs": sorted([MANIFEST, *written])}
        manifest["tool"] = TOOL
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _commit(staging, folder, force=force)
    except OSError as exc:
        _remove_staging(staging)
        raise _problem(folder, f"cannot write: {explain(exc)}") from None
    except BaseException:
        _remove_staging(staging)
        raise


def _commit(staging: Path, folder: Path, *, force: bool) -> None:
    if not _exists(folder):
        os.rename(staging, folder)
        return
    if not force:
        raise _problem(folder, "appeared while it was being written; it was not replaced")
    files = owned_files(folder)
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    os.rename(folder, old)
    try:
        os.rename(staging, folder)
    except BaseException:
        os.rename(old, folder)
        raise
    _remove_listed(old, files)


def add_to_folder(folder: str | Path, name: str, data: bytes | str) -> Path:
    """Write (or replace) one file in an output folder this tool wrote, and list it in its manifest.

    Raises:
        FileProblem: ``folder`` has no manifest of this tool, or ``name``
            exists there without being listed in it (someone else's file).
    """
    folder = Path(folder)
    listed = _listed(folder)
    target = inside(folder, name) if _exists(folder / name) else folder / name
    if _exists(folder / name) and name not in listed:
        raise _problem(
            folder / name, "exists and sim did not write it: it is not replaced; move it away"
        )
    write_atomic(target, data)
    if name not in listed:
        manifest = read_json(folder / MANIFEST, limit=MANIFEST_LIMIT, what="manifest")
        manifest["outputs"] = sorted({*manifest.get("outputs", []), name})
        write_atomic(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
    return target


# ------------------------------------------------------------------- locking


_HELD: dict[str, int] = {}
"""Folders this process holds locked, and the descriptor of each lock."""


def _forget_locks_in_child() -> None:
    # A forked child shares the lock; closing its copy leaves the lock with the
    # parent alone, so the lock still dies with the process that took it.
    for fd in _HELD.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextlib.contextmanager
def locked(folder: str | Path, what: str = "folder") -> Iterator[None]:
    """Hold an exclusive OS lock (``flock``) on ``folder``; it dies with its holder.

    Re-entrant within one process: an inner ``locked`` of a folder this
    process already holds does nothing.

    Raises:
        FileProblem: another process holds it.
    """
    import fcntl

    key = os.path.realpath(folder)
    if key in _HELD:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise _problem(folder, f"cannot open the {what}: {explain(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _problem(
                folder,
                f"another sim process is writing this {what}: wait for it to finish, "
                "or choose another --out",
            ) from None
        _HELD[key] = fd
        try:
            yield
        finally:
            _HELD.pop(key, None)
    finally:
        if key not in _HELD:
            with contextlib.suppress(OSError):
                os.close(fd)
