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

The package's modules: :mod:`~sim.files.reading`, :mod:`~sim.files.writing`,
:mod:`~sim.files.folders` (output folders and ``--force``),
:mod:`~sim.files.locking` and :mod:`~sim.files.problems` (messages, limits and
the marker). Import from ``sim.files``.

Every problem is a :class:`FileProblem` (a :class:`~sim.errors.SimError`:
exit status 2 on the command line) whose message says what, why, and what to
do.
"""

from __future__ import annotations

from sim.files.folders import (
    Staging,
    add_to_folder,
    check_target,
    clean_leftovers,
    output_folder,
    owned_files,
)
from sim.files.locking import LOCK_FILE, locked
from sim.files.problems import (
    FILE_MODE,
    JSON_DEPTH,
    MANIFEST,
    MANIFEST_LIMIT,
    MOVES_LIMIT,
    RUN_INPUT_LIMIT,
    SAVE_LIMIT,
    SCENARIO_LIMIT,
    STAGING_MARK,
    TOOL,
    FileProblem,
    explain,
    shown,
)
from sim.files.reading import (
    decode,
    inside,
    json_depth,
    parse_json,
    read_bytes,
    read_inside,
    read_json,
    read_text,
)
from sim.files.writing import temporaries, write_atomic, writing

__all__ = [
    "FILE_MODE",
    "JSON_DEPTH",
    "LOCK_FILE",
    "MANIFEST",
    "MANIFEST_LIMIT",
    "MOVES_LIMIT",
    "RUN_INPUT_LIMIT",
    "SAVE_LIMIT",
    "SCENARIO_LIMIT",
    "STAGING_MARK",
    "TOOL",
    "FileProblem",
    "Staging",
    "add_to_folder",
    "check_target",
    "clean_leftovers",
    "decode",
    "explain",
    "inside",
    "json_depth",
    "locked",
    "output_folder",
    "owned_files",
    "parse_json",
    "read_bytes",
    "read_inside",
    "read_json",
    "read_text",
    "shown",
    "temporaries",
    "write_atomic",
    "writing",
]
