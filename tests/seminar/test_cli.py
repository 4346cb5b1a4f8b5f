"""``sim seminar`` on the command line: links printed, Ctrl-C writes the run folder, --resume
keeps the links, and --lan inside a private network namespace (never the machine's own
addresses)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest

from tests.seminar.helpers import FLAGSHIP, TEAM_A, TEAM_B

ROOT = Path(__file__).resolve().parents[2]
CANARY = "CANARY-cli-44b0"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["MPLBACKEND"] = "Agg"
    return env


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(args: list[str], cwd: Path) -> tuple[subprocess.Popen[str], dict[str, str], str]:
    """Start ``sim seminar`` and read its links (role -> URL) up to the Ctrl-C line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "seminar", *args],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A test worker may run with SIGINT ignored (inherited, e.g. after a Dask
        # cluster test); the server is then deaf to Ctrl-C. Start it as a shell would.
        preexec_fn=_default_sigint,
    )
    assert proc.stdout is not None
    links: dict[str, str] = {}
    out = []
    for line in proc.stdout:
        out.append(line)
        if "http://" in line:
            name, url = line.rsplit(None, 1)
            links[name.strip().rstrip(":").split(" (")[0]] = url
        if line.startswith("Ctrl-C"):
            break
    else:
        proc.wait(timeout=10)
        raise AssertionError("".join(out))
    return proc, links, "".join(out)


def _post(url: str, action: str, data: dict[str, object]) -> dict[str, object]:
    base, token = url.split("/t/")
    request = urllib.request.Request(
        f"{base}/api/{token}/{action}",
        data=json.dumps(data).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        result: dict[str, object] = json.loads(answer.read())
        return result


@pytest.mark.slow
def test_ctrl_c_writes_the_run_folder_and_resume_keeps_every_link(tmp_path: Path) -> None:
    args = [FLAGSHIP, "--team", TEAM_A, "--team", TEAM_B, "--out", "class", "--seed", "5"]
    proc, links, out = _start([*args, "--no-figures"], tmp_path)
    try:
        assert set(links) == {"Console", "Projector", "China", "United States"}
        assert all(u.startswith("http://127.0.0.1:") for u in links.values())
        assert "--lan" not in out and "anyone on that network" not in out
        _post(links["China"], "submit", {"move": "hold", "text": CANARY})
        assert _post(links["United States"], "submit", {"move": "hold"})["ok"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        tail = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0, tail
    run = tmp_path / "class" / "run"
    assert CANARY in (run / "transcript.md").read_text(encoding="utf-8")
    # the class folder: the run folder with its report and handout, and a brief per team
    assert (run / "report.html").is_file() and (run / "handout.html").is_file()
    briefs = tmp_path / "class" / "briefs"
    assert sorted(p.name for p in briefs.glob("*.html")) == [
        f"brief-{TEAM_A}.html",
        f"brief-{TEAM_B}.html",
    ]
    assert "briefs/" in tail
    assert "--resume class" in tail

    again, same, _ = _start(["--resume", "class", "--no-figures"], tmp_path)
    try:
        assert {k: v.split("/t/")[1] for k, v in same.items()} == {
            k: v.split("/t/")[1] for k, v in links.items()
        }
        with urllib.request.urlopen(same["Projector"], timeout=30) as page:
            assert page.status == 200
    finally:
        again.send_signal(signal.SIGINT)
        again.communicate(timeout=60)
    assert again.returncode == 0


def test_a_new_session_refuses_a_folder_that_holds_one(tmp_path: Path) -> None:
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "room.json").write_text("{}", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "seminar", FLAGSHIP, "--team", TEAM_A, "--out", "class"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--resume class" in done.stderr


INSIDE = """
import json, subprocess, sys, urllib.request, urllib.error
subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
subprocess.run(["ip", "addr", "add", "10.77.0.1/32", "dev", "lo"], check=True)
sys.path.insert(0, {tests!r})
from tests.seminar.test_cli import _start
proc, links, out = _start({args!r}, __import__("pathlib").Path({cwd!r}))
url = links["China"]
port = url.split(":")[2].split("/")[0]
def status(host):
    req = urllib.request.Request(url, headers={{"Host": host}})
    try:
        with urllib.request.urlopen(req, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code
loopback = None
try:
    urllib.request.urlopen(url.replace("10.77.0.1", "127.0.0.1"), timeout=5)
except OSError as exc:
    loopback = type(exc).__name__
result = {{
    "links": links, "out": out, "own": status("10.77.0.1:" + port),
    "other": status("127.0.0.1:" + port), "loopback": loopback,
}}
proc.send_signal(2)
proc.communicate(timeout=60)
print("RESULT " + json.dumps(result))
"""


@pytest.mark.slow
def test_lan_serves_the_named_address_only_and_says_what_it_exposes(tmp_path: Path) -> None:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        pytest.skip("unshare or ip is missing")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("no private network namespace here (unshare -rn refused)")
    args = [FLAGSHIP, "--team", TEAM_A, "--team", TEAM_B, "--lan", "10.77.0.1", "--out", "c"]
    script = tmp_path / "inside.py"
    script.write_text(
        textwrap.dedent(INSIDE).format(tests=str(ROOT), args=args, cwd=str(tmp_path)),
        encoding="utf-8",
    )
    done = subprocess.run(
        ["unshare", "-rn", sys.executable, str(script)],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, done.stdout + done.stderr
    result = json.loads(line.removeprefix("RESULT "))
    assert all(u.startswith("http://10.77.0.1:") for u in result["links"].values())
    assert "anyone on that network who has a link can act as that role" in result["out"]
    assert result["out"].count("China:") >= 2  # the link, and the QR code's heading
    assert "\u2588" in result["out"] or "\u2580" in result["out"]  # a QR code was drawn
    assert result["own"] == 200
    assert result["other"] == 400  # a Host the server was not bound to
    assert result["loopback"] is not None  # nothing listens on 127.0.0.1
