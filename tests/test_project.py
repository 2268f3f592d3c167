"""Promises of the project itself: a pure engine, a public API that matches its docs."""

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_nothing_under_engine_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "engine").rglob("*.py")
        if re.search(r"^\s*(import|from)\s+streamlit", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_cv2_is_imported_only_inside_engine_vision():
    offenders = [
        str(path.relative_to(ROOT))
        for path in list((ROOT / "engine").rglob("*.py")) + list((ROOT / "pages").rglob("*.py"))
        if re.search(r"^\s*(import|from)\s+cv2", path.read_text(), re.MULTILINE)
        and "vision" not in path.relative_to(ROOT).parts
    ]
    assert offenders == []


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--quiet", str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_errors_share_one_root_and_input_errors_are_value_errors():
    from engine import CardError, FeltError, ImageError, RangeError, RulesError, StoreError

    for cls in (CardError, RangeError, RulesError, ImageError):
        assert issubclass(cls, FeltError) and issubclass(cls, ValueError)
    assert issubclass(StoreError, FeltError)


def test_cli_without_a_command_exits_2_with_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "engine", "nonsense"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
