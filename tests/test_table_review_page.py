"""The table review page through AppTest: manual entry, analysis, the hand stored."""

import pathlib

import pytest
from streamlit.testing.v1 import AppTest

from engine.store import SqliteStore, close_thread_stores

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "felt.db"
    monkeypatch.setenv("FELT_DB", str(path))
    monkeypatch.chdir(ROOT)
    yield path
    close_thread_stores()


def review_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("pages/review.py")
    return at.run()


def test_poker_hand_entered_by_hand_is_analysed_and_stored(db):
    at = review_page()
    at.radio(key="rv_source").set_value("the card picker").run()
    at.multiselect(key="rv_hero").set_value(["Ah", "Kh"]).run()
    at.multiselect(key="rv_board").set_value(["Qh", "7h", "2c"]).run()
    at.text_input(key="rv_villain").input("QQ").run()
    at.number_input(key="rv_pot").set_value(100.0).run()
    at.number_input(key="rv_call").set_value(50.0).run()
    at.selectbox(key="rv_action").set_value("call").run()
    at.button(key="rv_go").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Saved to your hand history."
    equity = float(at.metric[0].value.rstrip("%")) / 100
    assert 0.2 < equity < 0.45  # AhKh on Qh7h2c against a set of queens
    with SqliteStore(db) as store:
        (hand,) = store.hands(store.default_profile().id)
    assert hand["source"] == "manual" and hand["action"] == "call"
    assert hand["state"]["roles"]["hero"] == ["Ah", "Kh"]
    assert hand["image_hash"] is None


def test_blackjack_hand_entered_by_hand_gives_the_best_action(db):
    at = review_page()
    at.segmented_control(key="rv_game").set_value("blackjack").run()
    at.radio(key="rv_source").set_value("the card picker").run()
    at.text_input(key="rv_dealer").input("T").run()
    at.text_input(key="rv_player").input("T 6").run()
    at.button(key="rv_go").click().run()
    assert not at.exception and not at.error
    assert at.metric[0].value == "-1"  # Hi-Lo running count of T, T, 6
    assert at.subheader[0].value.startswith("Best: ")


def test_a_duplicate_card_gets_a_message_not_a_traceback(db):
    at = review_page()
    at.radio(key="rv_source").set_value("the card picker").run()
    at.multiselect(key="rv_hero").set_value(["Ah", "Kh"]).run()
    at.text_input(key="rv_villain").input("AKx").run()
    at.button(key="rv_go").click().run()
    assert not at.exception
    assert "AKx" in at.error[0].value
