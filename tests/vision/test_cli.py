"""``python -m engine.vision``: JSON on stdout, or one line on stderr and exit status 2."""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
HERE = pathlib.Path(__file__).resolve().parent


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "engine.vision", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def test_a_scene_prints_cards_roles_and_detections():
    result = _run(HERE / "scene_poker.jpg", "--game", "poker")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) == {"cards", "roles", "detections"}
    assert set(out["roles"]) == {"hero", "board", "others"}
    for det in out["detections"]:
        assert set(det) == {"card", "box", "confidence"} and len(det["box"]) == 4
        assert 0.0 < det["confidence"] <= 1.0


def test_a_file_that_is_not_an_image_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("not an image at all")
    result = _run(bad)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not a PNG, JPEG or WebP image" in result.stderr


def test_a_missing_file_and_a_bad_game_exit_2(tmp_path):
    assert _run(tmp_path / "missing.jpg").returncode == 2
    result = _run(HERE / "scene_poker.jpg", "--game", "baccarat")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
