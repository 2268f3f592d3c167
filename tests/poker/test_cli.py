"""``python -m engine equity``: JSON on stdout, one line on stderr and exit 2 on bad input."""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "engine", "equity", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_equity_command_prints_the_exact_result_as_json():
    out = _run("AhKh", "QsQd", "--board", "Qh7h2c")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["players"] == ["AhKh", "QsQd"] and data["board"] == "Qh7h2c"
    assert data["exact"] is True and data["samples"] == 990 and data["stderr"] is None
    assert round(data["win"][0] * 990) == 253 and data["tie"] == [0.0, 0.0]
    assert data["equity"][0] + data["equity"][1] == 1.0


def test_trials_and_seed_give_a_repeatable_monte_carlo_result():
    args = ("QQ+, AKs", "random", "--board", "2c7d9h", "--trials", "20000", "--seed", "5")
    first, second = json.loads(_run(*args).stdout), json.loads(_run(*args).stdout)
    assert first == second
    assert first["exact"] is False and first["samples"] == 20000
    assert len(first["stderr"]) == 2 and all(0 < s < 0.01 for s in first["stderr"])


def test_dead_cards_and_forced_exact():
    data = json.loads(_run("8h7h", "AcAd", "--board", "9h6h2c", "--dead", "Th5h", "--exact").stdout)
    assert data["dead"] == "Th5h" and data["samples"] == 903
    assert round(data["win"][0] * 903) == 470


def test_bad_input_exits_2_with_one_line_on_stderr():
    for args in (("AhKh", "AhQd"), ("AhKh", "QsQd", "--board", "Xx"), ("AhKh",)):
        out = _run(*args)
        assert out.returncode == 2
        assert out.stderr.count("\n") == 1 and out.stderr.startswith("error:")
        assert out.stdout == ""
