"""The corpus of broken scenarios: every student mistake gets an exact, useful message.

Each file in ``tests/broken/`` is one realistic mistake. :data:`CASES` holds the
exact stderr line(s) expected for it (paths are shown relative to ``tests/``,
as a student running ``sim validate broken/x.yaml`` there would see them).
Two more cases (a file over 1 MB, nesting 10,000 deep) are generated into a
temporary folder instead of being committed.

For every case, through real processes:

* ``sim validate FILE`` exits 2 and prints exactly the expected lines (then the
  "N of M files have errors" footer), no traceback;
* ``sim run FILE --out DIR`` exits 2 with the same lines and writes nothing:
  neither ``DIR`` nor a hidden ``.DIR.partial-*`` staging sibling remains.

To keep CI fast, both commands run in processes forked from one warm
interpreter, calling the same ``sim.cli.main.main``; a few representative
cases also run as plain ``python -m sim validate`` and ``python -m sim run``
subprocesses (the slowest cold ``sim validate`` is printed), and
``SIM_CORPUS_FULL=1`` runs every case that way.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from sim.errors import ScenarioError
from sim.scenario import yamlsafe
from sim.scenario.loader import load_scenario
from tests.conftest import REPO, one_of

TESTS = Path(__file__).resolve().parents[1]
BROKEN = TESTS / "broken"
FOOTER = "1 of 1 file has errors"
FULL = bool(os.environ.get("SIM_CORPUS_FULL")) or not hasattr(os, "fork")

# Expected stderr, by file under tests/broken/. A tuple is several lines, in order.
CASES: dict[str, str | tuple[str, ...]] = {
    "actors_as_list.yaml": (
        "broken/actors_as_list.yaml:4:3: actors: expected a mapping of keys, got a list"
    ),
    "alias_bomb.yaml": (
        "broken/alias_bomb.yaml:4:8: aliases (*a) are not supported: write the value out in full"
    ),
    "alignment_out_of_range.yaml": (
        "broken/alignment_out_of_range.yaml:10:21: relationships.china.us.alignment: must be "
        "at least -1.0 (got -1.5)"
    ),
    "bad_colour.yaml": (
        "broken/bad_colour.yaml:6:13: actors.china.colour: 'red' is not a colour: write it "
        "as '#rrggbb', e.g. '#d62728'"
    ),
    "bad_indentation.yaml": (
        "broken/bad_indentation.yaml:6:11: YAML syntax: mapping values are not allowed here "
        "(check the indentation of this line against the lines above, and that the key above "
        "it ends with ':')"
    ),
    "between_same_actor.yaml": (
        "broken/between_same_actor.yaml:13:18: injects.hotline.effects.0.channel: 'between' "
        "needs two different actors"
    ),
    "bom.yaml": (
        "broken/bom.yaml:1:1: file starts with a byte-order mark: save it as UTF-8 without BOM"
    ),
    "capital_actor_id.yaml": (
        "broken/capital_actor_id.yaml:4:3: actors.China: 'China' is not a valid identifier: "
        "use lower case letters, digits and '_', starting with a letter"
    ),
    "comment_only.yaml": (
        "broken/comment_only.yaml:1:1: file is empty: a scenario needs at least a title and actors"
    ),
    "condition_about_missing.yaml": (
        "broken/condition_about_missing.yaml:13:11: injects.talks.when.all.0: metric "
        "'belief' needs 'about' (whom the belief is about)"
    ),
    "control_character.yaml": (
        "broken/control_character.yaml:3:29: character U+000B is not allowed in a YAML file: "
        "delete it"
    ),
    "cycle/a.yaml": (
        "broken/cycle/b.yaml:1:10: extends: cycle in 'extends' (a.yaml -> b.yaml -> a.yaml): "
        "one of these files must not extend another"
    ),
    "cycle/b.yaml": (
        "broken/cycle/a.yaml:1:10: extends: cycle in 'extends' (b.yaml -> a.yaml -> b.yaml): "
        "one of these files must not extend another"
    ),
    "duplicate_actor.yaml": (
        "broken/duplicate_actor.yaml:8:3: duplicate key 'china' (first at line 4): keep one of them"
    ),
    "duplicate_key_posture.yaml": (
        "broken/duplicate_key_posture.yaml:9:7: duplicate key 'resolve' (first at line 7): "
        "keep one of them"
    ),
    "effect_two_keys.yaml": (
        "broken/effect_two_keys.yaml:13:9: injects.alarm.effects.0: an effect has exactly "
        "one of: move, norms, tension, posture, alignment, channel (got norms, tension); "
        "split it into separate effects"
    ),
    "empty.yaml": (
        "broken/empty.yaml:1:1: file is empty: a scenario needs at least a title and actors"
    ),
    "exponent_posture.yaml": (
        "broken/exponent_posture.yaml:7:18: actors.china.posture.restraint.value: must be at "
        "most 1.0 (got 1000.0)"
    ),
    "extends_missing.yaml": (
        "broken/extends_missing.yaml:1:10: extends: no scenario file 'flagship.yaml' here: "
        "check the spelling (the parent must be in the same folder)"
    ),
    "fraction_turns.yaml": (
        "broken/fraction_turns.yaml:3:8: turns: expected a whole number, got 12.5: use a "
        "whole number"
    ),
    "inf_value.yaml": (
        "broken/inf_value.yaml:9:10: dynamics.noise: must be a finite number, got inf"
    ),
    "list_for_mapping.yaml": (
        "broken/list_for_mapping.yaml:6:14: actors.china.posture: expected a mapping of "
        "keys, got a list"
    ),
    "mapping_for_list.yaml": (
        "broken/mapping_for_list.yaml:7:7: actors.china.moves: expected a list, got a mapping"
    ),
    "missing_actors.yaml": (
        "broken/missing_actors.yaml:1:1: actors: required key 'actors' is missing: add it"
    ),
    "missing_colon.yaml": (
        "broken/missing_colon.yaml:5:9: YAML syntax: mapping values are not allowed here "
        "(check the indentation of this line against the lines above, and that the key above "
        "it ends with ':')"
    ),
    "missing_condition_op.yaml": (
        "broken/missing_condition_op.yaml:13:11: injects.talks.when.all.0.op: required key "
        "'op' is missing: add it"
    ),
    "missing_inject_effects.yaml": (
        "broken/missing_inject_effects.yaml:10:5: injects.drill.effects: required key "
        "'effects' is missing: add it"
    ),
    "missing_move_label.yaml": (
        "broken/missing_move_label.yaml:10:5: moves.port_call.label: required key 'label' is "
        "missing: add it"
    ),
    "missing_title.yaml": (
        "broken/missing_title.yaml:2:3: metadata.title: required key 'title' is missing: add it"
    ),
    "nan_value.yaml": (
        "broken/nan_value.yaml:7:16: actors.china.posture.hedging.value: must be a finite "
        "number, got nan"
    ),
    "negative_cost.yaml": (
        "broken/negative_cost.yaml:14:11: moves.port_call.cost: must be at least 0.0 (got -0.2)"
    ),
    "non_utf8.yaml": (
        "broken/non_utf8.yaml:5:14: byte 0xef is not valid UTF-8: save the file as UTF-8"
    ),
    "norway.yaml": (
        "broken/norway.yaml:3:20: use_default_moves: expected true or false, got text 'no'"
    ),
    "number_for_text.yaml": (
        "broken/number_for_text.yaml:5:11: actors.china.name: expected text, got 42: put it "
        "in quotes if it is meant as text"
    ),
    "one_actor.yaml": (
        "broken/one_actor.yaml:4:3: actors: needs at least 2 entries, got 1: add more"
    ),
    "outside/child.yaml": (
        "broken/outside/child.yaml:1:10: extends: "
        "'../../../scenarios/dec2025_joint_drill.yaml' is outside this scenario's folder: a "
        "variant may only extend a file in the same folder (copy the parent next to it), "
        "or a bundled scenario as bundled:ID"
    ),
    "pair_declared_twice.yaml": (
        "broken/pair_declared_twice.yaml:12:12: relationships.us.china: pair declared twice "
        "(also as relationships.china.us): pairs are unordered, so us.china and china.us are "
        "one pair; keep relationships.china.us and move this entry's fields into it"
    ),
    "policy_typo.yaml": (
        "broken/policy_typo.yaml:6:13: actors.china.policy.kind: 'tit-for-tat' is not one of "
        "{policy_kinds}; did you mean 'tit_for_tat'?"
    ),
    "posture_out_of_range.yaml": (
        "broken/posture_out_of_range.yaml:7:16: actors.china.posture.resolve.value: must be "
        "at most 1.0 (got 1.2)"
    ),
    "python_tag.yaml": (
        "broken/python_tag.yaml:2:10: metadata.title: the tag "
        "!!python/object/apply:os.system is not allowed in scenario files: remove it and "
        "write a plain value"
    ),
    "quoted_number.yaml": (
        "broken/quoted_number.yaml:3:8: turns: expected a whole number, got text '20': "
        "remove the quotes"
    ),
    "scripted_without_script.yaml": (
        "broken/scripted_without_script.yaml:6:13: actors.china.policy: kind 'scripted' "
        "needs a 'script' mapping turn -> move"
    ),
    "several_mistakes.yaml": (
        "broken/several_mistakes.yaml:3:8: turns: must be at least 1 (got -5)",
        (
            "broken/several_mistakes.yaml:8:16: actors.china.posture.resolve.value: must be "
            "at most 1.0 (got 1.2)"
        ),
        (
            "broken/several_mistakes.yaml:9:7: actors.china.posture.restrain: unknown key "
            "'restrain'; did you mean 'restraint'?"
        ),
        (
            "broken/several_mistakes.yaml:12:13: actors.us.policy.kind: 'hawks' is not one "
            "of 'adaptive', 'richardson', 'tit_for_tat', 'generous_tit_for_tat', "
            "'contrite_tit_for_tat', 'hawk', 'dove', 'hedger' or 'scripted'; did you mean "
            "'hawk'?"
        ),
    ),
    "tab_indent.yaml": (
        "broken/tab_indent.yaml:5:1: tab used for indentation: YAML allows spaces only; "
        "replace tabs with spaces"
    ),
    "text_for_number.yaml": (
        "broken/text_for_number.yaml:7:16: actors.china.posture.resolve: expected a number, "
        "or a mapping with 'value:', got text 'high': write a number from 0 to 1, e.g. 0.6"
    ),
    "top_level_list.yaml": (
        "broken/top_level_list.yaml:1:1: the file holds a list; a scenario is a mapping: write "
        "top-level keys such as 'metadata:', 'actors:', 'turns:' at the left margin"
    ),
    "trigger_missing.yaml": (
        "broken/trigger_missing.yaml:11:11: injects.drill.when: give a 'turn', or conditions "
        "under 'all' or 'any'"
    ),
    "turns_zero.yaml": "broken/turns_zero.yaml:3:8: turns: must be at least 1 (got 0)",
    "typo_actor_key.yaml": (
        "broken/typo_actor_key.yaml:6:5: actors.china.postur: unknown key 'postur'; did you "
        "mean 'posture'?"
    ),
    "typo_condition_key.yaml": (
        "broken/typo_condition_key.yaml:13:12: injects.talks.when.all.0.metrc: unknown key "
        "'metrc'; did you mean 'metric'?"
    ),
    "typo_dynamics_key.yaml": (
        "broken/typo_dynamics_key.yaml:9:3: dynamics.reactivty: unknown key 'reactivty'; did "
        "you mean 'reactivity'?"
    ),
    "typo_effect_key.yaml": (
        "broken/typo_effect_key.yaml:13:30: injects.alarm.effects.0.tension.detla: unknown "
        "key 'detla'; did you mean 'delta'?"
    ),
    "typo_inject_key.yaml": (
        "broken/typo_inject_key.yaml:12:5: injects.drill.efects: unknown key 'efects'; did "
        "you mean 'effects'?"
    ),
    "typo_move_key.yaml": (
        "broken/typo_move_key.yaml:10:5: moves.port_call.lable: unknown key 'lable'; did you "
        "mean 'label'?"
    ),
    "typo_posture_key.yaml": (
        "broken/typo_posture_key.yaml:7:7: actors.china.posture.resolv: unknown key "
        "'resolv'; did you mean 'resolve'?"
    ),
    "typo_relationship_key.yaml": (
        "broken/typo_relationship_key.yaml:11:7: relationships.china.us.alignmnet: unknown "
        "key 'alignmnet'; did you mean 'alignment'?"
    ),
    "typo_top_key.yaml": (
        "broken/typo_top_key.yaml:3:1: turn: unknown key 'turn'; did you mean 'turns'?"
    ),
    "unclosed_quote.yaml": (
        "broken/unclosed_quote.yaml:2:10: YAML syntax: the quote that opens here is never "
        "closed (add the closing quote, or remove this one)"
    ),
    "unknown_actor_between.yaml": (
        "broken/unknown_actor_between.yaml:13:38: "
        "injects.summit.effects.0.alignment.between.1: unknown actor 'rusia'; did you mean "
        "'russia'? (known: china, russia)"
    ),
    "unknown_actor_condition.yaml": (
        "broken/unknown_actor_condition.yaml:13:46: injects.talks.when.any.0.about: unknown "
        "actor 'prc' (known: china, us)"
    ),
    "unknown_actor_move_effect.yaml": (
        "broken/unknown_actor_move_effect.yaml:13:23: injects.drill.effects.0.move.actor: "
        "unknown actor 'chian'; did you mean 'china'? (known: china, us)"
    ),
    "unknown_actor_move_target.yaml": (
        "broken/unknown_actor_move_target.yaml:14:15: moves.port_call.targets.0: unknown "
        "actor 'taiwan' (known: china, us)"
    ),
    "unknown_actor_relationship.yaml": (
        "broken/unknown_actor_relationship.yaml:10:5: relationships.china.usa: unknown "
        "actor 'usa'; did you mean 'us'? (known: china, us)"
    ),
    "unknown_actor_tension_effect.yaml": (
        "broken/unknown_actor_tension_effect.yaml:13:26: "
        "injects.alarm.effects.0.tension.actor: unknown actor 'japan' (known: china, us)"
    ),
    "unknown_metric.yaml": (
        "broken/unknown_metric.yaml:13:20: injects.talks.when.all.0.metric: 'anger' is not "
        "one of {metrics}"
    ),
    "unknown_move_effect.yaml": (
        "broken/unknown_move_effect.yaml:13:36: injects.drill.effects.0.move.move: unknown "
        "move 'missile_drill'; did you mean 'joint_missile_defence_drill' or "
        "'missile_defence_announcement'? (known moves with 'missile' or 'drill': "
        "joint_missile_defence_drill, missile_defence_announcement, live_fire_drill; "
        "17 moves in all)"
    ),
    "unknown_move_repertoire.yaml": (
        "broken/unknown_move_repertoire.yaml:6:19: actors.china.moves.1: unknown move "
        "'statement_of_concen'; did you mean 'statement_of_concern'? (12 known moves)"
    ),
    "unknown_move_script.yaml": (
        "broken/unknown_move_script.yaml:9:12: actors.china.policy.script.1: unknown move "
        "'joint_drill' (known: arms_control_proposal, exercise_pre_notification, "
        "reassurance_statement, hold, statement_of_concern, alliance_consultation, "
        "command_post_exercise, partner_exercise, deployment_notice, live_fire_exercise, "
        "activity_pause, explicit_threat)"
    ),
}


def _oversize() -> bytes:
    head = b"metadata:\n  title: Drill week\n  notes: >-\n"
    line = b"    " + b"a long pasted article " * 4 + b"\n"
    body = line * (yamlsafe.MAX_BYTES // len(line) + 1)
    return head + body + b"actors:\n  china: {name: China}\n  us: {name: US}\n"


def _deep() -> bytes:
    return b"metadata:\n  title: Drill week\nactors: " + b"[" * 10_000 + b"\n"


GENERATED: dict[str, tuple[Callable[[], bytes], str]] = {
    "oversize.yaml": (
        _oversize,
        "broken/oversize.yaml: the scenario file is 1,000,119 bytes; the limit is "
        "1,000,000 bytes: check that it is the right file",
    ),
    "deep_nesting.yaml": (
        _deep,
        "broken/deep_nesting.yaml:3:72: nesting deeper than 64 levels: flatten the structure",
    ),
}

# Problems of the file as YAML text: no scenario field to name.
WHOLE_FILE = {
    "alias_bomb.yaml",
    "bad_indentation.yaml",
    "bom.yaml",
    "comment_only.yaml",
    "control_character.yaml",
    "deep_nesting.yaml",
    "duplicate_actor.yaml",
    "duplicate_key_posture.yaml",
    "empty.yaml",
    "missing_colon.yaml",
    "non_utf8.yaml",
    "oversize.yaml",
    "tab_indent.yaml",
    "top_level_list.yaml",
    "unclosed_quote.yaml",
}
# Words that tell the student what to do (or what is allowed).
FIX = re.compile(
    r"did you mean|add |remove|use |keep |replace|save |check |write |split|flatten|put it"
    r"|give |delete|shorten|copy |must be|must not|needs|expected |is not one of|allowed"
    r"|known: |is not a colour|only apply"
)
LINE = re.compile(
    r"^(?P<file>broken/[\w/.-]+\.yaml)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<rest>.+)$"
)
# Cases also run as a plain `python -m sim run` subprocess in CI (one of each kind).
PLAIN_RUN = {"typo_actor_key.yaml", "tab_indent.yaml", "unknown_move_effect.yaml"}


def registered_lists() -> dict[str, str]:
    """The registries' name lists, so no expected message pins a whole list of names."""
    from sim.scenario.metrics import declared as metrics
    from sim.scenario.policies import kind_names

    return {"policy_kinds": one_of(kind_names()), "metrics": one_of(list(metrics()))}


