"""The `rasid` program leaves `rasid analyze` and `rasid search` without Python's teardown
(`rasid.cli.main.QUICK_EXIT`): what they print and their exit codes are those of `main`."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rasid.cli.main import main

SEED = Path(__file__).resolve().parents[2] / "src" / "rasid" / "sample" / "paris-2015.txt"


def run_program(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    return subprocess.run([sys.executable, "-m", "rasid", *args], capture_output=True, env=env, timeout=120)


def test_quick_exit_keeps_the_output_and_the_exit_code(tmp_path, capsys):
    assert main(["analyze", str(SEED), "--json"]) == 0
    in_process = capsys.readouterr().out
    program = run_program("analyze", str(SEED), "--json")
    assert program.returncode == 0 and program.stdout.decode("utf-8") == in_process
    doc = json.loads(in_process)
    assert any(doc["text"][s["start"]:s["end"]] == "باريس" for s in doc["layers"]["places"])

    missing = run_program("analyze", str(tmp_path / "none.txt"))
    assert missing.returncode == 3 and "no such file" in missing.stderr.decode("utf-8")

    db = str(tmp_path / "a.db")
    assert main(["ingest", "--db", db, str(SEED)]) == 0
    capsys.readouterr()
    assert main(["search", "--db", db, "--json", "هجوم باريس"]) == 0
    in_process = capsys.readouterr().out
    program = run_program("search", "--db", db, "--json", "هجوم باريس")
    assert program.returncode == 0 and program.stdout.decode("utf-8") == in_process
    assert json.loads(in_process.splitlines()[1])["title"].startswith("هجمات باريس")
