"""``python -m engine sim`` prints the simulation as JSON; bad input is one line, exit 2."""

import json
import pathlib
import subprocess
import sys

from engine.__main__ import main

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_sim_command_prints_json_with_risk_of_ruin(capsys):
    argv = [
        "sim",
        "--rules",
        "6D S17 DAS LS",
        "--count",
        "hilo",
        "--ramp",
        "1:1,2:4,3:8,4:12",
        "--hands",
        "2e5",
        "--strategy",
        "indices",
        "--bankroll",
        "400",
        "--seed",
        "3",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hands"] == 200_000 and out["rules"] == "6D S17 DAS LS 3:2"
    assert out["ev_ci95"][0] < out["ev_per_hand"] < out["ev_ci95"][1]
    assert 1 < out["average_bet"] < 12
    assert 0 < out["risk_of_ruin"]["per_session"] <= out["risk_of_ruin"]["lifetime"] <= 1
    assert out["sessions"]["sessions"] == 2000


def test_sim_command_reshuffling_game(capsys):
    assert main(["sim", "--hands", "50000", "--penetration", "none", "--seed", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["penetration"] is None and out["rounds_dealt"] == 50_000


def test_bad_ramp_is_one_line_on_stderr_and_exit_2():
    result = subprocess.run(
        [sys.executable, "-m", "engine", "sim", "--ramp", "1-2", "--hands", "1000"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "ramp" in result.stderr
    assert result.stdout == ""
