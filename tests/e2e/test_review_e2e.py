"""Table review in the real browser: upload a generated scene, correct one card, analyse,
and find the corrected hand in the database."""

import pathlib
import tempfile

import pytest

from engine.store import SqliteStore
from tests.e2e.conftest import start_app, stop_app

pytestmark = pytest.mark.e2e
SCENE = pathlib.Path(__file__).resolve().parents[1] / "vision" / "scene_poker.jpg"
ROW_H = 35  # Streamlit's data editor row height in px (header row included)


def test_upload_correct_one_card_analyse_and_store(chromium):
    with tempfile.TemporaryDirectory() as tmp:
        db = pathlib.Path(tmp) / "felt.db"
        proc, url = start_app(db)
        try:
            page = chromium.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/review")
            page.locator("input[type=file]").set_input_files(str(SCENE))
            page.get_by_text("6 cards read").wait_for(timeout=60_000)
            # the read is 9h 9s (hero), As 7d 5d 7h (board): say the turn was the 8h
            grid = page.locator('[data-testid="stDataFrame"]').first
            box = grid.bounding_box()
            page.mouse.dblclick(box["x"] + 90, box["y"] + ROW_H * 6 + ROW_H / 2)
            cell = page.locator("textarea.gdg-input")  # the grid's cell editor overlay
            cell.wait_for(timeout=10_000)
            cell.fill("8h")
            cell.press("Enter")
            # the edit reaches the script on the rerun it triggers: the board chips change
            page.locator(".felt-card", has_text="8").first.wait_for(timeout=60_000)
            page.get_by_role("button", name="Analyse").click()
            page.get_by_text("Saved to your hand history.").wait_for(timeout=60_000)
            page.get_by_text("Equity by street").first.wait_for(timeout=10_000)
            page.close()
        finally:
            stop_app(proc)
        with SqliteStore(db) as store:
            (hand,) = store.hands(store.default_profile().id)
    assert hand["source"] == "upload"
    assert len(hand["image_hash"]) == 64
    assert hand["state"]["roles"]["hero"] == ["9h", "9s"]
    assert hand["state"]["roles"]["board"] == ["As", "7d", "5d", "8h"]
