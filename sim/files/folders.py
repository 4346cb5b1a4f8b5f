"""Output folders: staged, committed whole, and replaced only when this tool wrote every file."""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.files.problems import (
    MANIFEST,
    MANIFEST_LIMIT,
    STAGING_MARK,
    TOOL,
    FileProblem,
    _problem,
    explain,
)
from sim.files.reading import inside, read_json
from sim.files.writing import write_atomic


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
    mark (or empty: a process killed between creating and marking it), or
    ``.<name>.old-<pid>`` holding its manifest, whose process is gone, are
    touched; of an old folder only the files its manifest lists.

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
                # Killed between creating the folder and marking it: an empty folder
                # holds nothing of anyone's, and rmdir refuses any other.
                with contextlib.suppress(OSError):
                    path.rmdir()
                if path.exists():
                    continue
            else:
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


def _remove_staging(path: Path, tries: int = 40) -> None:
    """Delete a staging folder this process or a dead one of this tool made.

    Figure workers forked by this process may still be finishing a file in it
    when an interruption reaches both, so a file can appear while the tree is
    being removed: it is removed again, for up to about two seconds.
    """
    import shutil
    import time

    for _ in range(tries):
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path):
            return
        time.sleep(0.05)


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
    created, action = False, "cannot create the folder"
    try:  # one handler from mkdir on: an interruption at any point removes the staging folder
        staging.mkdir()
        created = True
        (staging / STAGING_MARK).write_bytes(b"")
        stage = Staging(staging, folder)
        action = "cannot write"
        yield stage
        (staging / STAGING_MARK).unlink()
        written = sorted(_walk_files(staging) - {MANIFEST})
        manifest = {"tool": TOOL, **stage.manifest, "outputs": sorted([MANIFEST, *written])}
        manifest["tool"] = TOOL
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _commit(staging, folder, force=force)
    except OSError as exc:
        if created:
            _remove_staging(staging)
        raise _problem(folder, f"{action}: {explain(exc)}") from None
    except BaseException:
        if created:
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