def expected_lines(case: str) -> list[str]:
    value = CASES[case] if case in CASES else GENERATED[case][1]
    lines = [value] if isinstance(value, str) else list(value)
    lists = registered_lists()
    return [line.format(**lists) if "{" in line else line for line in lines]


def without_name_lists(line: str) -> str:
    """A message with its list of allowed names elided (docs quote it as of when written)."""
    return re.sub(r"is not one of '[^;]*", "is not one of …", line)


def normalise(text: str) -> list[str]:
    """Stderr lines with any absolute prefix before ``broken/`` removed."""
    return [re.sub(r"^\S*?(?=broken/)", "", line) for line in text.splitlines() if line]


def env() -> dict[str, str]:
    return dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO))


# ------------------------------------------------------------------ running the cases


def _validate(cwd: Path, rel: str) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", rel],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env(),
        timeout=60,
    )
    return {
        "rc": done.returncode,
        "stdout": done.stdout,
        "stderr": done.stderr,
        "seconds": time.perf_counter() - started,
    }


def _plain_run(cwd: Path, rel: str, out: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", rel, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env(),
        timeout=60,
    )
    return {"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


# One warm interpreter forks a child per job; the child runs the real CLI entry point
# with its own cwd and its stdout and stderr sent to files, and exits with main()'s status.
FORK_DRIVER = r"""
import json, os, sys, time, traceback
import sim.cli.main, sim.model.mesa_model, sim.outputs.run_folder, sim.outputs.figures
jobs = json.load(sys.stdin)
results = []
for cwd, argv, out_log, err_log in jobs:
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            os.chdir(cwd)
            for fd, log in ((1, out_log), (2, err_log)):
                os.dup2(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            code = sim.cli.main.main(argv)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    results.append([os.waitstatus_to_exitcode(status), time.perf_counter() - started])
json.dump(results, sys.stdout)
"""


def _forked(jobs: list[tuple[Path, list[str], Path]]) -> list[dict[str, Any]]:
    """Run each ``(cwd, argv, log stem)`` job in a process forked from one warm interpreter."""
    if not jobs:
        return []
    payload = json.dumps([[str(c), argv, f"{log}.out", f"{log}.err"] for c, argv, log in jobs])
    done = subprocess.run(
        [sys.executable, "-c", FORK_DRIVER],
        input=payload,
        capture_output=True,
        text=True,
        env=env(),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = []
    for (_, _, log), (rc, seconds) in zip(jobs, json.loads(done.stdout), strict=True):
        results.append(
            {
                "rc": rc,
                "stdout": Path(f"{log}.out").read_text(encoding="utf-8"),
                "stderr": Path(f"{log}.err").read_text(encoding="utf-8"),
                "seconds": seconds,
            }
        )
    return results


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Run every case once (validate and run), in parallel where it helps."""
    generated = tmp_path_factory.mktemp("generated")
    (generated / "broken").mkdir()
    for name, (make, _) in GENERATED.items():
        (generated / "broken" / name).write_bytes(make())
    places = {case: (TESTS, f"broken/{case}") for case in CASES}
    places |= {case: (generated, f"broken/{case}") for case in GENERATED}
    outs = tmp_path_factory.mktemp("runs")
    logs = tmp_path_factory.mktemp("logs")
    results: dict[str, dict[str, Any]] = {}
    runs, checks = [], []
    cold = {case for case in places if FULL or case in PLAIN_RUN}  # fresh `python -m sim`
    for i, case in enumerate(sorted(places)):
        cwd, rel = places[case]
        results[case] = {"out": outs / f"case{i}" / "run"}
        results[case]["out"].parent.mkdir()
        runs.append((cwd, ["run", rel, "--out", str(results[case]["out"])], logs / f"run{i}"))
        if case not in cold:
            checks.append((cwd, ["validate", rel], logs / f"validate{i}"))
    workers = max(2, min(4, os.cpu_count() or 2))
    with ThreadPoolExecutor(workers) as pool:
        validated = {case: pool.submit(_validate, *places[case]) for case in sorted(cold)}
        plain = {
            case: pool.submit(_plain_run, *places[case], results[case]["out"].with_name("plain"))
            for case in sorted(cold)
        }
        forked_checks = pool.submit(_forked, checks)
        forked_runs = pool.submit(_forked, [] if FULL else runs)
        for case, future in validated.items():
            results[case]["validate"] = future.result()
        for case, future in plain.items():
            results[case]["plain"] = future.result()
        warm = [case for case in sorted(places) if case not in cold]
        for case, result in zip(warm, forked_checks.result(), strict=True):
            results[case]["validate"] = result
        for case, result in zip(sorted(places), forked_runs.result(), strict=False):
            results[case]["run"] = result
    slowest = max(places, key=lambda c: results[c]["validate"]["seconds"])
    print(
        f"\nbroken corpus: {len(places)} cases; slowest `sim validate` "
        f"{results[slowest]['validate']['seconds']:.2f} s ({slowest}), "
        f"{workers} in parallel"
    )
    return results


ALL = sorted([*CASES, *GENERATED])


def test_the_table_and_the_folder_agree() -> None:
    on_disk = {str(p.relative_to(BROKEN)) for p in BROKEN.rglob("*.yaml")}
    assert on_disk == set(CASES)
    assert len(ALL) >= 40


def check_lines(case: str, lines: list[str]) -> None:
    allowed = {f"broken/{case}"}
    if "/" in case:  # a folder of files that extend each other
        folder = case.rsplit("/", 1)[0]
        allowed |= {f"broken/{folder}/{p.name}" for p in (BROKEN / folder).glob("*.yaml")}
    for line in lines:
        m = LINE.match(line)
        assert m, f"{case}: not 'file:line:col: ...': {line!r}"
        assert m["file"] in allowed, line
        assert FIX.search(m["rest"]), f"{case}: says what is wrong but not what to do: {line}"
        if case not in WHOLE_FILE:
            assert m["line"] and int(m["line"]) > 0, f"{case}: no position: {line}"
            field, _, message = m["rest"].partition(": ")
            assert re.fullmatch(r"[\w.-]+", field) and message, f"{case}: no field: {line}"


@pytest.mark.parametrize("case", ALL)
def test_validate(case: str, outcomes: dict[str, dict[str, Any]]) -> None:
    got = outcomes[case]["validate"]
    assert "Traceback" not in got["stderr"]
    assert got["rc"] == 2, got
    assert got["stdout"] == ""
    lines = normalise(got["stderr"])
    assert lines[-1] == FOOTER
    assert lines[:-1] == expected_lines(case)
    check_lines(case, lines[:-1])


@pytest.mark.parametrize("case", ALL)
def test_run_refuses_and_writes_nothing(case: str, outcomes: dict[str, dict[str, Any]]) -> None:
    assert {"run", "plain"} & set(outcomes[case]), "sim run was not tried"
    for how in ("run", "plain"):
        if how not in outcomes[case]:
            continue
        got = outcomes[case][how]
        assert "Traceback" not in got["stderr"]
        assert got["rc"] == 2, got
        assert normalise(got["stderr"]) == expected_lines(case)
    out: Path = outcomes[case]["out"]
    assert not out.exists()
    assert list(out.parent.iterdir()) == [], "a staging folder or partial output was left"


# ------------------------------------------------------------------ not errors


def test_norway_words_as_actor_ids_and_text_still_load(tmp_path: Path) -> None:
    path = tmp_path / "norway_ok.yaml"
    path.write_text(
        "metadata:\n  title: Nordic week\nactors:\n  no:\n    name: Norway\n    voice: off\n"
        "  yes:\n    name: Yes-land\n    bloc: on\nrelationships:\n  no:\n    yes: "
        "{alignment: 0.5}\n",
        encoding="utf-8",
    )
    s = load_scenario(path)
    assert s.actor_ids == ["no", "yes"]
    assert s.actors["no"].voice == "off" and s.actors["yes"].bloc == "on"
    assert s.relationships["no"]["yes"].alignment == 0.5


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    head = b"metadata:\n  title: Drill week\nactors:\n  china: {name: China}\n  us: {name: US}\n"
    path = tmp_path / "limit.yaml"
    path.write_bytes(head + b"#" * (yamlsafe.MAX_BYTES - len(head) - 1) + b"\n")
    assert path.stat().st_size == yamlsafe.MAX_BYTES
    assert load_scenario(path).metadata.title == "Drill week"
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(ScenarioError, match="the limit is 1,000,000 bytes"):
        load_scenario(path)


# ------------------------------------------------------------------ --set overrides

OVERRIDES = {
    "turns=0": "--set turns=0: turns: must be at least 1 (got 0)",
    "actors.red.posture.resolv=0.9": (
        "--set actors.red.posture.resolv=0.9: actors.red.posture.resolv: unknown key 'resolv'; "
        "did you mean 'resolve'?"
    ),
    "metadata.title.text=x": (
        "--set metadata.title.text=x: metadata.title: expected text, got a mapping: put it in "
        "quotes if it is meant as text"
    ),
}


@pytest.mark.parametrize("override", sorted(OVERRIDES))
def test_override_errors_name_the_override(override: str, small: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(small, [override])
    assert [str(d) for d in info.value.diagnostics] == [OVERRIDES[override]]


def test_docs_errors_quotes_the_corpus_exactly() -> None:
    """Every corpus message quoted in docs/errors.md is the one `sim` really prints."""
    doc = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    quoted = [line for line in doc.splitlines() if line.startswith("broken/")]
    real = {without_name_lists(line) for case in ALL for line in expected_lines(case)}
    assert len(quoted) >= 40
    assert [q for q in quoted if without_name_lists(q) not in real] == []


@pytest.mark.parametrize(
    ("name", "expected_id"),
    [("Drill (1).yaml", "drill-1"), ("école v2.yaml", "ecole-v2"), ("_draft.yaml", "draft")],
)
def test_any_file_name_gives_a_usable_id(name: str, expected_id: str, tmp_path: Path) -> None:
    """A browser download such as 'Drill (1).yaml' without metadata.id still loads."""
    path = tmp_path / name
    path.write_text(
        "metadata:\n  title: Drill week\nactors:\n  china: {name: China}\n  us: {name: US}\n",
        encoding="utf-8",
    )
    assert load_scenario(path).id == expected_id
