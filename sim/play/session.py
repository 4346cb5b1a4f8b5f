"""The names of play mode's game, gathered under their old import path.

Play mode is now a small set of modules (see :mod:`sim.play`); this module
keeps ``from sim.play.session import PlaySession, PlayError, load_script ...``
working for code written against it. New code imports from the modules
themselves.
"""

from __future__ import annotations

from sim.play.core import PlaySession, play_seed
from sim.play.save import check_save_target, read_save, save_json, write_save
from sim.play.savefile import (
    OLD_SAVE_FORMATS,
    SAVE_FORMAT,
    SAVE_FORMATS,
    SavedEvent,
    SavedTurn,
    SaveFile,
    save_file_problems,
)
from sim.play.script import ScriptTurn, apply_script, load_script
from sim.play.shapes import (
    BELIEF_WORDS,
    Belief,
    Choice,
    Due,
    HumanMove,
    HumanReading,
    InjectInfo,
    MoveSummary,
    OwnMove,
    PlayError,
    Reading,
    Situation,
    TurnInput,
    TurnSummary,
    belief_word,
)
from sim.play.where import SAVE_ADVICE, Loc, match_name

__all__ = [
    "BELIEF_WORDS",
    "OLD_SAVE_FORMATS",
    "SAVE_ADVICE",
    "SAVE_FORMAT",
    "SAVE_FORMATS",
    "Belief",
    "Choice",
    "Due",
    "HumanMove",
    "HumanReading",
    "InjectInfo",
    "Loc",
    "MoveSummary",
    "OwnMove",
    "PlayError",
    "PlaySession",
    "Reading",
    "SaveFile",
    "SavedEvent",
    "SavedTurn",
    "ScriptTurn",
    "Situation",
    "TurnInput",
    "TurnSummary",
    "apply_script",
    "belief_word",
    "check_save_target",
    "load_script",
    "match_name",
    "play_seed",
    "read_save",
    "save_file_problems",
    "save_json",
    "write_save",
]
