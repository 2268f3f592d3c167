"""``python -m engine bj``: JSON on stdout; bad input is one line on stderr and exit 2."""

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "engine", "bj", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_prints_every_allowed_value_and_the_best_action():
    result = _run("T6", "T", "--rules", "6D S17 DAS LS")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out["values"]) == {"stand", "hit", "double", "surrender"}
    assert out["values"]["stand"] == pytest.approx(-0.540954439, abs=1e-9)
    assert out["best"] == "surrender"
    assert out["rules"] == "6D S17 DAS LS 3:2"


def test_a_shoe_can_be_given_and_an_ace_up_adds_insurance():
    result = _run("8,8", "A", "--rules", "1D S17 DAS", "--shoe", "4,4,4,4,4,4,4,4,4,16")
    out = json.loads(result.stdout)
    assert out["best"] == "split"
    assert out["insurance"]["insurance"] == pytest.approx(3 * 16 / 49 - 1)


@pytest.mark.parametrize(
    "args",
    [("TX", "T"), ("T6", "T", "--rules", "7Z"), ("T6", "T", "--shoe", "1,2"), ("T", "9")],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(args):
    result = _run(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stdout == ""
